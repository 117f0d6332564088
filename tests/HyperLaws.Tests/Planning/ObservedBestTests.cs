using System.Globalization;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// <see cref="ObservedBest"/>, the schedule-regret rule, on synthetic law outputs: the incumbent (longest horizon with two shapes,
/// final evaluations first, nearest size), the reading of a run's LRs as a planner schedule, the comparison errors and their
/// finite-sample quantile, the decision both ways, and the structured reason with its words.
/// </summary>
public sealed class ObservedBestTests
{
    private static TrainingRun Run(string name, LrSchedule s, double finalLoss, double? finalEval = null, double? parameters = 1e8)
    {
        var tags = new Dictionary<string, string>();
        if (finalEval is { } v)
        {
            tags["finalValLoss"] = v.ToString(CultureInfo.InvariantCulture);
            tags["finalValStep"] = s.Steps.ToString(CultureInfo.InvariantCulture);
        }
        var meta = new RunMetadata(name) { Parameters = parameters, Tags = tags };
        return new TrainingRun(meta, s.Evaluate(), [new LossObservation(s.Steps / 2, finalLoss + 0.5), new LossObservation(s.Steps, finalLoss)]);
    }

    private static WsdSchedule Wsd(double cooldown, int steps = 1000, double peak = 2e-3, int warmup = 10) => new(peak, steps, warmup, cooldown: cooldown);

    private static CosineSchedule Cosine(int steps = 1000, double peak = 2e-3, int warmup = 10, double floor = 0) => new(peak, steps, warmup, floor * peak);

    private static HorizonResidual R(string run, int horizon, double peak, double predicted, double actual) => new(run, peak, predicted, actual, true) { Horizon = horizon };

    [Fact]
    public void The_incumbent_is_the_best_run_of_the_longest_horizon_with_two_shapes()
    {
        var runs = new List<TrainingRun>
        {
            Run("short-best", Wsd(0.6, steps: 500), 2.5),                       // shorter: not compared with the longer ones
            Run("cos", Cosine(), 3.05),
            Run("wsd-0.6", Wsd(0.6), 3.00),
            Run("wsd-0.2", Wsd(0.2), 3.02),
            Run("const-long-a", new ConstantSchedule(2e-3, 2000, 10), 2.9),    // longest, but one shape only: no best schedule there
            Run("const-long-b", new ConstantSchedule(1e-3, 2000, 10), 2.95),
        };
        var inc = ObservedBest.Incumbent(runs, 1e8, LossSplit.Train);
        Assert.NotNull(inc);
        Assert.Equal("wsd-0.6", inc.Value.Run.Name);
        Assert.Equal(3.00, inc.Value.Loss, 12);
        Assert.Equal(3, inc.Value.Compared);
    }

    [Fact]
    public void Final_evaluations_decide_when_two_runs_have_one_and_the_size_nearest_the_target_is_compared()
    {
        var runs = new List<TrainingRun>
        {
            Run("a", Wsd(0.6), 3.00, finalEval: 3.10),
            Run("b", Wsd(0.2), 3.02, finalEval: 3.05),                         // worse logged loss, better final evaluation
            Run("c", Cosine(), 2.90),                                           // no final evaluation: not compared
            Run("big-a", Wsd(0.2), 2.5, parameters: 1e9),
            Run("big-b", Cosine(), 2.4, parameters: 1e9),
        };
        var small = ObservedBest.Incumbent(runs, 1.2e8, LossSplit.Train);
        Assert.Equal("b", small!.Value.Run.Name);
        Assert.Equal(2, small.Value.Compared);
        var big = ObservedBest.Incumbent(runs, 2e9, LossSplit.Train);
        Assert.Equal("big-b", big!.Value.Run.Name);
        Assert.Null(ObservedBest.Incumbent([Run("x", Wsd(0.6), 3), Run("y", Wsd(0.6, peak: 1e-3), 3.1)], 1e8, LossSplit.Train));
    }

