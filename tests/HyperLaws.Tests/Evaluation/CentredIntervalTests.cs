using CsCheck;
using HyperLaws.Evaluation;
using HyperLaws.Numerics;
using HyperLaws.Planning;
using Xunit;
using static HyperLaws.Tests.Evaluation.FiniteSampleConformalTests;

namespace HyperLaws.Tests.Evaluation;

/// <summary>
/// Variant K of docs/VALIDATION.md "Intervals: the tails chosen by the centre": the symmetric finite-sample quantile
/// (<see cref="ConformalCalibration.FiniteSampleSymmetricQuantile"/>) against a brute-force count, the normalised scores reducing to the
/// plain ones when the width factor is 1, coverage of fresh exchangeable draws over many deterministic seeds (plain and normalised by
/// the distance), and the planner's choice of rule by the centre (<see cref="ConformalIntervalProvider.ForPlan"/>).
/// </summary>
public sealed class CentredIntervalTests
{
    // By counting: the smallest |s_j| with #{|s_i| <= |s_j|} >= (n + 1) level; none (the t fallback) when (n + 1) level > n.
    private static (double Q, FiniteSampleTier Tier) BruteForce(double[] s, double level)
    {
        int n = s.Length;
        var abs = s.Select(Math.Abs).ToArray();
        var qs = abs.Where(c => abs.Count(a => a <= c) >= (n + 1) * level - 1e-9).ToList();
        if (qs.Count > 0) return (qs.Min(), FiniteSampleTier.Symmetric);
        double ms = s.Sum(x => x * x) / n;
        return (Math.Max(StudentT.TwoSidedQuantile(level, n) * Math.Sqrt(ms), abs.Max()), FiniteSampleTier.NormalFallback);
    }

    [Fact]
    public void The_symmetric_quantile_equals_a_brute_force_count_and_the_tier_follows_the_count()
    {
        Property.ForAll(Samples, x =>
        {
            var (q, tier) = ConformalCalibration.FiniteSampleSymmetricQuantile(x.Scores, x.Level);
            var expected = BruteForce(x.Scores, x.Level);
            Assert.Equal(expected.Tier, tier);
            Assert.Equal(expected.Q, q, 12);
            // Never below the share of scores it must hold: at least ceil((n + 1) level) - 1 of them inside when exact, all of them in the fallback.
            int inside = x.Scores.Count(v => Math.Abs(v) <= q);
            Assert.True(tier == FiniteSampleTier.NormalFallback ? inside == x.Scores.Length : inside >= Math.Ceiling((x.Scores.Length + 1) * x.Level - 1e-9),
                $"{inside} of {x.Scores.Length} inside");
        }, iterations: 400);
        Assert.Equal(FiniteSampleTier.NormalFallback, ConformalCalibration.FiniteSampleSymmetricQuantile([.. Enumerable.Range(1, 8).Select(i => 0.001 * i)], 0.9).Tier);
        Assert.Equal(FiniteSampleTier.Symmetric, ConformalCalibration.FiniteSampleSymmetricQuantile([.. Enumerable.Range(1, 9).Select(i => 0.001 * i)], 0.9).Tier);
    }

    private static List<CalibrationResidual> Residuals(double[] relative, double[] horizonRatio) =>
        [.. relative.Select((r, i) => new CalibrationResidual("run" + i, "nested", 3.0, 3.0 * (1 + r), new ExtrapolationDistance(horizonRatio[i], 1, 1)))];

    [Fact]
    public void With_every_width_factor_1_the_normalised_quantile_is_the_plain_conformal_quantile_of_the_residuals()
    {
        // d = 0 for every residual (ratios 1): w = 1 + g d = 1 whatever g, so the scores are |r| and Q is the plain split-conformal rank.
        Property.ForAll(Gen.Select(Gen.Int[9, 80], Gen.Int[0, int.MaxValue]), x =>
        {
            var rng = new Random(x.Item2);
            var r = Enumerable.Range(0, x.Item1).Select(_ => 0.004 + 0.01 * Normal(rng)).ToArray();
            var residuals = Residuals(r, [.. r.Select(_ => 1.0)]);
            var plain = ConformalCalibration.Calibrate(residuals, 0.9);
            var centred = ConformalCalibration.FiniteSampleSymmetric(plain, residuals);
            var sorted = r.Select(Math.Abs).Order().ToArray();
            double expected = sorted[(int)Math.Ceiling((r.Length + 1) * 0.9 - 1e-9) - 1];
            Assert.Equal(expected, plain.Quantile, 12);
            Assert.Equal(expected, centred.Quantile, 12);
            Assert.Equal(-expected, centred.LowerQuantile, 12);
            Assert.Equal(expected, centred.UpperQuantile, 12);
            // The interval at d = 0 is -+ Q, as the symmetric one's.
            Assert.Equal(plain.RelativeBounds(ExtrapolationDistance.None), centred.RelativeBounds(ExtrapolationDistance.None));
        }, iterations: 100);
    }

