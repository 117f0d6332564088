using CsCheck;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Planning;
using HyperLaws.Runs;
using Xunit;
using static HyperLaws.Tests.Evaluation.FiniteSampleConformalTests;

namespace HyperLaws.Tests.Evaluation;

/// <summary>
/// Variant P of docs/VALIDATION.md "Intervals: a pseudo horizon step when the runs have one": the pseudo step's fraction (1 / R, floored
/// at <see cref="ConformalIntervalProvider.Truncation"/>), its residuals (one fit on the runs cut to that fraction, predicting their ends),
/// the planner's rule (variant X's two-step rule on the real and pseudo residuals, only where X has one step), coverage of fresh
/// exchangeable draws over many deterministic seeds, and the width's monotone growth with the plan's extrapolation distance.
/// </summary>
public sealed class PseudoStepIntervalTests
{
    [Fact]
    public void The_fraction_is_one_over_the_plans_horizon_ratio_floored_at_the_first_half_and_none_without_a_horizon_extrapolation()
    {
        Assert.Equal(25000.0 / 35000, ConformalIntervalProvider.PseudoStepFraction(35000.0 / 25000), 12);
        Assert.Equal(ConformalIntervalProvider.Truncation, ConformalIntervalProvider.PseudoStepFraction(3));
        Assert.True(double.IsNaN(ConformalIntervalProvider.PseudoStepFraction(1)));
        Assert.True(double.IsNaN(ConformalIntervalProvider.PseudoStepFraction(0.8)));
        Assert.True(double.IsNaN(ConformalIntervalProvider.PseudoStepFraction(double.NaN)));
        // Never longer the further the plan reaches, always within [Truncation, 1).
        Property.ForAll(Gen.Select(Property.LogUniform(1.0001, 20), Property.LogUniform(1.0001, 20)), x =>
        {
            var (a, b) = x.Item1 <= x.Item2 ? (x.Item1, x.Item2) : (x.Item2, x.Item1);
            double fa = ConformalIntervalProvider.PseudoStepFraction(a), fb = ConformalIntervalProvider.PseudoStepFraction(b);
            Assert.True(fb <= fa, $"f({b}) = {fb} > f({a}) = {fa}");
            Assert.InRange(fa, ConformalIntervalProvider.Truncation, 1 - 1e-12);
        });
    }

    private static FitTarget Curve(string name, int steps, double end) =>
        new(name, new ScheduleHistory([.. Enumerable.Repeat(1e-3, steps)]), [.. Enumerable.Range(1, 10).Select(i => i * steps / 10)],
            [.. Enumerable.Range(1, 10).Select(i => end + 0.1 * (10 - i))]);

