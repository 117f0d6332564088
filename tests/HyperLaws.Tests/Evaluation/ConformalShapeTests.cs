using CsCheck;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Planning;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>
/// The shape term of the conformal interval (docs/VALIDATION.md, "Protocol 9, third round"): growth g_s fitted on residuals at
/// shape distance D &gt; 0, monotone widening, coverage near nominal on exchangeable data, leave-one-shape-out residuals, and the
/// planner's nested-horizon residuals.
/// </summary>
public sealed class ConformalShapeTests
{
    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    // r = s (1 + g d + gs D) z: a third of the draws at d = D = 0, a third beyond in d, a third beyond in shape.
    private static List<(double AbsRelative, double Distance, double Shape)> Draw(Random rng, int n, double s, double g, double gs) =>
        [.. Enumerable.Range(0, n).Select(i =>
        {
            double d = i % 3 == 1 ? 1.2 * rng.NextDouble() : 0, shape = i % 3 == 2 ? 0.4 * rng.NextDouble() : 0;
            return (Math.Abs(s * (1 + g * d + gs * shape) * Normal(rng)), d, shape);
        })];

    [Fact]
    public void Coverage_of_fresh_exchangeable_draws_is_near_nominal_and_holds_far_in_shape()
    {
        var rng = new Random(11);
        var coverage = new List<double>();
        for (int rep = 0; rep < 40; rep++)
        {
            var interval = ConformalCalibration.CalibrateShape(Draw(rng, 120, 0.01, 0.5, 8), 0.9);
            Assert.True(interval.Exact && interval.GrowthFitted && interval.ShapeGrowthFitted);
            var fresh = Draw(rng, 600, 0.01, 0.5, 8);
            coverage.Add(fresh.Count(x => x.AbsRelative <= interval.HalfWidth(new ExtrapolationDistance(Math.Exp(x.Distance), 1, 1) { Shape = x.Shape })) / 600.0);
        }
        Assert.InRange(coverage.Average(), 0.88, 0.93);
        // The fitted shape growth is near the true one, so far shapes (D in [0.3, 0.4]) stay covered near nominal too.
        var one = ConformalCalibration.CalibrateShape(Draw(rng, 600, 0.01, 0.5, 8), 0.9);
        Assert.InRange(one.ShapeGrowth, 4, 14);
        var far = Draw(rng, 6000, 0.01, 0.5, 8).Where(x => x.Shape >= 0.3).ToList();
        Assert.InRange(far.Count(x => x.AbsRelative <= one.HalfWidth(new ExtrapolationDistance(1, 1, 1) { Shape = x.Shape })) / (double)far.Count, 0.8, 0.97);
    }

    [Fact]
    public void Noiseless_residuals_recover_both_growths()
    {
        // |r| = a (1 + g d + gs D) exactly: least squares recovers g and gs.
        var r = new List<(double, double, double)>();
        foreach (double d in new[] { 0, 0.3, 0.7, 1.1 })
            foreach (double s in new[] { 0, 0.05, 0.1, 0.3 })
                r.Add((0.01 * (1 + 0.6 * d + 12 * s), d, s));
        var c = ConformalCalibration.CalibrateShape(r, 0.9);
        Assert.Equal(0.6, c.Growth, 9);
        Assert.Equal(12, c.ShapeGrowth, 7);
        Assert.True(double.IsNaN(c.SizeGrowth));   // the shape calibration fits no size growth (the growth fit is shared with CalibrateSize)
        // Every score is then 0.01, so Q = 0.01.
        Assert.Equal(0.01, c.Quantile, 12);
    }

    [Fact]
    public void The_width_never_narrows_with_shape_distance_and_priors_stand_in_when_no_residual_shows_a_shape()
    {
        var gen = Gen.Int[8, 60].SelectMany(n => Gen.Int[0, 100000].Select(seed => (n, seed)));
        Property.ForAll(gen, x =>
        {
            var rng = new Random(x.seed);
            // Arbitrary residuals, the shape errors possibly smaller than the rest: the growth is clamped at 0, never negative.
            var r = Enumerable.Range(0, x.n).Select(i => (0.05 * rng.NextDouble(), i % 2 == 0 ? 0 : rng.NextDouble(), i % 3 == 0 ? 0.5 * rng.NextDouble() : 0)).ToList();
            var c = ConformalCalibration.CalibrateShape(r, 0.9);
            Assert.True(c.ShapeGrowth >= 0 && c.ShapeGrowth <= ConformalCalibration.MaxShapeGrowth && c.Growth >= 0 && c.Growth <= ConformalCalibration.MaxGrowth);
            double prev = -1;
            foreach (double shape in new[] { 0, 0.05, 0.1, 0.2, 0.5, 1 })
            {
                double h = c.HalfWidth(new ExtrapolationDistance(1.5, 1, 1) { Shape = shape });
                Assert.True(h >= prev);
                prev = h;
            }
        }, iterations: 100);
        // No residual beyond in shape: the prior growth, flagged; a zero growth leaves the interval as without the shape term.
        var flat = Enumerable.Range(0, 10).Select(i => (0.01 * (1 + i % 3), i % 2 == 0 ? 0 : 0.5, 0.0)).ToList();
        var prior = ConformalCalibration.CalibrateShape(flat, 0.9);
        Assert.False(prior.ShapeGrowthFitted);
        Assert.Equal(ConformalCalibration.PriorShapeGrowth, prior.ShapeGrowth);
        var plain = ConformalCalibration.Calibrate([.. flat.Select(x => (x.Item1, x.Item2))], 0.9);
        var none = plain with { ShapeGrowth = 0 };
        Assert.Equal(plain.HalfWidth(0.7), none.HalfWidth(new ExtrapolationDistance(Math.Exp(0.7), 1, 1) { Shape = 0.3 }), 14);
    }