    [Theory]
    [InlineData(12, 0.0)]
    [InlineData(30, 0.0)]
    [InlineData(12, 1.0)]
    [InlineData(40, 1.0)]
    public void Fresh_exchangeable_draws_are_covered_at_least_at_the_level_over_many_seeds(int n, double growth)
    {
        // Each seed: n calibration residuals with errors r = w e (e normal with a bias, w = 1 + growth ln H, horizon ratios H drawn
        // from [1, 3]) and one fresh target drawn the same way at its own H. The normalised scores r / w are exchangeable, so the
        // split-conformal interval -+ Q w holds the target with probability >= 0.9 (>= 0.923 at n = 12); 3000 seeds, binomial sd 0.55 points.
        var rng = new Random(1000 * n + (int)(10 * growth));
        const int seeds = 3000;
        int covered = 0;
        for (int seed = 0; seed < seeds; seed++)
        {
            double[] h = [.. Enumerable.Range(0, n + 1).Select(_ => 1 + 2 * rng.NextDouble())];
            double[] r = [.. h.Select(x => (1 + growth * Math.Log(x)) * 0.01 * (0.5 + Normal(rng)))];
            var residuals = Residuals(r[..n], h[..n]);
            var plain = ConformalCalibration.Calibrate(residuals, 0.9) with { Growth = growth };
            var centred = ConformalCalibration.FiniteSampleSymmetric(plain, residuals);
            var (lo, hi) = centred.RelativeBounds(new ExtrapolationDistance(h[n], 1, 1));
            if (r[n] >= lo && r[n] <= hi) covered++;
        }
        Assert.InRange(covered / (double)seeds, 0.885, 1.0);
    }