    [Theory]
    [InlineData("wsd", 0.6, 0.0)]
    [InlineData("wsd", 0.37, 0.1)]
    [InlineData("cosine", double.NaN, 0.1)]
    [InlineData("linear", double.NaN, 0.0)]
    [InlineData("constant", double.NaN, double.NaN)]
    public void A_planner_schedule_is_read_back_exactly(string family, double cooldown, double floor)
    {
        Assert.True(ScheduleFamily.TryParse(family, out var f));
        var s = HyperLaws.Evaluation.CandidateGrid.TryBuild(family, 1.5e-3, 3000, 40, cooldown, double.IsNaN(floor) ? 0 : floor)!;
        var shape = ObservedBest.Read(s.Evaluate())!;
        Assert.Equal(f, shape.Family);
        Assert.Equal(40, shape.Warmup);
        Assert.True(shape.Mismatch < 1e-9, $"mismatch {shape.Mismatch}");
        if (!double.IsNaN(cooldown)) Assert.Equal(cooldown, shape.Cooldown, 9);
        if (!double.IsNaN(floor)) Assert.Equal(floor, shape.Floor, 9);
    }

    [Fact]
    public void A_run_is_read_once_per_LR_array_with_Read_s_value_from_any_thread()
    {
        // ReadOf keeps each run's read (the planner reads the incumbent beside its search; the rule and the anchored loss read it again).
        var run = Run("wsd", Wsd(0.3, steps: 3000), 3.0);
        var reads = new ObservedBest.Shape?[8];
        Parallel.For(0, reads.Length, i => reads[i] = ObservedBest.ReadOf(run));
        var direct = ObservedBest.Read(run.LearningRates)!;
        Assert.Equal(direct, reads[0]);
        Assert.All(reads, r => Assert.Same(reads[0], r));
        Assert.Same(reads[0], ObservedBest.ReadOf(run));
        // Another run with equal LRs in another array is read on its own, to the same value.
        var copy = Run("copy", Wsd(0.3, steps: 3000), 3.0);
        Assert.Equal(direct, ObservedBest.ReadOf(copy));
    }

    /// <summary>
    /// LR arrays for the pruned read against the exhaustive one: the shipped Multi-Power-Law runs' schedules (their specs, as
    /// <c>MultiPowerLawLrTests</c> checks them against the logged LRs: exp and linear WSD, cosine, constant, step-downs), planner
    /// schedules read back, the same with noise, shapes between two candidates, and runs too short to prune.
    /// </summary>
    public static TheoryData<string> ReadCases => new()
    {
        "constant(peak=3e-4,steps=72000,warmup=2160)",
        "cosine(peak=3e-4,steps=72000,warmup=2160,floor=3e-5)",
        "cosine(peak=3e-4,steps=24000,warmup=2160,floor=3e-5)",
        "wsd(peak=3e-4,steps=24000,warmup=2160,cooldownSteps=4000,shape=exp,floor=3e-5)",
        "wsd(peak=3e-4,steps=24000,warmup=2160,cooldownSteps=4000,shape=linear,floor=3e-5)",
        "multistep(peak=3e-4,steps=24000,warmup=2160,milestones=[8000],values=[9e-5])",
        "multistep(peak=3e-4,steps=24000,warmup=2160,milestones=[8000],values=[1.8e-4])",
        "wsd(peak=1e-3,steps=30000,warmup=300,cooldown=0.2)",
        "wsd(peak=1e-3,steps=30000,warmup=300,cooldown=0.205,floor=1e-4)",
        "wsd(peak=1e-3,steps=30000,warmup=300,cooldown=0.5,shape=sqrt)",
        "linear(peak=1e-3,steps=20000,warmup=0,floor=5e-5)",
        "invsqrt(peak=1e-3,steps=20000,warmup=500)",
        "cosine(peak=1e-3,steps=300,warmup=10)",
        "wsd(peak=1e-3,steps=120,warmup=5,cooldown=0.1)",
    };

    [Theory]
    [MemberData(nameof(ReadCases))]
    public void The_pruned_read_is_the_exhaustive_read(string spec)
    {
        // Read drops most candidates after a few hundred steps (ObservedBest.Pruned); its result must be the exhaustive read's bit for
        // bit: the family, cooldown, floor and the winner's mismatch, the first of near ties.
        var lrs = LrSchedule.Parse(spec).Evaluate();
        Assert.Equal(ObservedBest.ReadExhaustive(lrs), ObservedBest.Read(lrs));
        // With noise (a logged LR rounded or jittered): the nearest candidate is no longer exact.
        var rng = new Random(7);
        var noisy = lrs.Select(x => x * (1 + 0.01 * (rng.NextDouble() - 0.5))).ToArray();
        Assert.Equal(ObservedBest.ReadExhaustive(noisy), ObservedBest.Read(noisy));
        // Through a list (the pruned read copies it).
        Assert.Equal(ObservedBest.ReadExhaustive(noisy), ObservedBest.Read(noisy.ToList()));
    }

