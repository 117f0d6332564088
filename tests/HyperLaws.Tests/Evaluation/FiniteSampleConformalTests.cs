using CsCheck;
using HyperLaws.Evaluation;
using HyperLaws.Numerics;
using HyperLaws.Planning;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>
/// The finite-sample tiers of docs/VALIDATION.md "The planner's interval with few residuals" (<see cref="ConformalCalibration.FiniteSampleTails"/>,
/// <see cref="ConformalCalibration.FiniteSample"/>): the ranks against a brute-force count over the scores, the tier boundaries at
/// 90%, the unsupported-tail guard, the normal-theory fallback, coverage of fresh draws, and the planner's path with few residuals.
/// </summary>
public sealed class FiniteSampleConformalTests
{
    internal static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    // The rule by counting, not by rank formulas: a bound is the extreme score whose count on its side satisfies the conformal inequality.
    private static (double Lower, double Upper, FiniteSampleTier Tier) BruteForce(double[] s, double level)
    {
        int n = s.Length;
        double alpha = 1 - level;
        var abs = s.Select(Math.Abs).ToArray();
        // Symmetric: the smallest |s_j| with #{|s_i| <= |s_j|} >= (n + 1)(1 - alpha); none when (n + 1)(1 - alpha) > n.
        var qs = abs.Where(c => abs.Count(a => a <= c) >= (n + 1) * (1 - alpha) - 1e-9).ToList();
        if (qs.Count == 0)
        {
            double ms = 0;
            foreach (double x in s) ms += x * x;
            double q = Math.Max(StudentT.TwoSidedQuantile(level, n) * Math.Sqrt(ms / n), abs.Max());
            return (-q, q, FiniteSampleTier.NormalFallback);
        }
        double sym = qs.Min();
        // Lower: the largest s_j with #{s_i < s_j} + 1 <= (n + 1) alpha / 2; upper: the smallest s_j with #{s_i <= s_j} >= (n + 1)(1 - alpha / 2).
        var los = s.Where(c => s.Count(x => x < c) + 1 <= (n + 1) * alpha / 2 + 1e-9).ToList();
        var his = s.Where(c => s.Count(x => x <= c) >= (n + 1) * (1 - alpha / 2) - 1e-9).ToList();
        if (los.Count == 0 || his.Count == 0) return (-sym, sym, FiniteSampleTier.Symmetric);
        double lo = los.Max(), hi = his.Min();
        return (lo < 0 ? lo : -sym, hi > 0 ? hi : sym, FiniteSampleTier.TwoTails);
    }

    // Also the samples of CentredIntervalTests (the symmetric quantile on the same scores).
    internal static readonly Gen<(double[] Scores, double Level)> Samples =
        Gen.Select(Gen.Int[1, 60], Gen.Double[-0.03, 0.03], Gen.Double[0.001, 0.05], Gen.Int[0, 3], Gen.Int[0, int.MaxValue])
            .Select(x =>
            {
                var rng = new Random(x.Item5);
                // Scores rounded to 1e-3 for some samples, so that ties occur.
                var s = Enumerable.Range(0, x.Item1).Select(_ => x.Item2 + x.Item3 * Normal(rng)).Select(v => x.Item4 == 0 ? Math.Round(v, 3) : v).ToArray();
                double level = new[] { 0.9, 0.8, 0.95, 0.5 + 0.49 * rng.NextDouble() }[x.Item4];
                return (s, level);
            });

    [Fact]
    public void The_tails_equal_a_brute_force_count_over_the_scores()
    {
        Property.ForAll(Samples, x =>
        {
            var (lo, hi, tier) = ConformalCalibration.FiniteSampleTails(x.Scores, x.Level);
            var expected = BruteForce(x.Scores, x.Level);
            Assert.Equal(expected.Tier, tier);
            Assert.Equal(expected.Lower, lo, 12);
            Assert.Equal(expected.Upper, hi, 12);
            Assert.True(lo <= 0 && hi >= 0);
        }, iterations: 400);
    }

    [Theory]
    [InlineData(3, FiniteSampleTier.NormalFallback)]
    [InlineData(8, FiniteSampleTier.NormalFallback)]
    [InlineData(9, FiniteSampleTier.Symmetric)]
    [InlineData(18, FiniteSampleTier.Symmetric)]
    [InlineData(19, FiniteSampleTier.TwoTails)]
    [InlineData(100, FiniteSampleTier.TwoTails)]
    public void The_tier_at_90_percent_follows_the_residual_count(int n, FiniteSampleTier tier)
    {
        var rng = new Random(n);
        Assert.Equal(tier, ConformalCalibration.FiniteSampleTails([.. Enumerable.Range(0, n).Select(_ => Normal(rng))], 0.9).Tier);
    }

    [Fact]
    public void A_side_that_no_residual_reaches_takes_the_symmetric_quantile_not_zero()
    {
        // 39 scores all below 0: the signed rule's upper tail is 0; the finite-sample rule's is the symmetric quantile (the 36th smallest |s|).
        var s = Enumerable.Range(1, 39).Select(i => -0.001 * i).ToArray();
        var (lo, hi, tier) = ConformalCalibration.FiniteSampleTails(s, 0.9);
        Assert.Equal(FiniteSampleTier.TwoTails, tier);
        Assert.Equal(-0.038, lo, 12);   // k_lo = floor(40 x 0.05) = 2: the 2nd smallest
        Assert.Equal(0.036, hi, 12);    // k = ceil(40 x 0.9) = 36
        Assert.Equal(0, ConformalCalibration.SignedTails(s, 0.9).Upper);
    }

