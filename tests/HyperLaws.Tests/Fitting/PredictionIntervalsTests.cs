using CsCheck;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Fitting;

public sealed class PredictionIntervalsTests
{
    private static readonly AnnealingLaw Tissue = new();

    private static readonly Lazy<BootstrapResult> Result = new(() =>
        LawBootstrap.Run(Tissue, SyntheticCurves.Tissue(3, 2e-3, 21), new BootstrapOptions { Replicates = 60 }));

    [Fact]
    public void Held_out_curves_of_the_same_law_fall_inside_at_about_the_level()
    {
        // Train on 3 curves, predict 2 new schedules of the same law with fresh noise. In distribution both
        // sources are measured right, so coverage is near the level: between 80% and 99% of 120 points.
        var intervals = PredictionIntervals.From(Result.Value);
        int inside = 0, total = 0;
        foreach (var (lr, seed) in new[] { (SyntheticCurves.Wsd(5000, 0.3), 901), (SyntheticCurves.Wsd(4500, 0.15), 902) })
        {
            var test = SyntheticCurves.Curve(Tissue, SyntheticCurves.TissueTruth, lr, "test", 2e-3, seed);
            var band = intervals.Predict(test.History, test.Steps, 0.9);
            for (int i = 0; i < test.Steps.Length; i++, total++)
                if (band.Contains(i, test.Loss[i])) inside++;
        }
        double coverage = (double)inside / total;
        Assert.InRange(coverage, 0.8, 0.99);
    }

    [Fact]
    public void Intervals_contain_the_median_and_widen_with_the_level()
    {
        var intervals = PredictionIntervals.From(Result.Value);
        var history = new ScheduleHistory(SyntheticCurves.Wsd(4000, 0.25));
        int[] steps = [200, 1000, 2500, 3600, 4000];
        var gen = from a in Gen.Double[0.05, 0.95] from d in Gen.Double[0.01, 0.04] select (a, b: a + d);
        Property.ForAll(gen, levels =>
        {
            var narrow = intervals.Predict(history, steps, levels.a);
            var wide = intervals.Predict(history, steps, levels.b);
            for (int i = 0; i < steps.Length; i++)
            {
                Assert.True(narrow.Lower[i] <= narrow.Median[i] && narrow.Median[i] <= narrow.Upper[i], $"step {steps[i]}");
                Assert.True(wide.Lower[i] <= narrow.Lower[i] && narrow.Upper[i] <= wide.Upper[i], $"step {steps[i]}: [{narrow.Lower[i]}, {narrow.Upper[i]}] vs [{wide.Lower[i]}, {wide.Upper[i]}]");
                Assert.Equal(narrow.Median[i], wide.Median[i]);
            }
        }, iterations: 25);
    }

    [Fact]
    public void Without_spread_the_interval_is_the_prediction_times_the_residual_range()
    {
        // Every sample at the estimate: the mixture is L_hat (1 + e_k), so the interval lies within
        // [L_hat (1 + e_min), L_hat (1 + e_max)], and with all e_k = 0 it is the prediction itself.
        double[] p = SyntheticCurves.TissueTruth;
        var history = new ScheduleHistory(SyntheticCurves.Wsd(3000, 0.2));
        int[] steps = [500, 3000];
        var point = new double[2];
        Tissue.Predict(p, history, steps, point);
        double[] residuals = [.. Enumerable.Range(0, 100).Select(k => -0.01 + 0.02 * k / 99)];
        var spread = new PredictionIntervals(Tissue, p, new BootstrapSamples(BootstrapScheme.Blocks, 3, 1, 0.9, [p, p, p], residuals)).Predict(history, steps, 0.9);
        var none = new PredictionIntervals(Tissue, p, new BootstrapSamples(BootstrapScheme.Blocks, 3, 1, 0.9, [p, p, p], new double[100])).Predict(history, steps, 0.9);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(point[i], none.Lower[i], 12);
            Assert.Equal(point[i], none.Upper[i], 12);
            Assert.InRange(spread.Lower[i], point[i] * 0.99 - 1e-12, point[i]);
            Assert.InRange(spread.Upper[i], point[i], point[i] * 1.01 + 1e-12);
            // 90% of a uniform spread of +-1%: about +-0.9%.
            Assert.Equal(-0.009, spread.Lower[i] / point[i] - 1, 3);
            Assert.Equal(0.009, spread.Upper[i] / point[i] - 1, 3);
        }
    }

    [Fact]
    public void Bad_levels_and_mismatched_samples_are_refused()
    {
        var intervals = PredictionIntervals.From(Result.Value);
        var history = new ScheduleHistory(SyntheticCurves.Wsd(3000, 0.2));
        Assert.Throws<ArgumentException>(() => intervals.Predict(history, [100], 0));
        Assert.Throws<ArgumentException>(() => intervals.Predict(history, [100], 1));
        var b = Result.Value.Bootstrap;
        Assert.Throws<ArgumentException>(() => new PredictionIntervals(Tissue, [1.0, 2.0], b));
        Assert.Throws<ArgumentException>(() => new PredictionIntervals(new ConvexBoundLaw(), [3.0, 0.1, 100], b));
    }
}