    [Fact]
    public void The_pruned_read_keeps_the_exhaustive_read_s_non_finite_case()
    {
        // A NaN step (Max skips it): every sum is NaN, the first candidate stays, as the exhaustive read has it.
        var lrs = Wsd(0.3, steps: 3000).Evaluate();
        lrs[1000] = double.NaN;
        var read = ObservedBest.Read(lrs);
        Assert.Equal(ObservedBest.ReadExhaustive(lrs), read);
        Assert.Equal(ScheduleFamily.Constant, read!.Family);
    }

    [Fact]
    public void A_shape_no_planner_schedule_writes_reads_with_a_mismatch()
    {
        // A step schedule: constant, then a drop to 30% for the last half; the nearest planner shape misses by more than 5% RMS.
        var lrs = Enumerable.Range(0, 1000).Select(i => i < 500 ? 1e-3 : 3e-4).ToArray();
        var shape = ObservedBest.Read(lrs)!;
        Assert.True(shape.Mismatch > ObservedBest.ShapeTolerance, $"mismatch {shape.Mismatch}");
    }

    [Fact]
    public void Comparison_errors_pair_runs_of_one_horizon_and_peak_only()
    {
        var errors = ObservedBest.ComparisonErrors([
            R("a", 1000, 2e-3, 3.0, 3.03), R("b", 1000, 2e-3, 3.0, 3.0),        // pair: ln(3.03/3.0) - 0
            R("c", 1000, 1e-3, 3.0, 2.0),                                       // alone at its LR
            R("d", 2000, 2e-3, 3.0, 2.5),                                       // alone at its horizon
            R("a", 1000, 2e-3, 3.1, 3.03),                                      // the same run again (another fit): not paired with itself
        ]);
        Assert.Equal(2, errors.Count);                                           // (a, b) and (b, a'); (a, a') is one run
        Assert.Equal(Math.Log(3.03 / 3.0), errors[0], 12);
        Assert.Equal(Math.Log(3.0 / 3.03) - Math.Log(3.0 / 3.1), errors[1], 12);
    }

    [Fact]
    public void The_threshold_is_the_finite_sample_90_percent_quantile_and_needs_nine_pairs()
    {
        Assert.True(double.IsNaN(ObservedBest.ComparisonThreshold([.. Enumerable.Range(1, 8).Select(i => i / 1000.0)])));
        // n = 9: ceil(10 x 0.9) = 9th smallest = the largest; n = 19: ceil(18) = 18th; n = 20: ceil(18.9) = 19th.
        Assert.Equal(0.009, ObservedBest.ComparisonThreshold([.. Enumerable.Range(1, 9).Select(i => -i / 1000.0)]), 12);
        Assert.Equal(0.018, ObservedBest.ComparisonThreshold([.. Enumerable.Range(1, 19).Select(i => i / 1000.0)]), 12);
        Assert.Equal(0.019, ObservedBest.ComparisonThreshold([.. Enumerable.Range(1, 20).Select(i => i / 1000.0)]), 12);
    }

    [Theory]
    [InlineData(0.02, 0.01, ObservedBestOutcome.Departed)]
    [InlineData(0.005, 0.01, ObservedBestOutcome.KeptWithinError)]
    [InlineData(0.01, 0.01, ObservedBestOutcome.KeptWithinError)]
    [InlineData(0.5, double.NaN, ObservedBestOutcome.KeptUnmeasured)]
    public void The_plan_departs_only_when_the_gain_exceeds_the_threshold(double gain, double tau, ObservedBestOutcome expected) =>
        Assert.Equal(expected, ObservedBest.Decide(gain, tau));

