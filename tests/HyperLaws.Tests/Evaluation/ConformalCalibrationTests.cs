using CsCheck;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>Split-conformal intervals that widen with the extrapolation distance: coverage on exchangeable data, monotone widening, the finite-sample rank.</summary>
public sealed class ConformalCalibrationTests
{
    // Residuals r = s (1 + g d) z, z standard normal, d = 0 for half of them and uniform in [0, 1.5] for the rest.
    private static List<(double AbsRelative, double Distance)> Draw(Random rng, int n, double s, double g) =>
        [.. Enumerable.Range(0, n).Select(i =>
        {
            double d = i % 2 == 0 ? 0 : 1.5 * rng.NextDouble();
            double z = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            return (Math.Abs(s * (1 + g * d) * z), d);
        })];

    [Fact]
    public void Coverage_of_fresh_exchangeable_draws_is_near_nominal()
    {
        // 40 calibrations of 100 residuals each, each judged on 500 fresh draws: the mean coverage is the
        // conformal guarantee's (>= 0.9, and below 0.9 + 1/(n+1) + sampling noise).
        var rng = new Random(5);
        var coverage = new List<double>();
        for (int rep = 0; rep < 40; rep++)
        {
            var interval = ConformalCalibration.Calibrate(Draw(rng, 100, 0.01, 0.8), 0.9);
            Assert.True(interval.Exact && interval.GrowthFitted);
            var fresh = Draw(rng, 500, 0.01, 0.8);
            coverage.Add(fresh.Count(x => x.AbsRelative <= interval.HalfWidth(x.Distance)) / 500.0);
        }
        Assert.InRange(coverage.Average(), 0.88, 0.93);
        // Beyond the data too: the fitted growth keeps far draws (d in [1, 1.5]) covered near nominal (conformal coverage
        // is marginal; conditional on d it holds as far as the linear widening is right, here within 0.1).
        var one = ConformalCalibration.Calibrate(Draw(rng, 400, 0.01, 0.8), 0.9);
        var far = Draw(rng, 4000, 0.01, 0.8).Where(x => x.Distance >= 1).ToList();
        Assert.InRange(far.Count(x => x.AbsRelative <= one.HalfWidth(x.Distance)) / (double)far.Count, 0.8, 0.97);
        Assert.InRange(one.Growth, 0.4, 1.6);
    }

    [Fact]
    public void The_interval_widens_monotonically_with_distance()
    {
        Property.ForAll(Gen.Select(Gen.Int[0, 1000], Gen.Double[0, 3], Gen.Double[0, 3], Property.LogUniform(1, 10)), c =>
        {
            var interval = ConformalCalibration.Calibrate(Draw(new Random(c.Item1), 60, 0.02, 0.5), 0.9);
            double d1 = Math.Min(c.Item2, c.Item3), d2 = Math.Max(c.Item2, c.Item3);
            Assert.True(interval.HalfWidth(d2) >= interval.HalfWidth(d1));
            var (lo1, hi1) = interval.Bounds(c.Item4, d1);
            var (lo2, hi2) = interval.Bounds(c.Item4, d2);
            Assert.True(lo2 <= lo1 && hi2 >= hi1 && lo2 >= 0);
            Assert.Equal(interval.Quantile * c.Item4, hi1 - c.Item4 - interval.Quantile * interval.Growth * d1 * c.Item4, 9);
        });
    }

    [Fact]
    public void The_quantile_is_the_finite_sample_conformal_rank()
    {
        // Scores 1..19 at d = 0: level 0.9 takes the ceil(20 x 0.9) = 18th smallest.
        var r = Enumerable.Range(1, 19).Select(i => (i / 100.0, 0.0)).ToList();
        var c = ConformalCalibration.Calibrate(r, 0.9);
        Assert.Equal(0.18, c.Quantile, 12);
        Assert.True(c.Exact);
        Assert.False(c.GrowthFitted); // nothing beyond the data: the prior growth
        Assert.Equal(ConformalCalibration.PriorGrowth, c.Growth);
        // Five residuals cannot give a 90% rank (ceil(6 x 0.9) = 6 > 5): the largest, flagged.
        var few = ConformalCalibration.Calibrate(r.Take(5).ToList(), 0.9);
        Assert.False(few.Exact);
        Assert.Equal(0.05, few.Quantile, 12);
        Assert.Throws<ArgumentException>(() => ConformalCalibration.Calibrate(new List<(double, double)>(), 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConformalCalibration.Calibrate(r, 1));
    }

    [Fact]
    public void Distances_measure_how_far_beyond_the_training_curves_a_target_reaches()
    {
        static FitTarget Curve(string name, double peak, int steps, double n) =>
            new(name, new ScheduleHistory(Enumerable.Repeat(peak, steps).ToArray()), [steps / 2, steps], [3.0, 2.9]) { ModelSize = n };
        var train = new[] { Curve("a", 1e-3, 1000, 1e8), Curve("b", 2e-3, 2000, 2e8) };
        Assert.Equal(ExtrapolationDistance.None, ExtrapolationDistance.Of(Curve("in", 1.5e-3, 1500, 1.5e8), train));
        var d = ExtrapolationDistance.Of(Curve("out", 0.5e-3, 8000, 8e8), train);
        Assert.Equal(4, d.HorizonRatio, 12);
        Assert.Equal(4, d.SizeRatio, 12);
        Assert.Equal(2, d.LrRatio, 12);
        Assert.Equal(Math.Log(32), d.Value, 12);
        // A plan's target (no loss yet) measures the same from its schedule, step and size.
        var plan = Curve("plan", 0.5e-3, 8000, 8e8);
        Assert.Equal(d, ExtrapolationDistance.Of(plan.History, 8000, 8e8, train));
        Assert.Equal(1, ExtrapolationDistance.Of(plan.History, 8000, double.NaN, train).SizeRatio);
        // Truncation keeps the observations up to the fraction, or nothing with fewer than two.
        var cut = ConformalCalibration.Truncate(new FitTarget("c", new ScheduleHistory(new double[100]), [10, 20, 50, 100], [4, 3, 2.5, 2]), 0.5)!;
        Assert.Equal([10, 20, 50], cut.Steps);
        Assert.Null(ConformalCalibration.Truncate(cut, 0.2));
    }
}
