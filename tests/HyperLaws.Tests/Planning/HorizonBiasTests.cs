using System.Globalization;
using HyperLaws.Evaluation;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// <see cref="HorizonBias"/>: the mean residual at the nearest peak LR (pooled below 3), the final evaluation's scale, the
/// leave-one-out error, and the planner's correction end to end on curves of the annealing law whose final evaluations lie a
/// known 2% above the curves.
/// </summary>
public sealed class HorizonBiasTests
{
    private static HorizonResidual R(double peak, double predicted, double actual, bool final = false, string name = "r") => new(name, peak, predicted, actual, final);

    [Fact]
    public void The_bias_is_the_mean_residual_of_the_runs_at_the_nearest_peak_lr()
    {
        var bias = HorizonBias.Of([
            R(1e-3, 3.0, 3.03), R(1e-3, 3.0, 3.06), R(1e-3, 3.0, 3.0),          // +1%, +2%, 0 -> +1%
            R(4e-3, 2.0, 1.9), R(4e-3, 2.0, 1.92), R(4e-3, 2.0, 1.94),          // -5%, -4%, -3% -> -4%
        ]);
        var low = bias.At(1.2e-3);
        Assert.Equal(0.01, low.Bias, 12);
        Assert.Equal(3, low.Residuals);
        Assert.Equal(1e-3, low.PeakLr);
        Assert.Equal(1.01, low.Factor, 12);
        var high = bias.At(3e-3);                                               // nearer 4e-3 in ln (0.29 against 1.10)
        Assert.Equal(-0.04, high.Bias, 12);
        Assert.Equal(4e-3, high.PeakLr);
        // Off: the same bias, a factor of 1.
        var off = bias.At(3e-3, apply: false);
        Assert.Equal(-0.04, off.Bias, 12);
        Assert.Equal(1, off.Factor);
    }

    [Fact]
    public void Fewer_than_three_residuals_at_the_nearest_lr_or_no_peak_pool_them_all_and_none_give_no_correction()
    {
        var bias = HorizonBias.Of([R(1e-3, 3.0, 3.03), R(1e-3, 3.0, 3.06), R(4e-3, 2.0, 1.9), R(4e-3, 2.0, 1.92), R(4e-3, 2.0, 1.94)]);
        var pooled = bias.At(1e-3);
        Assert.Equal(5, pooled.Residuals);
        Assert.True(double.IsNaN(pooled.PeakLr));
        Assert.Equal((0.01 + 0.02 - 0.05 - 0.04 - 0.03) / 5, pooled.Bias, 12);
        Assert.Equal(pooled, bias.At(double.NaN));
        Assert.Equal(HorizonCorrection.None, HorizonBias.Of([]).At(1e-3));
        Assert.Equal(1, HorizonCorrection.None.Factor);
        Assert.Throws<ArgumentException>(() => HorizonBias.Of([R(1e-3, 3, 3, final: true), R(1e-3, 3, 3)]));
    }

    [Fact]
    public void Residuals_about_the_corrected_prediction_are_corrected_leave_one_out_and_the_others_kept()
    {
        // Four horizon residuals at one LR, +2% each: about the corrected prediction every one is 0 (each corrected by the others' +2%),
        // so the signed interval about the corrected prediction is [0, 0] there, and a first-half residual is kept as it was.
        var bias = HorizonBias.Of([R(1e-3, 3.0, 3.06, name: "a"), R(1e-3, 2.5, 2.55, name: "b"), R(1e-3, 2.0, 2.04, name: "c"), R(1e-3, 4.0, 4.08, name: "d")]);
        var d = ExtrapolationDistance.None;
        List<CalibrationResidual> calibration =
        [
            new("a", "held-out", 3.0, 3.06, d), new("b", "nested", 2.5, 2.55, d), new("c", "nested", 2.0, 2.04, d), new("d", "nested", 4.0, 4.08, d),
            new("e", "first 0.5", 3.0, 3.3, d),
        ];
        var about = bias.AboutCorrected(calibration);
        Assert.Equal(5, about.Count);
        for (int i = 0; i < 4; i++) Assert.Equal(0, about[i].Relative, 12);
        Assert.Same(calibration[4], about[4]);
        var signed = ConformalIntervalProvider.TryCalibrate(about, "test", signed: true)!;
        Assert.True(signed.Calibration.Signed);
        Assert.Equal(0, signed.Calibration.LowerQuantile);
        Assert.Equal(0.1, signed.Calibration.UpperQuantile, 12); // 5 residuals: the extreme, the first-half +10%
        Assert.False(ConformalIntervalProvider.TryCalibrate(about, "test")!.Calibration.Signed);
        // Fewer than 3 horizon residuals: nothing to correct leave-one-out with, all kept.
        var two = HorizonBias.Of([R(1e-3, 3.0, 3.06, name: "a"), R(1e-3, 2.5, 2.55, name: "b")]);
        Assert.Same(calibration, two.AboutCorrected(calibration));
    }

