using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Planning;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>
/// Variant N (docs/VALIDATION.md "Intervals widened by the size-extrapolation distance"): the width growing with the size distance
/// s = ln S by its own growth g_N, fitted on residuals that extrapolate in size (<see cref="ConformalCalibration.SizeNested"/>), its prior
/// where none do, and the interval unchanged at zero size distance.
/// </summary>
public sealed class ConformalSizeTests
{
    private static CalibrationResidual Residual(string run, double relative, double horizon, double size, string split = "leave-out") =>
        new(run, split, 1, 1 + relative, new ExtrapolationDistance(horizon, size, 1));

    [Fact]
    public void Noiseless_residuals_recover_the_horizon_and_size_growths()
    {
        // |r| = a (1 + g ln H + g_N ln S) exactly: least squares recovers g and g_N, and every score is a.
        var r = new List<CalibrationResidual>();
        int i = 0;
        foreach (double h in new[] { 1, 1.5, 2, 3 })
            foreach (double s in new[] { 1, 1.2, 2, 4 })
                r.Add(Residual($"r{i++}", (i % 2 == 0 ? 1 : -1) * 0.01 * (1 + 0.6 * Math.Log(h) + 2.5 * Math.Log(s)), h, s));
        var c = ConformalCalibration.CalibrateSize(r, 0.9);
        Assert.True(c.GrowthFitted && c.SizeGrowthFitted && c.SizeSeparate);
        Assert.Equal(0.6, c.Growth, 9);
        Assert.Equal(2.5, c.SizeGrowth, 9);
        Assert.Equal(0, c.ShapeGrowth);
        Assert.Equal(0.01, c.Quantile, 12);
        // The half-width at a target: Q (1 + g ln H + g_N ln S), the size part by its own growth (not g's).
        Assert.Equal(0.01 * (1 + 0.6 * Math.Log(2) + 2.5 * Math.Log(8)), c.HalfWidth(new ExtrapolationDistance(2, 8, 1)), 12);
    }

    [Fact]
    public void Without_size_extrapolations_g_N_is_its_prior_and_a_target_inside_the_sizes_gets_the_old_width()
    {
        var r = Enumerable.Range(0, 12).Select(i => Residual($"r{i}", 0.004 * (1 + i % 4) * (i % 2 == 0 ? 1 : -1), i % 3 == 0 ? 2 : 1, 1)).ToList();
        var sized = ConformalCalibration.CalibrateSize(r, 0.9);
        Assert.False(sized.SizeGrowthFitted);
        Assert.Equal(ConformalCalibration.PriorGrowth, sized.SizeGrowth);
        // Every residual at S = 1: its score's width is the old one's to the last digit (ln S = 0 adds exactly nothing).
        var old = sized with { SizeGrowth = double.NaN };
        Assert.All(r, x => Assert.Equal(old.ScoreWidth(x.Distance), sized.ScoreWidth(x.Distance)));
        Assert.Equal(old.RelativeBounds(new ExtrapolationDistance(1.7, 1, 1)), sized.RelativeBounds(new ExtrapolationDistance(1.7, 1, 1)));
        Assert.Equal(old.Bounds(3.0, 0.4, 0), sized.Bounds(3.0, 0.4, 0, 0));
        // Outside the sizes the prior doubles the half-width at S = e; the old interval grew there with g alone.
        double inside = sized.HalfWidth(new ExtrapolationDistance(1, 1, 1)), outside = sized.HalfWidth(new ExtrapolationDistance(1, Math.E, 1));
        Assert.Equal(2 * inside, outside, 12);
        // The finite-sample tiers read the same widths: on residuals at S = 1 they equal those of the symmetric calibration's twin.
        var f = ConformalCalibration.FiniteSample(sized, r);
        var g = ConformalCalibration.FiniteSample(old, r);
        Assert.Equal((g.LowerQuantile, g.UpperQuantile), (f.LowerQuantile, f.UpperQuantile));
    }

    [Fact]
    public void A_negative_size_slope_is_set_to_zero()
    {
        // (W's shape calibration through the shared growth fit is checked in ConformalShapeTests.Noiseless_residuals_recover_both_growths.)
        // A negative slope in size is set to 0 and the rest refitted: errors that shrink with the size distance give g_N = 0.
        var shrinking = Enumerable.Range(0, 12).Select(i => Residual($"r{i}", 0.01 / (1 + (i % 3)), 1, Math.Exp(i % 3))).ToList();
        Assert.Equal(0, ConformalCalibration.CalibrateSize(shrinking, 0.9).SizeGrowth);
    }

