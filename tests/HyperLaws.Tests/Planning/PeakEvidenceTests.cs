using HyperLaws.Numerics;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// <see cref="PeakEvidence"/>: what runs at two or more peaks of a comparable horizon show about the best peak, and the plan's peak held
/// by it where the law's optimum contradicts the runs (<see cref="GuardKind.RunsEvidence"/>; docs/VALIDATION.md, "The runs decide the
/// peak where they bracket it").
/// </summary>
public sealed class PeakEvidenceTests
{
    /// <summary>A constant run of <paramref name="steps"/> at <paramref name="peak"/> ending with a validation loss of <paramref name="val"/>.</summary>
    private static TrainingRun Run(string name, double peak, int steps, double val, double n = 17e6) =>
        new(new RunMetadata(name) { Parameters = n }, Enumerable.Repeat(peak, steps).ToArray(),
            [new LossObservation(steps / 2, val + 0.5), new LossObservation(steps, val + 0.1), new LossObservation(steps, val, LossSplit.Validation)]);

    /// <summary>A constant-LR plan (the schedule whose shape the constant runs above are compared with).</summary>
    private static readonly LrSchedule Flat = new ConstantSchedule(1, 1000);

    [Fact]
    public void Parameter_Golf_like_runs_put_the_best_at_the_lowest_peak_and_admit_no_peak_above_it()
    {
        // p18's lr-9x512 final validation losses: 0.04 twice (2.0606 at 13,780 steps, 2.0592 at 13,450), 0.02 once (2.0571 at 14,421).
        var e = PeakEvidence.Of([Run("baseline", 0.04, 13780, 2.0606), Run("sliding", 0.04, 13450, 2.0592), Run("lowerlr", 0.02, 14421, 2.0571)], 17e6, 14421, double.NaN, Flat)!;
        Assert.Equal(PeakEvidenceKind.BestAtLowest, e.Kind);
        Assert.Equal(0.02, e.BestPeak);
        Assert.Equal("lowerlr", e.BestRun);
        Assert.Equal(0.04, e.Upper);
        Assert.True(double.IsNaN(e.Lower));
        Assert.Equal(0.0014, e.RepeatSpread, 12);
        Assert.Equal((2, 3), (e.Peaks, e.Runs));
        Assert.Equal(0.02, e.RunsOptimum);
        Assert.False(e.Admits(0.607));
        Assert.True(e.Admits(0.02));
        Assert.True(e.Admits(0.005));
    }