    [Fact]
    public void The_leave_one_out_error_is_zero_for_a_constant_bias_and_the_spread_otherwise()
    {
        // Every residual +2% at one LR: each left-out run is corrected exactly by the others' mean.
        var constant = HorizonBias.Of([R(1e-3, 3.0, 3.06), R(1e-3, 2.5, 2.55), R(1e-3, 2.0, 2.04), R(1e-3, 4.0, 4.08)]);
        Assert.Equal(0, constant.LeaveOneOutError(), 12);
        // Residuals 0, +3%, +6%: leaving out 0 corrects by +4.5% (error 4.5%), +3% by +3% (0), +6% by +1.5% (1.5 / 1.06 - ... exact below).
        var spread = HorizonBias.Of([R(1e-3, 1.0, 1.0), R(1e-3, 1.0, 1.03), R(1e-3, 1.0, 1.06)]);
        double expected = (Math.Abs(1.045 / 1.0 - 1) + Math.Abs(1.03 / 1.03 - 1) + Math.Abs(1.015 / 1.06 - 1)) / 3;
        // With 2 others at the LR (fewer than 3) each correction pools all the others: the same two here.
        Assert.Equal(expected, spread.LeaveOneOutError(), 12);
        // Two residuals are too few (each would be corrected by the other alone).
        Assert.True(double.IsNaN(HorizonBias.Of([R(1e-3, 1, 1.01), R(1e-3, 1, 1.012)]).LeaveOneOutError()));
    }

    [Fact]
    public void Final_evaluations_replace_the_logged_losses_when_three_runs_have_one()
    {
        var runs = Enumerable.Range(0, 4).Select(i => Run($"r{i}", 1e-3, 100, 3.0, final: i < 3 ? 3.03 : null)).ToList();
        var residuals = runs.Select(r => new CalibrationResidual(r.Name, "nested", 3.0, 3.0, default!)).ToList();
        residuals.Add(new CalibrationResidual("r0", "first-half", 3.0, 2.0, default!));   // not a horizon residual: ignored
        var bias = HorizonBias.From(residuals, runs);
        Assert.True(bias.FinalEvaluation);
        Assert.Equal(3, bias.Residuals.Count);
        Assert.Equal(0.01, bias.At(1e-3).Bias, 12);
        // Two with a final evaluation: too few, the logged losses for all.
        var two = HorizonBias.From(residuals, [.. runs.Take(2), .. runs.Skip(3)]);
        Assert.False(two.FinalEvaluation);
        Assert.Equal(0, two.At(1e-3).Bias, 12);
        // A final evaluation taken before the last step is not one.
        Assert.True(double.IsNaN(HorizonBias.FinalEvaluationOf(Run("early", 1e-3, 100, 3.0, final: 3.1, finalStep: 50))));
        Assert.Equal(3.1, HorizonBias.FinalEvaluationOf(Run("end", 1e-3, 100, 3.0, final: 3.1)));
    }

    private static TrainingRun Run(string name, double lr, int steps, double last, double? final = null, int? finalStep = null)
    {
        var tags = new Dictionary<string, string>();
        if (final is { } f)
        {
            tags["finalValLoss"] = f.ToString("R", CultureInfo.InvariantCulture);
            tags["finalValStep"] = (finalStep ?? steps).ToString(CultureInfo.InvariantCulture);
        }
        return new TrainingRun(new RunMetadata(name) { Tags = tags }, Enumerable.Repeat(lr, steps).ToArray(), [new LossObservation(steps, last)]);
    }