    /// <summary>
    /// A generated family with a known size trend, L(N) = 2 + 40 N^-0.2 (+ a schedule offset), and a size law fitted on the sizes given:
    /// L = a + b ln N by least squares on the final losses (the wrong form, so its error grows with the distance beyond the fitted sizes).
    /// </summary>
    private static (List<FitTarget> Runs, Func<IReadOnlyList<FitTarget>, Func<FitTarget, double>> Fit, List<string> Fits) Family(double[] sizes)
    {
        var runs = new List<FitTarget>();
        foreach (double n in sizes)
            foreach (double offset in new[] { 0, 0.01, 0.02 })
            {
                double loss = 2 + 40 * Math.Pow(n, -0.2) + offset;
                runs.Add(new FitTarget(FormattableString.Invariant($"s{offset}@{n:G3}"), new ScheduleHistory(Enumerable.Repeat(1e-3, 100).ToArray()), [50, 100], [loss + 0.5, loss]) { ModelSize = n });
            }
        var fits = new List<string>();
        Func<FitTarget, double> Fit(IReadOnlyList<FitTarget> train)
        {
            fits.Add(string.Join(",", train.Select(t => t.ModelSize).Distinct().Order().Select(n => n.ToString("G3", System.Globalization.CultureInfo.InvariantCulture))));
            double mx = train.Average(t => Math.Log(t.ModelSize)), my = train.Average(t => t.Loss[^1]);
            double b = train.Sum(t => (Math.Log(t.ModelSize) - mx) * (t.Loss[^1] - my)) / train.Sum(t => Math.Pow(Math.Log(t.ModelSize) - mx, 2));
            return t => my + b * (Math.Log(t.ModelSize) - mx);
        }
        return (runs, Fit, fits);
    }

    [Fact]
    public void Size_nested_residuals_fit_two_or_more_smaller_sizes_and_the_interval_widens_with_the_size_ratio()
    {
        var (runs, fit, fits) = Family([25e6, 1e8, 4e8, 1.6e9]);
        var nested = ConformalCalibration.SizeNested(runs, fit);
        // One fit per size above two smaller ones: 25M + 100M -> 400M, then 25M..400M -> 1.6B; no one-size fit.
        Assert.Equal(["2.5E+07,1E+08", "2.5E+07,1E+08,4E+08"], fits);
        Assert.Equal(6, nested.Count);
        Assert.All(nested, r => Assert.Equal("size-nested", r.Split));
        Assert.All(nested, r => Assert.Equal(4, r.Distance.SizeRatio, 12));
        // The log-linear law (a chord of the convex power law in ln N) under-predicts the loss beyond its sizes: every size residual is positive.
        Assert.All(nested, r => Assert.True(r.Relative > 0));
        // Two sizes only: nothing to nest (a fit of one size carries no size law); a run without a size: none either.
        Assert.Empty(ConformalCalibration.SizeNested(runs.Where(t => t.ModelSize < 2e8).ToList(), fit));
        Assert.Empty(ConformalCalibration.SizeNested([.. runs, runs[0] with { ModelSize = double.NaN }], fit));
        // Calibrated with small within-size residuals, g_N is fitted from them and the half-width grows with the size ratio.
        var within = Enumerable.Range(0, 9).Select(i => Residual($"w{i}", 0.001 * (1 + i % 3) * (i % 2 == 0 ? 1 : -1), 1, 1)).ToList();
        var c = ConformalCalibration.CalibrateSize([.. within, .. nested], 0.9);
        Assert.True(c.SizeGrowthFitted);
        Assert.True(c.SizeGrowth > 0);
        double previous = 0;
        foreach (double ratio in new[] { 1, 2, 4, 16 })
        {
            var (lo, hi) = c.RelativeBounds(new ExtrapolationDistance(1, ratio, 1));
            Assert.True(hi - lo > previous);
            previous = hi - lo;
        }
        // The planner's provider reads the plan's size ratio apart from d; at S = 1 it gives the interval of w = 1 + g d'.
        var provider = new ConformalIntervalProvider(c, "test");
        var at1 = provider.Interval(3, new PlanExtrapolation(1.5, 1, 1));
        var at4 = provider.Interval(3, new PlanExtrapolation(1.5, 4, 1));
        Assert.Equal(c.Bounds(3, Math.Log(1.5), 0, 0), (at1.Lower, at1.Upper));
        Assert.Equal(c.Bounds(3, Math.Log(1.5), 0, Math.Log(4)), (at4.Lower, at4.Upper));
        Assert.True(at4.Upper - at4.Lower > at1.Upper - at1.Lower);
    }
}