    /// <summary>Twelve pairs of runs, each pair at its own peak LR, one horizon: comparison errors 0.1%, 0.2%, ..., 1.2% (in ln); tau = the 12th, 1.2%.</summary>
    private static List<HorizonResidual> Residuals() =>
        [.. Enumerable.Range(1, 12).SelectMany(i => new[] { R($"p{i}", 500, 1e-4 * i, 3.0, 3.0 * Math.Exp(i / 1000.0)), R($"q{i}", 500, 1e-4 * i, 3.0, 3.0) })];

    private static List<TrainingRun> GridRuns() => [Run("wsd-0.6", Wsd(0.6), 3.00), Run("wsd-0.1", Wsd(0.1), 3.05), Run("cos", Cosine(), 3.03)];

    [Fact]
    public void A_gain_within_the_comparison_error_keeps_the_runs_best_schedule_with_its_reason()
    {
        var residuals = Residuals();
        var errors = ObservedBest.ComparisonErrors(residuals);
        double tau = ObservedBest.ComparisonThreshold(errors);
        Assert.Equal(12, errors.Count);
        Assert.Equal(0.012, tau, 12);
        var pick = Wsd(0.05, steps: 4000, peak: 1.7e-3, warmup: 40);
        // A synthetic law: the pick 0.5% below the incumbent's shape, whatever it is.
        double Law(LrSchedule s) => s.ToSpec() == pick.ToSpec() ? 2.9 : 2.9 * 1.005;
        var (schedule, loss, d) = ObservedBest.Decide(pick, 2.9, GridRuns(), 1e8, LossSplit.Train, residuals, Law, apply: true);
        Assert.Equal(ObservedBestOutcome.KeptWithinError, d.Outcome);
        Assert.True(d.KeptIncumbent);
        var w = Assert.IsType<WsdSchedule>(schedule);
        Assert.Equal(0.6, (double)w.CooldownLength / w.Steps, 3);
        Assert.Equal(1.7e-3, w.Peak, 12);                                       // the plan's peak, warmup and steps
        Assert.Equal(40, w.Warmup);
        Assert.Equal(4000, w.Steps);
        Assert.Equal(2.9 * 1.005, loss, 12);
        Assert.Equal(0.005, d.Gain, 9);
        Assert.Equal(tau, d.Threshold);
        Assert.Equal("wsd-0.6", d.Run);
        Assert.Equal(pick.ToSpec(), d.Pick);
        var reason = ObservedBest.Reason(d);
        Assert.Equal(ReasonKind.ObservedBest, reason.Kind);
        Assert.Equal(0.005, reason.Q("gain"), 9);
        Assert.Equal(tau, reason.Q("threshold"));
        Assert.Equal(1, reason.Q("kept"));
        Assert.Equal(errors.Count, reason.Q("comparisons"));
        var plan = new TrainingPlan(new PlanRequest(1e8, 4e8, TrainingOptimizer.AdamW), null!, "law", new PlannedSchedule(schedule, loss, double.NaN, double.NaN, null, double.NaN), [], [reason], [], [], null!);
        var text = PlanExplainer.Reasons(plan).Single().Text;
        Assert.Contains("keeps the runs' best schedule", text, StringComparison.Ordinal);
        Assert.Contains("gain of 0.5%", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gain_beyond_the_comparison_error_departs_and_off_only_reports()
    {
        var pick = Cosine(steps: 4000, peak: 1.7e-3, warmup: 40);
        double Law(LrSchedule s) => s.ToSpec() == pick.ToSpec() ? 2.9 : 2.9 * 1.05;   // a 5% gain, beyond tau
        var (schedule, _, d) = ObservedBest.Decide(pick, 2.9, GridRuns(), 1e8, LossSplit.Train, Residuals(), Law, apply: true);
        Assert.Equal(ObservedBestOutcome.Departed, d.Outcome);
        Assert.Same(pick, schedule);
        Assert.Contains("departs", PlanExplainer.Reasons(PlanWith(d)).Single().Text, StringComparison.Ordinal);
        // Within the error, but the rule off: the pick stays, the decision is reported.
        double Small(LrSchedule s) => s.ToSpec() == pick.ToSpec() ? 2.9 : 2.9 * 1.001;
        var (kept, _, off) = ObservedBest.Decide(pick, 2.9, GridRuns(), 1e8, LossSplit.Train, Residuals(), Small, apply: false);
        Assert.Equal(ObservedBestOutcome.KeptWithinError, off.Outcome);
        Assert.False(off.KeptIncumbent);
        Assert.Same(pick, kept);
        Assert.Contains("not applied", PlanExplainer.Reasons(PlanWith(off)).Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_comparisons_the_incumbent_is_kept_and_without_an_incumbent_the_pick_stands()
    {
        var pick = Cosine(steps: 4000, peak: 1.7e-3, warmup: 40);
        double Law(LrSchedule s) => s.ToSpec() == pick.ToSpec() ? 2.9 : 2.9 * 1.05;
        var (schedule, _, d) = ObservedBest.Decide(pick, 2.9, GridRuns(), 1e8, LossSplit.Train, [], Law, apply: true);
        Assert.Equal(ObservedBestOutcome.KeptUnmeasured, d.Outcome);
        Assert.IsType<WsdSchedule>(schedule);
        Assert.Contains("cannot be measured", PlanExplainer.Reasons(PlanWith(d)).Single().Text, StringComparison.Ordinal);
        var (alone, _, none) = ObservedBest.Decide(pick, 2.9, [Run("only", Wsd(0.6), 3.0)], 1e8, LossSplit.Train, Residuals(), Law, apply: true);
        Assert.Equal(ObservedBestOutcome.NoIncumbent, none.Outcome);
        Assert.Same(pick, alone);
        // The pick is the incumbent's shape (cooldown within 5%): nothing to decide.
        var near = Wsd(0.62, steps: 4000, peak: 1.7e-3, warmup: 40);
        var (same, _, s) = ObservedBest.Decide(near, 2.9, GridRuns(), 1e8, LossSplit.Train, Residuals(), _ => 2.9, apply: true);
        Assert.Equal(ObservedBestOutcome.Same, s.Outcome);
        Assert.Same(near, same);
    }

    [Fact]
    public void Given_a_peak_decision_the_incumbent_is_compared_and_kept_at_its_own_peak()
    {
        var residuals = Residuals();                                             // tau = 1.2%
        var pick = Wsd(0.05, steps: 4000, peak: 1.7e-3, warmup: 40);
        // The caller's peak decision for a shape (the planner's search): the incumbent's own optimum, 4e-4.
        var asked = new List<string>();
        LrSchedule AtOwnPeak(LrSchedule s)
        {
            asked.Add(s.ToSpec());
            var w = (WsdSchedule)s;
            return new WsdSchedule(4e-4, w.Steps, w.Warmup, cooldown: (double)w.CooldownLength / w.Steps);
        }
        // A law that prices the incumbent's shape 2% above the pick at the pick's peak, 0.2% above at its own.
        double Law(LrSchedule s) => s.ToSpec() == pick.ToSpec() ? 2.9 : ((WarmupSchedule)s).Peak == 4e-4 ? 2.9 * 1.002 : 2.9 * 1.02;
        var (schedule, loss, d) = ObservedBest.Decide(pick, 2.9, GridRuns(), 1e8, LossSplit.Train, residuals, Law, apply: true, atOwnPeak: AtOwnPeak);
        Assert.Equal(ObservedBestOutcome.KeptWithinError, d.Outcome);
        var kept = Assert.IsType<WsdSchedule>(schedule);
        Assert.Equal(4e-4, kept.Peak);                                          // its own peak, the plan's warmup and steps
        Assert.Equal(0.6, (double)kept.CooldownLength / kept.Steps, 3);
        Assert.Equal(40, kept.Warmup);
        Assert.Equal(4000, kept.Steps);
        Assert.Equal(2.9 * 1.002, loss, 12);
        Assert.Equal(0.002, d.Gain, 9);
        Assert.Equal(kept.ToSpec(), d.Incumbent);
        Assert.True(d.OwnPeak);
        Assert.Equal(1.7e-3, d.PickPeak);
        Assert.Equal(4e-4, d.IncumbentPeak);
        // Asked once, for the incumbent built at the pick's peak.
        var first = Assert.IsType<WsdSchedule>(LrSchedule.Parse(Assert.Single(asked)));
        Assert.Equal(1.7e-3, first.Peak);
        var reason = ObservedBest.Reason(d);
        Assert.Equal(1, reason.Q("ownPeak"));
        Assert.Equal(4e-4, reason.Q("incumbentPeak"));
        Assert.Equal(1.7e-3, reason.Q("pickPeak"));
        Assert.Contains("at its own optimal peak", PlanExplainer.Reasons(PlanWith(d)).Single().Text, StringComparison.Ordinal);
        // Without a peak decision the incumbent is compared at the pick's peak, 2% worse than the pick: beyond tau, the pick stands.
        var (atPick, _, before) = ObservedBest.Decide(pick, 2.9, GridRuns(), 1e8, LossSplit.Train, residuals, Law, apply: true);
        Assert.Equal(ObservedBestOutcome.Departed, before.Outcome);
        Assert.False(before.OwnPeak);
        Assert.Equal(1.7e-3, before.IncumbentPeak);
        Assert.Same(pick, atPick);
        Assert.DoesNotContain("own optimal peak", PlanExplainer.Reasons(PlanWith(before)).Single().Text, StringComparison.Ordinal);
        // The pick of the incumbent's shape: nothing to decide, no peak decision asked.
        var near = Wsd(0.62, steps: 4000, peak: 1.7e-3, warmup: 40);
        asked.Clear();
        var (same, _, s) = ObservedBest.Decide(near, 2.9, GridRuns(), 1e8, LossSplit.Train, residuals, _ => 2.9, apply: true, atOwnPeak: AtOwnPeak);
        Assert.Equal(ObservedBestOutcome.Same, s.Outcome);
        Assert.Same(near, same);
        Assert.Empty(asked);
    }

    [Fact]
    public void The_planner_reports_the_rule_and_plans_the_schedule_it_decides()
    {
        var request = new PlanRequest(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW);
        var runs = SyntheticRuns.Plannable();
        // The rule's own numbers: no anchor across peak LR (these runs hold the kept shape only beyond x2 of the plan's peak; AnchoredLossTests covers it).
        var on = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"], AnchorAcrossLr = AcrossLrAnchor.Off });
        var off = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"], ObservedBest = false, AnchorAcrossLr = AcrossLrAnchor.Off });
        var d = on.ObservedBest!;
        // These runs' best shape is not the law's pick, and the law's gain does not clear the rule: the incumbent is kept.
        Assert.True(d.KeptIncumbent, d.Outcome.ToString());
        var reason = Assert.Single(on.Reasons, r => r.Kind == ReasonKind.ObservedBest);
        Assert.Equal(d.Outcome.ToString(), reason.ChosenLabel);
        Assert.False(string.IsNullOrEmpty(PlanExplainer.Reasons(on).Single(l => l.Decides == "schedule (runs' best)").Text));
        // Off: the same decision reported, not applied; the plan is the law's pick.
        Assert.Equal(d.Outcome, off.ObservedBest!.Outcome);
        Assert.False(off.ObservedBest.Applied);
        Assert.Equal(d.Pick, off.Best.Schedule.ToSpec());
        Assert.Equal(d.Incumbent, on.Best.Schedule.ToSpec());
        Assert.Equal(d.IncumbentLoss * on.Correction.Factor, on.Best.PredictedLoss, 9);
        // The law's pick, declined, leads the runner-ups with its own loss.
        Assert.Equal(d.Pick, on.RunnerUps[0].Schedule.ToSpec());
        Assert.Equal(off.Best.PredictedLoss, on.RunnerUps[0].PredictedLoss, 9);
        Assert.DoesNotContain(on.RunnerUps, r => r.Schedule.ToSpec() == d.Incumbent);
        // The law's cooldown optimum (its pick is a wsd) described the declined pick: no cooldown decision is left for the kept schedule.
        Assert.NotNull(off.Decision(PlanAxis.Cooldown));
        Assert.Null(on.Decision(PlanAxis.Cooldown));
        Assert.DoesNotContain(on.Reasons, r => r.Kind == ReasonKind.Cooldown);
    }

    private static TrainingPlan PlanWith(ObservedBestDecision d) =>
        new(new PlanRequest(1e8, 4e8, TrainingOptimizer.AdamW), null!, "law", new PlannedSchedule(new ConstantSchedule(1e-3, 10), 3, double.NaN, double.NaN, null, double.NaN),
            [], [ObservedBest.Reason(d)], [], [], null!);
}