    /// <summary>The annealing law's curves at 500, 1,000 and 2,000 steps (three shapes each), each with a final evaluation <paramref name="lift"/> above its last loss.</summary>
    private static List<TrainingRun> Evaluated(double lift) =>
    [
        .. new[] { 500, 1000, 2000 }.SelectMany(steps => new (string Name, LrSchedule Schedule)[]
        {
            ($"constant-{steps}", new ConstantSchedule(1e-3, steps, 20)),
            ($"cosine-{steps}", new CosineSchedule(1e-3, steps, 20, 1e-4)),
            ($"wsd-{steps}", new WsdSchedule(1e-3, steps, 20, cooldown: 0.2, floor: 1e-4)),
        }).Select(x =>
        {
            var run = SyntheticRuns.Curve(x.Name, x.Schedule);
            var tags = new Dictionary<string, string>
            {
                ["finalValLoss"] = (run.Observations[^1].Loss * (1 + lift)).ToString("R", CultureInfo.InvariantCulture),
                ["finalValStep"] = run.Steps.ToString(CultureInfo.InvariantCulture),
            };
            return run with { Metadata = run.Metadata with { Tags = tags } };
        }),
    ];

    [Fact]
    public void The_plan_predicts_the_final_evaluation_when_the_correction_is_on_and_the_laws_loss_when_off()
    {
        var runs = Evaluated(0.02);
        var request = new PlanRequest(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW);
        // The correction alone: the anchored loss (which, where a run of the plan's shape exists, replaces the corrected loss) off in both.
        var on = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"], HorizonBias = true, AnchoredLoss = false });
        var off = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"], HorizonBias = false, AnchoredLoss = false });
        // The law recovers the curves, so every horizon residual against the final evaluations is +2%.
        Assert.True(on.Correction.Applied);
        Assert.True(on.Correction.FinalEvaluation);
        Assert.True(on.Correction.Residuals >= 3, $"{on.Correction.Residuals} residuals");
        Assert.Equal(0.02, on.Correction.Bias, 3);
        Assert.Equal(off.Best.Schedule.ToSpec(), on.Best.Schedule.ToSpec());
        Assert.Equal(off.Best.PredictedLoss * (1 + on.Correction.Bias), on.Best.PredictedLoss, 12);
        Assert.Equal(off.Best.Upper * (1 + on.Correction.Bias), on.Best.Upper, 12);
        Assert.Equal(off.RunnerUps.Select(r => r.PredictedLoss * on.Correction.Factor), on.RunnerUps.Select(r => r.PredictedLoss));
        // Off: computed and reported, not applied.
        Assert.False(off.Correction.Applied);
        Assert.Equal(on.Correction.Bias, off.Correction.Bias, 12);
        var reason = Assert.Single(off.Reasons, r => r.Kind == ReasonKind.HorizonBias);
        Assert.Equal(0, reason.Q("applied"));
        Assert.Contains("not applied", PlanExplainer.Reason(reason).Text, StringComparison.Ordinal);
        Assert.Contains("final evaluations", PlanExplainer.Reason(Assert.Single(on.Reasons, r => r.Kind == ReasonKind.HorizonBias)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_correction_on_the_law_choice_compares_the_corrected_held_out_errors()
    {
        static LawAccuracy A(string law, double worst, double corrected) => new(law, "", 0, 0, worst, []) { CorrectedError = corrected };
        var laws = new[] { A("a", 0.01, 0.008), A("b", 0.03, 0.002) };
        Assert.Equal(0, Planner.ChooseLaw(laws, 1).Chosen);
        Assert.Equal(1, Planner.ChooseLaw(laws, 1, byCorrected: true).Chosen);
        // A law without a corrected error: the uncorrected choice stands.
        Assert.Equal(0, Planner.ChooseLaw([laws[0], A("b", 0.03, double.NaN)], 1, byCorrected: true).Chosen);
    }
}