    [Fact]
    public void A_bracket_gives_the_parabolas_vertex_in_ln_peak_and_admits_only_the_bracket()
    {
        // Peaks x2 apart (h = ln 2), losses 3.1, 3.0, 3.05: the vertex is h/2 (y1 - y3) / (y1 - 2 y2 + y3) = h/6 above the middle.
        var e = PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 2e-3, 5000, 3.0), Run("c", 4e-3, 5000, 3.05)], 17e6, 5000, double.NaN, Flat)!;
        Assert.Equal(PeakEvidenceKind.Bracketed, e.Kind);
        Assert.Equal(2e-3 * Math.Pow(2, 1.0 / 6), e.RunsOptimum, 12);
        Assert.Equal((1e-3, 4e-3), (e.Lower, e.Upper));
        Assert.True(e.Admits(3e-3));
        Assert.False(e.Admits(5e-3));
        Assert.False(e.Admits(5e-4));
        // Best at the highest: only peaks at or above it agree.
        var high = PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 2e-3, 5000, 3.0)], 17e6, 5000, double.NaN, Flat)!;
        Assert.Equal(PeakEvidenceKind.BestAtHighest, high.Kind);
        Assert.True(high.Admits(1.0));
        Assert.False(high.Admits(1.5e-3));
    }

    [Fact]
    public void No_evidence_from_one_peak_from_peaks_at_other_horizons_or_sizes_or_an_ordering_within_the_repeats_spread()
    {
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 1e-3, 5200, 3.0)], 17e6, 5200, double.NaN, Flat));
        // Two peaks, but 5,000 and 20,000 steps: only the reference's horizon (20,000) counts.
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 2e-3, 20000, 3.0)], 17e6, 20000, double.NaN, Flat));
        // Two peaks at 5,000 steps, but the reference is at 7,000: not its horizon, so not carried with its factor.
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 2e-3, 5000, 3.0)], 17e6, 7000, double.NaN, Flat));
        // The run at the other peak is at another size: left out.
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 2e-3, 5000, 3.0, n: 1e9)], 17e6, 5000, double.NaN, Flat));
        // The run at the other peak trained at another batch (tokens per step): left out.
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 2e-3, 5000, 3.0) with { Metadata = new RunMetadata("b") { Parameters = 17e6, TokensPerStep = 2e5 } }],
            17e6, 5000, 1e5, Flat));
        // No repeats: a best within 0.1% of its neighbour (3.0 against 3.002) is no ordering.
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.002), Run("b", 2e-3, 5000, 3.0)], 17e6, 5000, double.NaN, Flat));
        // Repeats at 0.04 spread 0.0046, more than the 0.0011 between the peaks' bests.
        Assert.Null(PeakEvidence.Of([Run("a", 0.04, 13780, 2.0606), Run("b", 0.04, 13450, 2.0560), Run("c", 0.02, 14421, 2.0571)], 17e6, 14421, double.NaN, Flat));
        // A diverged run does not count.
        var diverged = Run("b", 2e-3, 5000, 3.0) with { Diverged = true };
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), diverged], 17e6, 5000, double.NaN, Flat));
    }

    [Fact]
    public void A_constant_and_a_cosine_run_at_different_peaks_are_not_compared()
    {
        // Cosine to 0 at 2e-3 ends far below the constant run at 1e-3: their final losses say nothing about the peak.
        var cosine = new CosineSchedule(2e-3, 5000, 0, 0).Evaluate();
        var mixed = new TrainingRun(new RunMetadata("cosine") { Parameters = 17e6 }, cosine,
            [new LossObservation(5000, 3.1), new LossObservation(5000, 3.0, LossSplit.Validation)]);
        Assert.Null(PeakEvidence.Of([Run("constant", 1e-3, 5000, 3.1), mixed], 17e6, 5000, double.NaN, Flat));
    }

    /// <summary>A run of <paramref name="schedule"/> at 17M ending with a validation loss of <paramref name="val"/>.</summary>
    private static TrainingRun Of(string name, LrSchedule schedule, double val) =>
        new(new RunMetadata(name) { Parameters = 17e6 }, schedule.Evaluate(),
            [new LossObservation(schedule.Steps, val + 0.1), new LossObservation(schedule.Steps, val, LossSplit.Validation)]);

    /// <summary>WSD with a 300-step warmup (the 124M grid's) and a cooldown of <paramref name="cooldown"/> of the run.</summary>
    private static WsdSchedule Wsd(double peak, int steps, double cooldown, CooldownShape shape = CooldownShape.Linear, double floor = 0) =>
        new(peak, steps, 300, cooldown, shape: shape, floor: floor);

    [Fact]
    public void Only_runs_of_the_plans_own_shape_decide_its_peak_constant_runs_never_an_annealed_plans()
    {
        // Protocol 6's 124M grid at 15,000 steps (final validation losses): constant runs at four peaks, their best at 5e-4 inside the
        // bracket; WSD runs (60% linear cooldown) at three, their best at the highest, 2e-3. Grouped by most peaks, the constant runs
        // decided every annealed plan (docs/VALIDATION.md, "After the review: like-for-like groups: results").
        List<TrainingRun> runs =
        [
            Of("c1", new ConstantSchedule(1e-4, 15000, 300), 3.30), Of("c5", new ConstantSchedule(5e-4, 15000, 300), 3.196),
            Of("c10", new ConstantSchedule(1e-3, 15000, 300), 3.21), Of("c20", new ConstantSchedule(2e-3, 15000, 300), 3.25),
            Of("w5", Wsd(5e-4, 15000, 0.6), 3.1255), Of("w10", Wsd(1e-3, 15000, 0.6), 3.0974), Of("w20", Wsd(2e-3, 15000, 0.6), 3.0913),
        ];
        var annealed = PeakEvidence.Of(runs, 17e6, 15000, double.NaN, Wsd(1, 25000, 0.6))!;
        Assert.Equal((PeakEvidenceKind.BestAtHighest, 2e-3, "w20", 3, 3), (annealed.Kind, annealed.BestPeak, annealed.BestRun, annealed.Peaks, annealed.Runs));
        Assert.True(annealed.Admits(2.6e-3));
        Assert.False(annealed.Admits(1.5e-3));
        // A cooldown within SameShape of the runs' (0.58 against 0.6) is their shape.
        Assert.Equal("w20", PeakEvidence.Of(runs, 17e6, 15000, double.NaN, Wsd(1, 25000, 0.58))!.BestRun);
        var flat = PeakEvidence.Of(runs, 17e6, 15000, double.NaN, new ConstantSchedule(1, 25000, 300))!;
        Assert.Equal((PeakEvidenceKind.Bracketed, 5e-4, "c5", 4), (flat.Kind, flat.BestPeak, flat.BestRun, flat.Runs));
        // No runs of the plan's shape: a cosine plan, a 20% cooldown, a WSD plan ending at 10% of its peak, a warmup of 10% of the run.
        Assert.Null(PeakEvidence.Of(runs, 17e6, 15000, double.NaN, new CosineSchedule(1, 25000, 300)));
        Assert.Null(PeakEvidence.Of(runs, 17e6, 15000, double.NaN, Wsd(1, 25000, 0.2)));
        Assert.Null(PeakEvidence.Of(runs, 17e6, 15000, double.NaN, Wsd(1, 25000, 0.6, floor: 0.1)));
        Assert.Null(PeakEvidence.Of(runs, 17e6, 15000, double.NaN, new WsdSchedule(1, 25000, 2500, 0.6)));
    }

    [Fact]
    public void A_sqrt_cooldown_read_as_the_plans_linear_shape_is_another_decay_form_not_a_repeat()
    {
        // The 124M grid's 20% cooldowns at 25,000 steps: linear 3.0495, 3.0378, 3.0431 at 5e-4, 1e-3, 2e-3; 1-sqrt 3.0472, 3.0332,
        // 3.0357. The planner reads a 1-sqrt cooldown as a longer linear one within ShapeTolerance, as the plan's shape (cooldown 0.22);
        // counted as repeats, its spread (up to 0.0074) would hide the linear runs' bracket.
        var plan = Wsd(1, 35000, 0.22);
        var sqrtRun = Of("s10", Wsd(1e-3, 25000, 0.2, CooldownShape.Sqrt), 3.0332);
        var read = ObservedBest.ReadOf(sqrtRun)!;
        Assert.True(read.Mismatch <= ObservedBest.ShapeTolerance);
        Assert.True(ObservedBest.OneShape(read, ObservedBest.ShapeOf(plan)));
        Assert.True(PeakEvidence.CurveDistance(PeakEvidence.Curve(sqrtRun.LearningRates), PeakEvidence.Curve(Wsd(1, 25000, 0.2).Evaluate())) > ObservedBest.ShapeTolerance);
        List<TrainingRun> runs =
        [
            Of("l5", Wsd(5e-4, 25000, 0.2), 3.0495), Of("l10", Wsd(1e-3, 25000, 0.2), 3.0378), Of("l20", Wsd(2e-3, 25000, 0.2), 3.0431),
            Of("s5", Wsd(5e-4, 25000, 0.2, CooldownShape.Sqrt), 3.0472), sqrtRun, Of("s20", Wsd(2e-3, 25000, 0.2, CooldownShape.Sqrt), 3.0357),
        ];
        var e = PeakEvidence.Of(runs, 17e6, 25000, double.NaN, plan)!;
        Assert.Equal((PeakEvidenceKind.Bracketed, 1e-3, "l10", 3, 0.0), (e.Kind, e.BestPeak, e.BestRun, e.Runs, e.RepeatSpread));
        Assert.Equal((5e-4, 2e-3), (e.Lower, e.Upper));
    }

    [Fact]
    public void Warmups_within_SameShape_do_not_split_one_decay_form()
    {
        // p18's lr-9x512 runs: WSD with a 1,200-step linear warmdown to 0; 0.04 twice without warmup (13,780 and 13,450 steps), 0.02
        // after a 200-step warmup (14,421); the plan's cooldown 5%, its warmup 14 steps. The 200-step warmup alone is more than
        // ShapeTolerance RMS from none; compared apart (within SameShape), it leaves the three runs one shape.
        var lowerlr = Of("lowerlr", new WsdSchedule(0.02, 14421, 200, cooldownSteps: 1200), 2.0571);
        var baseline = Of("baseline", new WsdSchedule(0.04, 13780, 0, cooldownSteps: 1200), 2.0606);
        Assert.True(PeakEvidence.CurveDistance(PeakEvidence.Curve(lowerlr.LearningRates), PeakEvidence.Curve(baseline.LearningRates)) > ObservedBest.ShapeTolerance);
        Assert.True(PeakEvidence.CurveDistance(PeakEvidence.Curve(lowerlr.LearningRates, 200), PeakEvidence.Curve(baseline.LearningRates)) < 0.01);
        List<TrainingRun> runs = [baseline, Of("sliding", new WsdSchedule(0.04, 13450, 0, cooldownSteps: 1200), 2.0592), lowerlr];
        var e = PeakEvidence.Of(runs, 17e6, 14421, double.NaN, new WsdSchedule(1, 14119, 14, 0.05))!;
        Assert.Equal((PeakEvidenceKind.BestAtLowest, 0.02, "lowerlr", 3), (e.Kind, e.BestPeak, e.BestRun, e.Runs));
    }

    [Fact]
    public void A_curve_is_its_schedules_shape_whatever_its_length_and_peak()
    {
        var a = PeakEvidence.Curve(Wsd(1e-3, 15000, 0.6).Evaluate());
        Assert.Equal(PeakEvidence.CurvePoints, a.Length);
        Assert.Equal(1.0, a.Max());
        Assert.Equal(0.0, PeakEvidence.CurveDistance(a, PeakEvidence.Curve(new WsdSchedule(4e-2, 30000, 600, 0.6).Evaluate())), 3);
        Assert.True(PeakEvidence.CurveDistance(a, PeakEvidence.Curve(new ConstantSchedule(1e-3, 15000, 300).Evaluate())) > 0.3);
    }

    [Fact]
    public void One_split_for_the_group_training_losses_when_a_run_has_no_validation_loss()
    {
        // a: validation 3.0 (training 3.1); b: no validation, training 3.05. Validation against training would put a first; training
        // for both puts b first (3.05 < 3.1).
        var b = new TrainingRun(new RunMetadata("b") { Parameters = 17e6 }, Enumerable.Repeat(2e-3, 5000).ToArray(), [new LossObservation(5000, 3.05)]);
        var e = PeakEvidence.Of([Run("a", 1e-3, 5000, 3.0), b], 17e6, 5000, double.NaN, Flat)!;
        Assert.Equal("b", e.BestRun);
        Assert.Equal(3.05, e.BestLoss);
    }

    /// <summary><paramref name="run"/> with a final evaluation <paramref name="loss"/> at step <paramref name="step"/> (the W&amp;B reader's tags; its last step by default).</summary>
    private static TrainingRun Evaluated(TrainingRun run, double loss, int? step = null) => run with
    {
        Metadata = run.Metadata with
        {
            Tags = new Dictionary<string, string>(run.Metadata.Tags)
            {
                ["finalValLoss"] = loss.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                ["finalValStep"] = (step ?? run.Steps).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        },
    };

    [Fact]
    public void Final_evaluations_decide_where_every_run_has_one_and_the_last_logged_losses_are_within_the_margin()
    {
        // The 124M grid's 60%-cooldown runs at 35,000 steps: last logged validation 2.9530 (1e-3) and 2.9507 (2e-3), 0.0023 apart, within
        // 0.1% of the loss (0.0030); their final evaluations 2.9893 and 2.9859, 0.0034 apart, beyond it (0.0029859).
        TrainingRun[] runs = [Evaluated(Run("a", 1e-3, 5000, 2.9530), 2.9893), Evaluated(Run("b", 2e-3, 5000, 2.9507), 2.9859)];
        Assert.Null(PeakEvidence.Of(runs, 17e6, 5000, double.NaN, Flat));
        Assert.Null(PeakEvidence.Of(runs, 17e6, 5000, double.NaN, Flat, finalEvaluation: false));
        var e = PeakEvidence.Of(runs, 17e6, 5000, double.NaN, Flat, finalEvaluation: true)!;
        Assert.Equal(PeakEvidenceKind.BestAtHighest, e.Kind);
        Assert.Equal((2e-3, "b", 2.9859), (e.BestPeak, e.BestRun, e.BestLoss));
        Assert.True(e.FinalEvaluation);
        Assert.Equal(LossSplit.Validation, e.Split);
        // The margin is unchanged: final evaluations within 0.1% of the loss are no ordering either.
        Assert.Null(PeakEvidence.Of([Evaluated(Run("a", 1e-3, 5000, 2.9530), 2.9880), Evaluated(Run("b", 2e-3, 5000, 2.9507), 2.9859)],
            17e6, 5000, double.NaN, Flat, finalEvaluation: true));
        // Without the option the loss read is the last logged validation loss, and says so.
        var logged = PeakEvidence.Of(runs, 17e6, 5000, double.NaN, Flat, margin: false)!;
        Assert.Equal((2.9507, false, LossSplit.Validation), (logged.BestLoss, logged.FinalEvaluation, logged.Split));
    }

    [Fact]
    public void Final_evaluations_are_never_mixed_with_logged_losses()
    {
        // a: final evaluation 3.0 (logged 3.1); b: none (logged 3.05). Mixing would put a first; without a final evaluation for every run
        // the group is read on its last logged validation losses, as without the option: b first, beyond the margin.
        var e = PeakEvidence.Of([Evaluated(Run("a", 1e-3, 5000, 3.1), 3.0), Run("b", 2e-3, 5000, 3.05)], 17e6, 5000, double.NaN, Flat, finalEvaluation: true)!;
        Assert.Equal(("b", 3.05, false), (e.BestRun, e.BestLoss, e.FinalEvaluation));
        // An evaluation not at the run's last step (a run cut before its end keeps no final evaluation) is no final evaluation.
        var cut = PeakEvidence.Of([Evaluated(Run("a", 1e-3, 5000, 3.1), 3.0, step: 6000), Evaluated(Run("b", 2e-3, 5000, 3.05), 3.2)],
            17e6, 5000, double.NaN, Flat, finalEvaluation: true)!;
        Assert.Equal(("b", 3.05, false), (cut.BestRun, cut.BestLoss, cut.FinalEvaluation));
    }

    [Fact]
    public void Final_evaluations_decide_for_runs_that_log_training_losses_only()
    {
        // Training losses only (a plan fitted on training losses reads the same runs): 3.10 (1e-3) against 3.101 (2e-3), within the margin;
        // their final evaluations 3.0 and 3.05 are beyond it, so the best is at the lowest peak.
        static TrainingRun Train(string name, double peak, double loss) =>
            new(new RunMetadata(name) { Parameters = 17e6 }, Enumerable.Repeat(peak, 5000).ToArray(), [new LossObservation(5000, loss)]);
        TrainingRun[] runs = [Evaluated(Train("a", 1e-3, 3.10), 3.0), Evaluated(Train("b", 2e-3, 3.101), 3.05)];
        Assert.Null(PeakEvidence.Of(runs, 17e6, 5000, double.NaN, Flat));
        var e = PeakEvidence.Of(runs, 17e6, 5000, double.NaN, Flat, finalEvaluation: true)!;
        Assert.Equal((PeakEvidenceKind.BestAtLowest, "a", 3.0, true), (e.Kind, e.BestRun, e.BestLoss, e.FinalEvaluation));
    }

    [Fact]
    public void The_plan_reads_the_runs_final_evaluations_with_PeakFromFinalEvaluation()
    {
        // The constant runs' last logged validation losses order 1e-3 (3.0) over 2e-3 (3.002), within the margin: the old guard. Their final
        // evaluations (3.0 and 3.05) order them beyond it: with the option the plan is held at the runs' best, 1e-3 in the runs' units.
        var logged = Plan(fromRuns: true, high: 3.002, evaluations: (3.0, 3.05)).Decision(PlanAxis.PeakLr)!;
        Assert.Null(logged.RunsEvidence);
        Assert.Equal(GuardKind.AboveRuns, logged.Guard!.Kind);
        var plan = Plan(fromRuns: true, high: 3.002, evaluations: (3.0, 3.05), final: true);
        var final = plan.Decision(PlanAxis.PeakLr)!;
        Assert.Equal(GuardKind.RunsEvidence, final.Guard!.Kind);
        Assert.Equal((PeakEvidenceKind.BestAtLowest, 3.0, true), (final.RunsEvidence!.Kind, final.RunsEvidence.BestLoss, final.RunsEvidence.FinalEvaluation));
        Assert.Equal(final.Guard.SupportLow, final.Chosen, 9);
        Assert.Equal(logged.Optimum, final.Optimum, 12);
        // The warning names the losses compared.
        var w = Assert.Single(plan.Warnings, w => w.Kind == WarningKind.PeakGuarded);
        Assert.Equal(["RunsEvidence", "BestAtLowest", "constant-2000", "finalEvaluation"], w.Labels);
        Assert.Contains("contradicts the runs' own final losses (their final evaluations) at", PlanExplainer.Warning(w), StringComparison.Ordinal);
    }

    [Fact]
    public void The_plan_is_held_at_the_runs_best_peak_when_the_laws_optimum_lies_above_where_their_loss_rose()
    {
        var plan = Plan(fromRuns: true);
        var peak = plan.Decision(PlanAxis.PeakLr)!;
        Assert.Equal(AxisBound.AtHigh, peak.Bound);
        var guard = peak.Guard!;
        Assert.True(guard.Kind == GuardKind.RunsEvidence, plan.Best.Schedule.ToSpec());
        // The runs' best peak, 1e-3 in the runs' units, carried to the target as the runs' range is (their lowest peak is 1e-3 too).
        Assert.Equal(guard.SupportLow, peak.Chosen, 9);
        Assert.Equal(Significant.Round(peak.Chosen), ((WarmupSchedule)plan.Best.Schedule).Peak);
        // Four peaks below it, x sqrt(2) apart: the side the runs have not seen.
        Assert.Equal(4, guard.SweepPeaks.Count);
        Assert.All(guard.SweepPeaks, p => Assert.True(p < peak.Chosen));
        var w = Assert.Single(plan.Warnings, w => w.Kind == WarningKind.PeakGuarded);
        Assert.Equal(new[] { "RunsEvidence", "BestAtLowest" }, w.Labels.Take(2));
        Assert.Equal(["optimum", "chosen", "atEdge", "runsBest", "runsBestLoss", "lower", "upper", "units", "peaks"], w.Quantities.Keys);
        Assert.Equal(peak.Chosen, w.Quantities["runsBest"], 9);   // the runs' best, in the target's units as chosen
        Assert.Contains("contradicts the runs' own final losses (their last validation losses)", PlanExplainer.Warning(w), StringComparison.Ordinal);
        Assert.Equal("validation", w.Labels[3]);
        Assert.Contains("the runs' own optimum", PlanExplainer.AxisText(peak), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_margin_the_ordering_is_returned_as_measured()
    {
        // 3.0 at 2e-3 against 3.002 at 1e-3: within 0.1% of the loss, no evidence; asked for the ordering as measured, the best at the highest.
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.002), Run("b", 2e-3, 5000, 3.0)], 17e6, 5000, double.NaN, Flat));
        var e = PeakEvidence.Of([Run("a", 1e-3, 5000, 3.002), Run("b", 2e-3, 5000, 3.0)], 17e6, 5000, double.NaN, Flat, margin: false)!;
        Assert.Equal(PeakEvidenceKind.BestAtHighest, e.Kind);
        Assert.Equal((2e-3, 2e-3, "b"), (e.BestPeak, e.RunsOptimum, e.BestRun));
        // Within the repeats' spread too: bracketed, the vertex between the neighbours.
        var bracket = PeakEvidence.Of([Run("a", 1e-3, 5000, 3.001), Run("b", 2e-3, 5000, 3.0), Run("b2", 2e-3, 5000, 3.004), Run("c", 4e-3, 5000, 3.002)],
            17e6, 5000, double.NaN, Flat, margin: false)!;
        Assert.Equal(PeakEvidenceKind.Bracketed, bracket.Kind);
        Assert.InRange(bracket.RunsOptimum, 1e-3, 4e-3);
        // One peak is still no evidence; equal losses keep the lower peak (the first in order) as the best.
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 1e-3, 5200, 3.0)], 17e6, 5200, double.NaN, Flat, margin: false));
        Assert.Equal(1e-3, PeakEvidence.Of([Run("a", 1e-3, 5000, 3.0), Run("b", 2e-3, 5000, 3.0)], 17e6, 5000, double.NaN, Flat, margin: false)!.BestPeak);
    }

    [Fact]
    public void The_runs_best_within_the_margin_is_taken_only_where_the_law_cannot_tell_it_from_its_optimum()
    {
        // The constant runs order 1e-3 (3.0) over 2e-3 (3.002), within the margin: no evidence, the old guard (the runs' range).
        var off = Plan(fromRuns: true, high: 3.002).Decision(PlanAxis.PeakLr)!;
        Assert.Null(off.RunsEvidence);
        Assert.Equal(GuardKind.AboveRuns, off.Guard!.Kind);
        // With PeakFromRunsBest the runs' best (1e-3 in the runs' units, their range's low end here) is taken exactly when the law's loss
        // there is within 0.1% of its optimum's; else the decision is the one above.
        var on = Plan(fromRuns: true, high: 3.002, best: true).Decision(PlanAxis.PeakLr)!;
        double b = on.Guard!.SupportLow;
        // The law's loss at b, where the decision evaluated it (not at all when b fell outside the allowed range by rounding).
        var atB = on.Points.Where(p => Math.Abs(p.Value / b - 1) < 1e-9).ToList();
        bool indifferent = atB.Count == 1 && atB[0].Loss <= on.OptimumLoss * (1 + PeakEvidence.NoRepeatsMargin);
        Assert.Equal(off.Optimum, on.Optimum, 12);
        if (indifferent)
        {
            Assert.Equal(GuardKind.RunsEvidence, on.Guard.Kind);
            Assert.Equal(b, on.Chosen, 9);
            Assert.Equal(PeakEvidenceKind.BestAtLowest, on.RunsEvidence!.Kind);
        }
        else
        {
            Assert.Equal(off.Chosen, on.Chosen, 12);
            Assert.Equal(GuardKind.AboveRuns, on.Guard.Kind);
        }
    }

    [Fact]
    public void With_the_rule_off_the_same_runs_give_the_old_guard_the_runs_range()
    {
        var peak = Plan(fromRuns: false).Decision(PlanAxis.PeakLr)!;
        Assert.Equal(GuardKind.AboveRuns, peak.Guard!.Kind);
        Assert.True(peak.Chosen > 1.5 * peak.Guard.SupportLow);   // above the runs' best 1e-3, at their range's top
    }

    [Fact]
    public void Runs_of_another_shape_do_not_hold_the_plans_peak()
    {
        // The same ordering (1e-3 beats 2e-3 at the reference's 2,000 steps) shown by cosine runs to 10% only: the plan is constant, so
        // they say nothing about its peak, and the guard is the runs' range, as with the rule off.
        var plan = Plan(fromRuns: true, evidence: "cosine");
        Assert.Equal(ScheduleFamily.Constant, plan.Best.Schedule.Family);
        var peak = plan.Decision(PlanAxis.PeakLr)!;
        Assert.Null(peak.RunsEvidence);
        Assert.Equal(GuardKind.AboveRuns, peak.Guard!.Kind);
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == WarningKind.PeakGuarded && w.Labels[0] == nameof(GuardKind.RunsEvidence));
    }

    /// <summary>
    /// The synthetic annealing-law curves (PlannerTests) and runs of the <paramref name="evidence"/> shape (constant: at 1e-3 and 2e-3;
    /// cosine to 10%: one more at 2e-3 beside PlannerTests' 1e-3) of the reference's 2,000 steps: the law's loss falls with the peak, so
    /// its optimum is the search's top, and its plan is constant. The validation losses at the ends of those 2,000-step runs say the
    /// reverse: 1e-3 (3.0) beats 2e-3 (3.05). No calibration refits and a target of the runs' 2,000 steps: the peak decision is what is
    /// checked, quickly.
    /// </summary>
    /// <param name="evaluations">Final evaluations (low peak, high peak) given to the 2,000-step runs of that shape (the W&amp;B reader's tags); none when null.</param>
    /// <param name="final">PlanOptions.PeakFromFinalEvaluation.</param>
    private static TrainingPlan Plan(bool fromRuns, string evidence = "constant", double high = 3.05, bool best = false, (double Low, double High)? evaluations = null,
        bool final = false)
    {
        IEnumerable<TrainingRun> extra = evidence == "constant"
            ? [SyntheticRuns.Curve("constant-2000", new ConstantSchedule(1e-3, 2000, 20)), SyntheticRuns.Curve("constant-2000-high", new ConstantSchedule(2e-3, 2000, 20))]
            : [SyntheticRuns.Curve("cosine-2000-high", new CosineSchedule(2e-3, 2000, 20, 2e-4))];
        var runs = SyntheticRuns.Plannable().Concat(extra)
            .Select(r => r.Steps == 2000 && r.Name.StartsWith(evidence, StringComparison.Ordinal)
                ? r with { Observations = [.. r.Observations, new LossObservation(2000, r.LearningRates.Max() > 1.5e-3 ? high : 3.0, LossSplit.Validation)] }
                : r)
            .Select(r => evaluations is { } ev && r.Steps == 2000 && r.Name.StartsWith(evidence, StringComparison.Ordinal)
                ? Evaluated(r, r.LearningRates.Max() > 1.5e-3 ? ev.High : ev.Low)
                : r).ToList();
        var options = new PlanOptions { Laws = ["tissue"], ObservedBest = false, BatchSteps = BatchSteps.Steps, Calibrate = false, PeakFromRunsEvidence = fromRuns, PeakFromRunsBest = best,
            PeakFromFinalEvaluation = final };
        return Planner.Make(new PlanRequest(SyntheticRuns.N, 2000 * SyntheticRuns.TokensPerStep, TrainingOptimizer.AdamW), runs, options);
    }
}