    [Fact]
    public void With_too_few_scores_the_fallback_is_the_t_bound_and_never_below_the_largest_score()
    {
        // Five scores: no exact rank at 90%. t_{5, 0.95} = 2.015 times their root mean square.
        double[] s = [0.01, -0.02, 0.005, 0.015, -0.01];
        var (lo, hi, tier) = ConformalCalibration.FiniteSampleTails(s, 0.9);
        double rms = Math.Sqrt(s.Sum(x => x * x) / 5);
        Assert.Equal(FiniteSampleTier.NormalFallback, tier);
        Assert.Equal(2.015048 * rms, hi, 5);
        Assert.Equal(-hi, lo);
        Assert.True(hi > 0.02);
        // One outlier among eight: t_{8, 0.95} rms = 1.86 x 0.05 / sqrt(8) < 0.05, so the largest score sets the bound.
        double[] spike = [0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.05];
        Assert.True(ConformalCalibration.FiniteSampleTails(spike, 0.9).Upper >= 0.05);
        Assert.Equal(0.05, ConformalCalibration.FiniteSampleTails(spike, 0.9).Upper, 12);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(39)]
    public void Fresh_exchangeable_draws_are_covered_at_least_near_nominal(int n)
    {
        // 2000 calibrations of n normal scores (bias -0.5 sd), each judged on one fresh draw: the share covered is at least the level
        // up to the binomial noise (sd 0.7 points). The normal fallback (n = 5) holds by the t bound; the symmetric tier (12) and the
        // two tails (39) by the conformal ranks (their guarantee is >= 0.9: 0.923 for n = 12, 0.95 - 0.05 for n = 39).
        var rng = new Random(5 + n);
        int covered = 0;
        const int reps = 2000;
        for (int rep = 0; rep < reps; rep++)
        {
            var s = Enumerable.Range(0, n).Select(_ => -0.5 + Normal(rng)).ToArray();
            var (lo, hi, _) = ConformalCalibration.FiniteSampleTails(s, 0.9);
            double fresh = -0.5 + Normal(rng);
            if (fresh >= lo && fresh <= hi) covered++;
        }
        Assert.InRange(covered / (double)reps, 0.88, 1.0);
    }

    private static List<CalibrationResidual> Residuals(int n, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(i =>
            new CalibrationResidual("run" + i, "nested", 3.0, 3.0 * (1 - 0.01 + 0.005 * Normal(rng)), new ExtrapolationDistance(i % 2 == 0 ? 1 : 1.5, 1, 1)))];
    }

    [Fact]
    public void The_interval_twin_keeps_the_growth_and_scores_the_residuals_over_their_width()
    {
        var residuals = Residuals(25, 3);
        var symmetric = ConformalCalibration.Calibrate(residuals, 0.9);
        var twin = ConformalCalibration.FiniteSample(symmetric, residuals);
        Assert.Equal(symmetric.Growth, twin.Growth);
        Assert.Equal(FiniteSampleTier.TwoTails, twin.Tier);
        Assert.True(twin.Signed && twin.Exact);
        Assert.Equal("finite-sample, two tails", twin.Rule);
        var tails = ConformalCalibration.FiniteSampleTails([.. residuals.Select(r => r.Relative / (1 + symmetric.Growth * Math.Max(0, r.Distance.Value)))], 0.9);
        Assert.Equal(tails.Lower, twin.LowerQuantile, 12);
        Assert.Equal(tails.Upper, twin.UpperQuantile, 12);
        var (lo, hi) = twin.RelativeBounds(new ExtrapolationDistance(2, 1, 1));
        double w = 1 + symmetric.Growth * Math.Log(2);
        Assert.Equal(tails.Lower * w, lo, 12);
        Assert.Equal(tails.Upper * w, hi, 12);
    }

    [Fact]
    public void The_planner_with_few_residuals_takes_the_stated_fallback_and_with_too_few_none()
    {
        var few = Residuals(5, 7);
        var provider = ConformalIntervalProvider.TryCalibrate(few, "test", finiteSample: true);
        Assert.NotNull(provider);
        Assert.Equal(FiniteSampleTier.NormalFallback, provider.Calibration.Tier);
        Assert.False(provider.Calibration.Exact);
        Assert.Equal("finite-sample, normal fallback", provider.Calibration.Rule);
        var interval = provider.Interval(3.0, new PlanExtrapolation(1, 1, 1));
        Assert.True(interval.Lower < 3.0 && interval.Upper > 3.0);
        Assert.Equal(3.0 * (1 + provider.Calibration.UpperQuantile), interval.Upper, 12);
        // Every residual of the five inside the fallback's bounds (it is never narrower than the largest score).
        var g = provider.Calibration.Growth;
        Assert.All(few, r => Assert.InRange(r.Relative / (1 + g * r.Distance.Value), provider.Calibration.LowerQuantile, provider.Calibration.UpperQuantile));
        // Twelve: the exact symmetric tier; two: no calibration at all (the planner keeps the held-out worst error).
        Assert.Equal(FiniteSampleTier.Symmetric, ConformalIntervalProvider.TryCalibrate(Residuals(12, 8), "test", finiteSample: true)!.Calibration.Tier);
        Assert.Null(ConformalIntervalProvider.TryCalibrate(Residuals(2, 9), "test", finiteSample: true));
        // The default is unchanged: symmetric, no tier.
        Assert.Null(ConformalIntervalProvider.TryCalibrate(few, "test")!.Calibration.Tier);
    }
}