    [Fact]
    public void The_pseudo_step_fits_once_on_the_runs_cut_to_the_fraction_and_predicts_each_ones_end()
    {
        var runs = new List<FitTarget> { Curve("a", 1500, 3.0), Curve("b", 1500, 3.1), Curve("c", 1500, 3.2), Curve("real", 1500, 3.3) };
        var seen = new List<IReadOnlyList<FitTarget>>();
        // A stand-in fitter: remembers what it was fitted on, predicts 1% below each curve's end.
        Func<IReadOnlyList<FitTarget>, Func<FitTarget, double>> fit = train =>
        {
            seen.Add(train);
            return t => t.Loss[^1] * 0.99;
        };
        var pseudo = ConformalIntervalProvider.PseudoStep(runs, fit, 0.7, new HashSet<string>(StringComparer.Ordinal) { "real" });
        Assert.Single(seen);
        Assert.Equal(new[] { "a", "b", "c" }, seen[0].Select(t => t.Name));
        Assert.All(seen[0], t => Assert.Equal(1050, t.Steps[^1]));   // 7 of 10 points: steps up to 0.7 x 1500
        Assert.Equal(new[] { "a", "b", "c" }, pseudo.Select(r => r.Run));
        Assert.All(pseudo, r => Assert.Equal(HorizonBias.PseudoSplit, r.Split));
        Assert.All(pseudo, r => Assert.Equal(1 / 0.99 - 1, r.Relative, 12));
        // The distance is the horizon ratio from the cut curves to the ends: ln(1500 / 1050).
        Assert.All(pseudo, r => Assert.Equal(Math.Log(1500.0 / 1050), r.Distance.Value, 12));
        Assert.Empty(ConformalIntervalProvider.PseudoStep(runs, fit, 0.7, new HashSet<string>(["a", "b", "c", "real"])));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConformalIntervalProvider.PseudoStep(runs, fit, 1.0));
    }

    private static TrainingRun Run(string name, int steps, double final) =>
        new(new RunMetadata(name)
        {
            Tags = new Dictionary<string, string>
            {
                ["finalValLoss"] = final.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                ["finalValStep"] = steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        }, [.. Enumerable.Repeat(1e-3, steps)], [new LossObservation(steps, final)]);

    /// <summary>
    /// One real step (runs of 250 steps predicted from shorter ones, bias <paramref name="realBias"/>) and one pseudo step (runs of 150 steps predicted
    /// from their prefixes, bias <paramref name="pseudoBias"/>), each with normal noise of sd <paramref name="noise"/>; all at one LR, final
    /// evaluations as actuals.
    /// </summary>
    private static (List<CalibrationResidual> Real, List<CalibrationResidual> Pseudo, List<TrainingRun> Runs) Steps(Random rng, int nReal, int nPseudo,
        double realBias, double pseudoBias, double noise)
    {
        var real = new List<CalibrationResidual>();
        var pseudo = new List<CalibrationResidual>();
        var runs = new List<TrainingRun>();
        for (int i = 0; i < nReal; i++)
        {
            double actual = 3.0 * (1 + realBias + noise * Normal(rng));
            real.Add(new CalibrationResidual("long" + i, "held-out", 3.0, actual, new ExtrapolationDistance(25.0 / 15, 1, 1)));
            runs.Add(Run("long" + i, 250, actual));
        }
        for (int i = 0; i < nPseudo; i++)
        {
            double actual = 3.2 * (1 + pseudoBias + noise * Normal(rng));
            pseudo.Add(new CalibrationResidual("short" + i, HorizonBias.PseudoSplit, 3.2, actual, new ExtrapolationDistance(1.4, 1, 1)));
            runs.Add(Run("short" + i, 150, actual));
        }
        return (real, pseudo, runs);
    }

    [Fact]
    public void With_one_real_step_the_planner_corrects_across_the_real_and_the_pseudo_step()
    {
        var (real, pseudo, runs) = Steps(new Random(31), 12, 15, -0.02, -0.03, 0.001);
        var bias = HorizonBias.From(real, runs);
        Assert.Null(bias.AboutOtherSteps(real));   // one step: X alone has nothing to correct across
        List<CalibrationResidual> all = [.. real, .. pseudo];
        var both = HorizonBias.WithPseudoStep(all, runs);
        Assert.Equal(27, both.Residuals.Count);
        // The plan's own correction ignores the pseudo step.
        Assert.Equal(HorizonBias.From(all, runs).At(1e-3).Bias, bias.At(1e-3).Bias, 12);
        int calls = 0;
        (IReadOnlyList<CalibrationResidual>, HorizonBias)? Made()
        {
            calls++;
            return (all, both);
        }
        var p = ConformalIntervalProvider.ForPlan(real, bias, "test", correct: true, crossStep: true, pseudoStep: Made)!.Calibration;
        Assert.Equal(1, calls);
        Assert.Equal("finite-sample, symmetric, corrected across horizon steps (pseudo step)", p.Rule);
        var across = both.AboutOtherSteps(all)!;
        var expected = ConformalCalibration.FiniteSampleSymmetric(ConformalCalibration.Calibrate(across, 0.9), across);
        Assert.Equal(expected.Quantile, p.Quantile, 12);
        // Each real residual corrected by the pseudo step's mean and each pseudo one by the real step's: the 1% change of the bias remains.
        Assert.InRange(across.Average(c => Math.Abs(c.Relative)), 0.008, 0.012);
        // Without the pseudo step: X's one-step fallback, the symmetric interval about the law's own prediction.
        var x = ConformalIntervalProvider.ForPlan(real, bias, "test", correct: true, crossStep: true)!.Calibration;
        Assert.Equal("symmetric", x.Rule);
        Assert.Equal(ConformalCalibration.Calibrate(real, 0.9).Quantile, x.Quantile, 12);
        // A pseudo step that gives nothing: X's fallback too.
        Assert.Equal("symmetric", ConformalIntervalProvider.ForPlan(real, bias, "test", correct: true, crossStep: true, pseudoStep: () => null)!.Calibration.Rule);
    }

    [Fact]
    public void The_pseudo_step_is_not_fitted_where_the_runs_give_two_steps_or_no_correction()
    {
        var (real, _, runs) = Steps(new Random(37), 12, 0, -0.02, 0, 0.002);
        var (later, _, laterRuns) = Steps(new Random(41), 10, 0, -0.03, 0, 0.002);
        later = [.. later.Select(r => r with { Run = "late" + r.Run, Split = "nested" })];
        laterRuns = [.. later.Select(r => Run(r.Run, 350, r.Actual))];
        List<CalibrationResidual> two = [.. real, .. later];
        var bias = HorizonBias.From(two, [.. runs, .. laterRuns]);
        (IReadOnlyList<CalibrationResidual>, HorizonBias)? Fail() => throw new InvalidOperationException("the pseudo step was fitted");
        Assert.Equal("finite-sample, symmetric, corrected across horizon steps",
            ConformalIntervalProvider.ForPlan(two, bias, "test", correct: true, crossStep: true, pseudoStep: Fail)!.Calibration.Rule);
        Assert.StartsWith("finite-sample", ConformalIntervalProvider.ForPlan(real, HorizonBias.From(real, runs), "test", correct: false, crossStep: true, pseudoStep: Fail)!.Calibration.Rule);
        Assert.Equal("finite-sample, symmetric, about the corrected prediction",
            ConformalIntervalProvider.ForPlan(real, HorizonBias.From(real, runs), "test", correct: true, centred: true, crossStep: true, pseudoStep: Fail)!.Calibration.Rule);
    }

    [Theory]
    [InlineData(10, 12)]
    [InlineData(20, 20)]
    public void Fresh_exchangeable_draws_are_covered_at_about_the_level_over_many_seeds(int nReal, int nPseudo)
    {
        // Each seed: a bias b the same at every step (the exchangeable case the rule assumes: the change between the pseudo and the
        // real step is distributed as the change into the plan's step, here 0) and normal noise, so the cross-corrected scores and the
        // plan's error about its corrected prediction (the real step's mean) are exchangeable up to the sizes of the means. The interval
        // at the plan's distance holds the fresh draw in at least ~90% of 2000 seeds (binomial sd 0.67 points).
        var rng = new Random(1000 * nReal + nPseudo);
        const int seeds = 2000;
        int covered = 0;
        for (int seed = 0; seed < seeds; seed++)
        {
            double b = 0.03 * (rng.NextDouble() - 0.5);
            var (real, pseudo, runs) = Steps(rng, nReal, nPseudo, b, b, 0.01);
            var bias = HorizonBias.From(real, runs);
            List<CalibrationResidual> all = [.. real, .. pseudo];
            var provider = ConformalIntervalProvider.ForPlan(real, bias, "test", correct: true, crossStep: true, pseudoStep: () => (all, HorizonBias.WithPseudoStep(all, runs)))!;
            double corrected = 3.0 * bias.At(1e-3).Factor;
            double actual = 3.0 * (1 + b + 0.01 * Normal(rng));
            var iv = provider.Interval(corrected, new PlanExtrapolation(1.4, 1, 1));
            if (actual >= iv.Lower && actual <= iv.Upper) covered++;
        }
        Assert.InRange(covered / (double)seeds, 0.88, 1.0);
    }

    [Fact]
    public void The_width_grows_monotonically_with_the_plans_extrapolation_distance()
    {
        Property.ForAll(Gen.Select(Gen.Int[3, 20], Gen.Int[3, 20], Gen.Int[0, int.MaxValue], Gen.Select(Property.LogUniform(1.0001, 4), Property.LogUniform(1.0001, 4))), x =>
        {
            var rng = new Random(x.Item3);
            var (real, pseudo, runs) = Steps(rng, x.Item1, x.Item2, -0.02 + 0.01 * Normal(rng), -0.02 + 0.01 * Normal(rng), 0.005);
            List<CalibrationResidual> all = [.. real, .. pseudo];
            var provider = ConformalIntervalProvider.ForPlan(real, HorizonBias.From(real, runs), "test", correct: true, crossStep: true,
                pseudoStep: () => (all, HorizonBias.WithPseudoStep(all, runs)))!;
            Assert.True(provider.Calibration.PseudoStep);
            var (near, far) = x.Item4.Item1 <= x.Item4.Item2 ? (x.Item4.Item1, x.Item4.Item2) : (x.Item4.Item2, x.Item4.Item1);
            var a = provider.Interval(3.0, new PlanExtrapolation(near, 1, 1));
            var c = provider.Interval(3.0, new PlanExtrapolation(far, 1, 1));
            Assert.True(c.Upper - c.Lower >= a.Upper - a.Lower - 1e-12, $"width {c.Upper - c.Lower} at H {far} < {a.Upper - a.Lower} at H {near}");
            Assert.True(c.Lower <= a.Lower + 1e-12 && c.Upper >= a.Upper - 1e-12, "the farther interval contains the nearer one");
            Assert.True(provider.Calibration.Growth >= 0);
        }, iterations: 150);
    }
}
