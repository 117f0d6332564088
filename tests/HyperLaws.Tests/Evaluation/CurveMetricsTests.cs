using HyperLaws.Evaluation;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

public sealed class CurveMetricsTests
{
    [Fact]
    public void MetricsFollowTheirDefinitions()
    {
        double[] actual = [4, 2, 1];
        double[] predicted = [4.4, 2, 0.9];
        var m = CurveMetrics.Of(actual, predicted);
        Assert.Equal((0.1 + 0 + 0.1) / 3, m.PredE, 12);
        Assert.Equal(0.1, m.WorstE, 12);
        Assert.Equal((0.4 + 0 + 0.1) / 3, m.Mae, 12);
        Assert.Equal(Math.Sqrt((0.16 + 0.01) / 3), m.Rmse, 12);
        double mean = 7.0 / 3, tss = (4 - mean) * (4 - mean) + (2 - mean) * (2 - mean) + (1 - mean) * (1 - mean);
        Assert.Equal(1 - 0.17 / tss, m.RSquared, 12);
    }

    [Fact]
    public void SummaryAveragesPerCurveAndTakesTheMaxOverAllPoints()
    {
        var a = CurveMetrics.Of([1.0, 1.0], [1.01, 1.0]);
        var b = CurveMetrics.Of([2.0, 2.0], [2.0, 2.1]);
        var s = MetricSummary.Of([a, b]);
        Assert.Equal((0.005 + 0.025) / 2, s.PredE, 12);
        Assert.Equal((0.01 + 0.05) / 2, s.WorstE, 12);
        Assert.Equal(0.05, s.MaxE, 12);
        Assert.Throws<ArgumentException>(() => CurveMetrics.Of([], []));
        Assert.Throws<ArgumentException>(() => CurveMetrics.Of([1.0], [1.0, 2.0]));
    }
}
