using HyperLaws.Divergence;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Tests.Divergence;

public sealed class DivergenceFittingTests
{
    private static readonly ThresholdRule Truth = new(Math.Log(0.004), -0.35, 0.2, 0, 1);

    // Cosine runs with linear warmup over a grid of (N, batch) cells and peak LRs, labelled by the true rule.
    private static List<DivergenceExample> Synthetic()
    {
        var list = new List<DivergenceExample>();
        foreach (double n in new[] { 5e7, 2e8, 8e8 })
            foreach (double b in new[] { 2.5e5, 1e6, 4e6 })
                for (int i = 0; i < 24; i++)
                {
                    double peak = 5e-4 * Math.Pow(40, i / 23.0);
                    const int s = 3000, w = 300;
                    var lr = Enumerable.Range(1, s).Select(t => t <= w ? peak * t / w : peak * 0.5 * (1 + Math.Cos(Math.PI * (t - w) / (s - w)))).ToArray();
                    var x = DivergenceExample.FromSchedule($"n{n}-b{b}-{i}", $"N={n},B={b}", n, b, lr, false);
                    list.Add(x with { Diverged = Truth.Predicts(x) });
                }
        return list;
    }

    [Fact]
    public void FitRecoversAKnownThresholdRule()
    {
        var data = Synthetic();
        Assert.InRange(data.Count(x => x.Diverged), 30, 180); // both classes present in quantity
        var rule = ThresholdFitter.Fit(data);
        var m = BinaryMetrics.Of(data, rule.Predicts);
        Assert.True(m.F1 >= 0.97, $"in-sample F1 {m.F1}");
        // The labels pin eta_L only between neighbouring peaks of the grid (ratio 40^(1/23) = 1.17): exponents within 0.1.
        Assert.InRange(rule.B, Truth.B - 0.1, Truth.B + 0.1);
        Assert.InRange(rule.C, Truth.C - 0.1, Truth.C + 0.1);
        Assert.InRange(rule.A, Truth.A - 0.15, Truth.A + 0.15);
    }

    [Fact]
    public void CrossValidationPredictsHeldOutCellsOfASyntheticRule()
    {
        var cv = DivergenceFitting.CrossValidate(Synthetic(), baseline: true);
        Assert.Equal(9, cv.Folds.Count);
        Assert.Equal(9 * 24, cv.Pooled.Area.Count);
        Assert.Equal(9 * 24, cv.Pooled.Boundary.Count);
        Assert.True(cv.Pooled.Area.F1 >= 0.9, $"held-out F1 of the area criterion {cv.Pooled.Area.F1}");
        // The labels come from the area criterion on one schedule shape, where it is a peak threshold: the boundary finds it too.
        Assert.True(cv.Pooled.Boundary.F1 >= 0.85, $"held-out F1 of the critical peak LR {cv.Pooled.Boundary.F1}");
        Assert.Equal(0, DivergenceFitting.CrossValidate(Synthetic()).Pooled.Area.Count); // no baseline unless asked
    }

    [Fact]
    public void FitWarmupRecoversTheWarmupExponent()
    {
        // Warmups 100, 400, 1600 within each (N, batch) cell; the true rule lets eta_L grow with warmup (D = 0.3).
        var truth = Truth with { D = 0.3 };
        var data = new List<DivergenceExample>();
        foreach (double n in new[] { 1e8, 6e8 })
            foreach (int w in new[] { 100, 400, 1600 })
                for (int i = 0; i < 24; i++)
                {
                    double peak = 5e-4 * Math.Pow(40, i / 23.0);
                    const int s = 4000;
                    var lr = Enumerable.Range(1, s).Select(t => t <= w ? peak * t / w : peak * 0.5 * (1 + Math.Cos(Math.PI * (t - w) / (s - w)))).ToArray();
                    var x = DivergenceExample.FromSchedule($"{n}-{w}-{i}", $"N={n}", n, 1e6, lr, false);
                    data.Add(x with { Diverged = truth.Predicts(x) });
                }
        var rule = ThresholdFitter.Fit(data, fitWarmup: true);
        Assert.InRange(rule.D, 0.15, 0.45);
        Assert.Equal(0, ThresholdFitter.Fit(data).D); // without the flag D stays 0
        Assert.True(BinaryMetrics.Of(data, rule.Predicts).F1 >= 0.95);
    }

    [Fact]
    public void FitNeedsBothClasses()
    {
        var stable = Synthetic().Select(x => x with { Diverged = false }).ToList();
        Assert.Throws<ArgumentException>(() => ThresholdFitter.Fit(stable));
        Assert.Throws<ArgumentException>(() => ThresholdFitter.Fit([]));
    }

    [Fact]
    public void MetricsFollowTheirDefinitions()
    {
        var m = new BinaryMetrics(8, 2, 4, 86);
        Assert.Equal(0.8, m.Precision, 12);
        Assert.Equal(8.0 / 12, m.Recall, 12);
        Assert.Equal(16.0 / 22, m.F1, 12);
        Assert.Equal(100, m.Count);
        Assert.True(double.IsNaN(new BinaryMetrics(0, 0, 3, 10).Precision));
        Assert.Equal(0, new BinaryMetrics(0, 0, 3, 10).F1);
        Assert.Equal(new BinaryMetrics(1, 1, 1, 1), default(BinaryMetrics).Add(true, true).Add(false, true).Add(true, false).Add(false, false));
    }

    [Fact]
    public void SweepRunsAreLabelledAboveTwiceTheirCellsBest()
    {
        static SweepPoint P(double n, double lr, double loss) => new(n, 1e10, lr, 64, 64 * 2048, 5000, loss, loss, $"run_lr{lr}_mlr1.00e-05");
        var table = new SweepTable([
            P(1e8, 1e-3, 2.5), P(1e8, 2e-3, 5.0), P(1e8, 4e-3, 5.0001), P(1e8, 8e-3, 7.5),
            P(2e8, 1e-3, 3.0), P(2e8, 2e-3, 2.4), P(2e8, 4e-3, 4.9), P(2e8, 8e-3, 4.81)]);
        var x = SweepLabels.Label(table);
        // Cell 1 best 2.5: exactly 2x (5.0) is not diverged, above it is. Cell 2 best 2.4: > 4.8 diverged.
        Assert.Equal([false, false, true, true, false, false, true, true], x.Select(e => e.Diverged).ToArray());
        Assert.Equal(2, x.Select(e => e.Group).Distinct().Count());
        // The assumed schedule: 2,000 warmup steps to the peak, cosine to mlr = 1e-5 at step 5,000.
        var a = new SweepScheduleAssumption();
        Assert.Equal(1e-5, a.MinLrOf(table.Points[0]), 15);
        var f = a.LrOf(table.Points[1]);
        Assert.Equal(2e-3 / 2, f(1000), 15);
        Assert.Equal(2e-3, f(2000), 15);
        Assert.Equal(1e-5, f(5000), 12);
        Assert.Equal(2000, x[1].WarmupSteps);
        Assert.Equal(2e-3, x[1].PeakLr, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => SweepLabels.Label(table, factor: 1));
    }
}