    [Fact]
    public void Leaving_one_shape_out_fits_on_the_other_shapes_and_measures_their_distance()
    {
        var runs = new List<FitTarget>();
        foreach (int n in new[] { 10000, 20000 })
        {
            runs.Add(new FitTarget($"const-{n}", ScheduleShapeTests.Wsd(n, 1e-3, 0), [n / 2, n], [3.5, 3.2]));
            runs.Add(new FitTarget($"wsd-{n}", ScheduleShapeTests.Wsd(n, 1e-3, 0.2), [n / 2, n], [3.5, 3.0]));
        }
        var seen = new List<string>();
        Func<FitTarget, double> Fit(IReadOnlyList<FitTarget> train)
        {
            seen.Add(string.Join(",", train.Select(t => t.Name).Order()));
            double mean = train.Average(t => t.Loss[^1]);
            return _ => mean;
        }
        var res = ConformalCalibration.Residuals(runs, Fit, group: _ => "all", truncations: [], shapeOut: true);
        Assert.Equal(["wsd-10000,wsd-20000", "const-10000,const-20000"], seen);
        Assert.Equal(4, res.Count);
        Assert.All(res, r => Assert.Equal("shape-out", r.Split));
        Assert.All(res, r => Assert.Equal(0.1, r.Distance.Shape, 2));
        Assert.Equal(3.0, res.Single(r => r.Run == "const-10000").Predicted, 12);
        // One shape only: nothing to leave out.
        Assert.Empty(ConformalCalibration.Residuals(runs.Where(t => t.Name.StartsWith("const", StringComparison.Ordinal)).ToList(), Fit, group: _ => "all", truncations: [], shapeOut: true));
    }

    [Fact]
    public void The_planner_calibrates_on_nested_horizons_and_falls_back_to_the_first_half_with_too_few()
    {
        static FitTarget Run(string name, int steps, double final) => new(name, new ScheduleHistory(Enumerable.Repeat(1e-3, steps).ToArray()), [steps / 4, steps / 2, steps], [4, 3.5, final]);
        var runs = new[] { Run("a1", 1000, 3.0), Run("a2", 1000, 3.1), Run("b1", 2000, 2.9), Run("b2", 2000, 2.95), Run("c1", 4000, 2.8), Run("c2", 4000, 2.7) };
        var fits = new List<string>();
        Func<FitTarget, double> Fit(IReadOnlyList<FitTarget> train)
        {
            fits.Add(string.Join(",", train.Select(t => t.Name).Order()));
            double mean = train.Average(t => t.Loss[^1]);
            return _ => mean;
        }
        // The held-out check predicted the longest runs (c1, c2) from the rest: the nested step adds b from a, no first-half fit.
        var fitOn = runs.Take(4).ToList();
        var heldOut = runs.Skip(4).Select(t => (t, 2.85)).ToList();
        var res = ConformalIntervalProvider.Residuals(runs, Fit, fitOn, heldOut);
        Assert.Equal(["a1,a2"], fits);
        Assert.Equal(["c1", "c2", "b1", "b2"], res.Select(r => r.Run));
        Assert.Equal(["held-out", "held-out", "nested", "nested"], res.Select(r => r.Split));
        Assert.Equal(2, res[2].Distance.HorizonRatio, 12);
        // The earlier rule on request: the first-half fit.
        fits.Clear();
        var firstHalf = ConformalIntervalProvider.Residuals(runs, Fit, fitOn, heldOut, nestedHorizons: false);
        Assert.Single(fits);
        Assert.Equal(2 + 6, firstHalf.Count);
        // One horizon and nothing held out: no nested step, so the first-half fit stands in.
        fits.Clear();
        var flat = runs.Take(2).ToList();
        var fallback = ConformalIntervalProvider.Residuals(flat, Fit, [], []);
        Assert.Single(fits);
        Assert.All(fallback, r => Assert.StartsWith("first", r.Split, StringComparison.Ordinal));
        Assert.Equal(2, fallback.Count);
        // Two horizons, one run each, nothing held out: one nested residual is too few, so the earlier rule stands (first half only).
        fits.Clear();
        var two = new[] { runs[0], runs[2] };
        var earlier = ConformalIntervalProvider.Residuals(two, Fit, [], []);
        Assert.Equal(2, fits.Count);
        Assert.All(earlier, r => Assert.StartsWith("first", r.Split, StringComparison.Ordinal));
        Assert.Equal(ConformalIntervalProvider.Residuals(two, Fit, [], [], nestedHorizons: false).Select(r => (r.Run, r.Predicted)), earlier.Select(r => (r.Run, r.Predicted)));
    }
}