    private static List<CalibrationResidual> PlanResiduals(int n, int seed, double bias)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(i =>
            new CalibrationResidual("run" + i, i % 3 == 0 ? "held-out" : "nested", 3.0, 3.0 * (1 + bias + 0.004 * Normal(rng)), new ExtrapolationDistance(1.5, 1, 1)))];
    }

    private static HorizonBias BiasOf(IReadOnlyList<CalibrationResidual> residuals, int count) =>
        HorizonBias.Of([.. residuals.Take(count).Select(r => new HorizonResidual(r.Run, 1e-3, r.Predicted, r.Actual, false))]);

    [Fact]
    public void The_planner_rule_is_symmetric_about_the_corrected_prediction_only_when_the_centre_is_corrected()
    {
        // 24 residuals leaning -2%: about the law's prediction their symmetric quantile carries the bias; about the corrected one it does not.
        var residuals = PlanResiduals(24, 11, -0.02);
        var bias = BiasOf(residuals, residuals.Count);
        var k = ConformalIntervalProvider.ForPlan(residuals, bias, "test", correct: true, centred: true)!.Calibration;
        Assert.True(k.AboutCorrected && k.Signed);
        Assert.Equal(FiniteSampleTier.Symmetric, k.Tier);
        Assert.Equal("finite-sample, symmetric, about the corrected prediction", k.Rule);
        Assert.Equal(-k.LowerQuantile, k.UpperQuantile);
        var corrected = bias.AboutCorrected(residuals);
        var expected = ConformalCalibration.FiniteSampleSymmetric(ConformalCalibration.Calibrate(corrected, 0.9), corrected);
        Assert.Equal(expected.Quantile, k.Quantile, 12);
        var symmetric = ConformalIntervalProvider.ForPlan(residuals, bias, "test", correct: true)!.Calibration;
        Assert.Equal("symmetric", symmetric.Rule);
        Assert.True(k.Quantile < symmetric.Quantile / 2, $"K {k.Quantile} against the symmetric default's {symmetric.Quantile}");
        // No correction (off, or fewer than HorizonBias.MinimumResiduals horizon residuals): variant F on the residuals as they are.
        var off = ConformalIntervalProvider.ForPlan(residuals, bias, "test", correct: false, centred: true)!.Calibration;
        Assert.False(off.AboutCorrected);
        Assert.Equal("finite-sample, two tails", off.Rule);
        var f = ConformalCalibration.FiniteSample(ConformalCalibration.Calibrate(residuals, 0.9), residuals);
        Assert.Equal((f.LowerQuantile, f.UpperQuantile), (off.LowerQuantile, off.UpperQuantile));
        var fewBias = ConformalIntervalProvider.ForPlan(residuals, BiasOf(residuals, 2), "test", correct: true, centred: true)!.Calibration;
        Assert.False(fewBias.AboutCorrected);
        Assert.Equal(FiniteSampleTier.TwoTails, fewBias.Tier);
        // The explicit rules take precedence; too few residuals give none.
        Assert.Equal("finite-sample, two tails", ConformalIntervalProvider.ForPlan(residuals, bias, "test", correct: true, finiteSample: true, centred: true)!.Calibration.Rule);
        Assert.Null(ConformalIntervalProvider.ForPlan(PlanResiduals(2, 3, 0), BiasOf(PlanResiduals(2, 3, 0), 2), "test", correct: true, centred: true));
        // Eight residuals about a corrected centre: the stated normal fallback, flagged not exact.
        var eight = PlanResiduals(8, 5, -0.02);
        var fallback = ConformalIntervalProvider.ForPlan(eight, BiasOf(eight, 8), "test", correct: true, centred: true)!.Calibration;
        Assert.Equal("finite-sample, normal fallback, about the corrected prediction", fallback.Rule);
        Assert.False(fallback.Exact);
    }

    [Fact]
    public void The_interval_widens_with_the_plans_extrapolation_distance()
    {
        var residuals = PlanResiduals(30, 17, -0.01);
        var provider = ConformalIntervalProvider.ForPlan(residuals, BiasOf(residuals, 30), "test", correct: true, centred: true)!;
        double g = provider.Calibration.Growth;
        Assert.True(g > 0, $"growth {g}");
        var near = provider.Interval(3.0, new PlanExtrapolation(1.2, 1, 1));
        var far = provider.Interval(3.0, new PlanExtrapolation(2.4, 2, 1));
        Assert.True(far.Upper - far.Lower > near.Upper - near.Lower);
        // -+ Q (1 + g d), d = ln H + ln S + ln L: the half-width's ratio is the width factors'.
        double ratio = (1 + g * (Math.Log(2.4) + Math.Log(2))) / (1 + g * Math.Log(1.2));
        Assert.Equal(ratio, (far.Upper - 3.0) / (near.Upper - 3.0), 9);
        Assert.Equal(3.0 - near.Lower, near.Upper - 3.0, 12);
    }

    [Fact]
    public void Across_horizon_steps_each_residual_is_corrected_by_the_other_steps_bias()
    {
        // Two steps at one LR: step 25k biased -2% and step 35k biased -3%, each with a small spread. About its own step's mean
        // (AboutCorrected) a residual keeps only the spread; corrected by the other step's mean it keeps the change of the bias too.
        var rng = new Random(23);
        var calibration = new List<CalibrationResidual>();
        var horizon = new List<HorizonResidual>();
        for (int i = 0; i < 20; i++)
        {
            bool late = i % 2 == 1;
            double r = (late ? -0.03 : -0.02) + 0.001 * Normal(rng);
            string run = "run" + i;
            calibration.Add(new CalibrationResidual(run, late ? "held-out" : "nested", 3.0, 3.0 * (1 + r), new ExtrapolationDistance(1.5, 1, 1)));
            horizon.Add(new HorizonResidual(run, 1e-3, 3.0, 3.0 * (1 + r), false) { Horizon = late ? 35000 : 25000 });
        }
        calibration.Add(new CalibrationResidual("first", "first 0.5", 3.0, 3.3, new ExtrapolationDistance(2, 1, 1)));
        var bias = HorizonBias.Of(horizon);
        var across = bias.AboutOtherSteps(calibration)!;
        Assert.Equal(calibration.Count, across.Count);
        double earlyMean = horizon.Where(h => h.Horizon == 25000).Average(h => h.Relative), lateMean = horizon.Where(h => h.Horizon == 35000).Average(h => h.Relative);
        for (int i = 0; i < 20; i++)
        {
            double other = horizon[i].Horizon == 25000 ? lateMean : earlyMean;
            Assert.Equal(calibration[i].Predicted * (1 + other), across[i].Predicted, 12);
            Assert.Equal(horizon[i].Actual, across[i].Actual, 12);
        }
        Assert.Same(calibration[^1], across[^1]);   // not a horizon residual: kept as it is
        // The change of the bias (1%) is in the cross-step residuals and not in the within-step ones.
        Assert.InRange(across.Take(20).Average(c => Math.Abs(c.Relative)), 0.008, 0.012);
        Assert.True(bias.AboutCorrected(calibration).Take(20).Average(c => Math.Abs(c.Relative)) < 0.005);
        // The planner's rule: the symmetric finite-sample interval of the cross-step residuals, named so.
        var x = ConformalIntervalProvider.ForPlan(calibration, bias, "test", correct: true, crossStep: true)!.Calibration;
        Assert.Equal("finite-sample, symmetric, corrected across horizon steps", x.Rule);
        var expected = ConformalCalibration.FiniteSampleSymmetric(ConformalCalibration.Calibrate(across, 0.9), across);
        Assert.Equal(expected.Quantile, x.Quantile, 12);
        // One step only: nothing to correct across; the planner keeps the symmetric interval of the residuals about the law's prediction.
        var oneStep = HorizonBias.Of([.. horizon.Select(h => h with { Horizon = 25000 })]);
        Assert.Null(oneStep.AboutOtherSteps(calibration));
        var one = ConformalIntervalProvider.ForPlan(calibration, oneStep, "test", correct: true, crossStep: true)!.Calibration;
        Assert.Equal("symmetric", one.Rule);
        Assert.Equal(ConformalCalibration.Calibrate(calibration, 0.9).Quantile, one.Quantile, 12);
        // Correction off: variant F; K takes precedence over X.
        Assert.Equal("finite-sample, two tails", ConformalIntervalProvider.ForPlan(calibration, bias, "test", correct: false, crossStep: true)!.Calibration.Rule);
        Assert.Equal("finite-sample, symmetric, about the corrected prediction",
            ConformalIntervalProvider.ForPlan(calibration, bias, "test", correct: true, centred: true, crossStep: true)!.Calibration.Rule);
    }
}
