using HyperLaws.Laws;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// The planner at a batch other than the runs' (<see cref="PlanOptions.BatchSteps"/>): the schedule law fitted in the runs' steps counts
/// a plan step as one runs' step or (the default) as w = (1 + B_noise / B_r) / (1 + B_noise / B) runs' steps by the critical batch
/// (<see cref="StepEquivalence"/>). Runs of <see cref="SyntheticRuns"/> (65,536 tokens per step, 1,000-2,000 steps); the plan fixed at
/// four times their batch on 4e8 tokens (1,526 steps).
/// </summary>
public sealed class PlannerBatchStepsTests
{
    private const double T = 4e8, PlanBatch = 4 * SyntheticRuns.TokensPerStep;
    private static readonly PlanRequest Request = new(SyntheticRuns.N, T, TrainingOptimizer.AdamW) { BatchTokens = PlanBatch };

    private static TrainingPlan Make(BatchSteps count) =>
        Planner.Make(Request, SyntheticRuns.Plannable(), new PlanOptions { Laws = ["tissue"], ObservedBest = false, BatchSteps = count });

    private static readonly Lazy<TrainingPlan> OnSteps = new(() => Make(BatchSteps.Steps));
    private static readonly Lazy<TrainingPlan> Counted = new(() => Make(BatchSteps.CriticalBatch));

    private static double Final(IPlanLaw law, LrSchedule schedule, PlanTarget target)
    {
        var y = new double[1];
        law.Predict(schedule, target, [schedule.Steps], y);
        return y[0];
    }

    [Fact]
    public void Counted_in_steps_a_plan_step_is_one_step_of_the_runs_and_the_warning_says_so()
    {
        Assert.Equal(BatchSteps.CriticalBatch, new PlanOptions().BatchSteps);   // the default since protocol 17c's declared rule held
        var plan = OnSteps.Value;
        var law = Assert.IsType<FittedScheduleLaw>(plan.Model);
        Assert.Null(law.RunsBatchTokens);
        Assert.Equal(1, law.StepFactor(plan.Target!));
        var w = Assert.Single(plan.Warnings, x => x.Kind == WarningKind.BatchDiffers);
        Assert.Equal(4, w.Q("ratio"), 12);
        Assert.Equal(1, w.Q("stepFactor"));
        Assert.Contains("assumes a step at the new batch does as much", PlanExplainer.Warning(w), StringComparison.Ordinal);
        // 1,526 steps: within 1.2x the longest run (2,000 steps).
        Assert.DoesNotContain(plan.Warnings, x => x.Kind == WarningKind.HorizonExtrapolated);
    }

    [Fact]
    public void Counted_by_the_critical_batch_the_law_sees_the_plan_stretched_w_fold_at_the_runs_batch()
    {
        var plan = Counted.Value;
        var target = plan.Target!;
        Assert.Equal(PlanBatch, target.BatchTokens);
        var law = Assert.IsType<FittedScheduleLaw>(plan.Model);
        Assert.Equal(SyntheticRuns.TokensPerStep, law.RunsBatchTokens);
        double w = law.StepFactor(target);
        Assert.Equal(StepEquivalence.Factor(PlanBatch, SyntheticRuns.TokensPerStep, T, CriticalBatchLaw.Protocol5), w, 15);
        Assert.InRange(w, 1.5, 4);   // between a step (1) and a token (4): B_noise(4e8 tokens) = 0.47M, about twice the plan's batch
        // The law's loss of the plan's schedule is the fitted law's on the schedule in run units stretched w-fold, at round(w S).
        var schedule = plan.Best.Schedule;
        var stretched = StepEquivalence.Stretch([.. schedule.Evaluate().Select(x => x / law.Scale)], w);
        var y = new double[1];
        law.Fit.Law.Predict(law.Fit.Parameters, new ScheduleHistory(stretched), double.IsNaN(law.ModelSize) ? double.NaN : target.Parameters, [stretched.Length], y);
        Assert.Equal(y[0], Final(law, schedule, target), 12);
        // Counted in steps the same schedule has a shorter LR sum: its loss is higher (the annealing law falls with the LR sum).
        var inSteps = new FittedScheduleLaw(law.Fit, law.ModelSize, law.Scale, law.RunsLowestPeak, law.RunsHighestPeak);
        Assert.True(Final(inSteps, schedule, target) > y[0], "counted in steps the loss should be higher");
        // At the runs' own batch nothing is stretched: the count is the runs' steps.
        var atRuns = target with { BatchTokens = SyntheticRuns.TokensPerStep };
        Assert.Equal(1, law.StepFactor(atRuns));
        Assert.Equal(Final(inSteps, schedule, atRuns), Final(law, schedule, atRuns));
    }

    [Fact]
    public void Counted_by_the_critical_batch_the_warnings_state_the_count_and_the_horizon_it_implies()
    {
        var plan = Counted.Value;
        double w = ((FittedScheduleLaw)plan.Model!).StepFactor(plan.Target!);
        var batch = Assert.Single(plan.Warnings, x => x.Kind == WarningKind.BatchDiffers);
        Assert.Equal(w, batch.Q("stepFactor"), 15);
        Assert.Equal(CriticalBatchLaw.Protocol5.BNoise(T), batch.Q("bNoise"), 6);
        string text = PlanExplainer.Warning(batch);
        Assert.Contains("counts each plan step as", text, StringComparison.Ordinal);
        Assert.Equal(0, batch.Q("assumed"));   // the synthetic runs state their batch
        Assert.DoesNotContain("assumed batch", text, StringComparison.Ordinal);
        Assert.Equal(PlanBatch / SyntheticRuns.TokensPerStep, batch.Q("ratio"), 12);
        Assert.Contains("critical batch", text, StringComparison.Ordinal);
        // The law extrapolates to w x 1,526 runs' steps, beyond 1.2x the longest run: the horizon warning counts those steps.
        var horizon = Assert.Single(plan.Warnings, x => x.Kind == WarningKind.HorizonExtrapolated);
        Assert.Equal(StepEquivalence.StretchedSteps(plan.Hyperparameters.Steps, w), horizon.Q("steps"));
        Assert.Equal(2000, horizon.Q("longest"));
        Assert.Equal(plan.Hyperparameters.Steps, horizon.Q("planSteps"));
        Assert.Contains(FormattableString.Invariant($"{plan.Hyperparameters.Steps} plan steps count as {horizon.Q("steps"):0} runs' steps"), PlanExplainer.Warning(horizon), StringComparison.Ordinal);
        // The interval's extrapolation distance is the law's: w S / the longest run, not S / the longest run.
        Assert.Equal(w, plan.StepFactor, 15);
        Assert.Equal(1, OnSteps.Value.StepFactor);
        // The plan at four times the batch is predicted lower counted by the critical batch than counted in steps.
        Assert.True(plan.Best.PredictedLoss < OnSteps.Value.Best.PredictedLoss, $"{plan.Best.PredictedLoss} vs {OnSteps.Value.Best.PredictedLoss}");
    }

    [Fact]
    public void Through_the_lr_axis_prior_the_time_shape_counts_the_plans_steps_and_the_anchor_run_its_own()
    {
        // The shipped 25M curves (one peak LR, no batch in the files: assumed) planned at 10x their budget, the LR axis from the prior.
        var runs = LrAxisPlanTests.Mpl25();
        var request = new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW);
        TrainingPlan Plan(BatchSteps count) => Planner.Make(request, runs,
            new PlanOptions { Laws = ["tissue"], LrPrior = LrAxisPlanTests.Shipped, LrPriorSource = "shipped", BatchSteps = count });
        var (onSteps, counted) = (Plan(BatchSteps.Steps), Plan(BatchSteps.CriticalBatch));
        var shape = Assert.IsType<FittedScheduleLaw>(Assert.IsType<LrAxisPlanLaw>(counted.Model).TimeShape);
        Assert.NotNull(shape.RunsBatchTokens);
        double w = shape.StepFactor(counted.Target!);
        Assert.True(w > 1, $"w {w}");
        var batch = Assert.Single(counted.Warnings, x => x.Kind == WarningKind.BatchDiffers);
        Assert.Equal(w, batch.Q("stepFactor"), 15);
        Assert.Equal(1, Assert.Single(onSteps.Warnings, x => x.Kind == WarningKind.BatchDiffers).Q("stepFactor"));
        // The 25M files give no batch: the runs' batch is assumed, and the warning says so.
        Assert.Equal(1, batch.Q("assumed"));
        Assert.Contains("x the runs' assumed batch", PlanExplainer.Warning(batch), StringComparison.Ordinal);
        // The time shape's loss of the plan's schedule falls (more of the runs' steps); the anchor run is asked at its own batch (w = 1) both ways.
        var inSteps = new FittedScheduleLaw(shape.Fit, shape.ModelSize, shape.Scale, shape.RunsLowestPeak, shape.RunsHighestPeak);
        Assert.True(Final(shape, counted.Best.Schedule, counted.Target!) < Final(inSteps, counted.Best.Schedule, counted.Target!));
        static double Q(TrainingPlan p, ReasonKind kind, string name) => p.Reasons.Single(r => r.Kind == kind).Q(name);
        Assert.True(double.IsFinite(Q(onSteps, ReasonKind.AnchoredLoss, "lawOnRun")), "the 25M plan counted in steps has an anchor");
        Assert.True(double.IsFinite(Q(counted, ReasonKind.AnchoredLoss, "lawOnRun")), "the 25M plan counted by the critical batch has an anchor");
        Assert.Equal(onSteps.Anchored!.Run, counted.Anchored!.Run);
        Assert.Equal(Q(onSteps, ReasonKind.AnchoredLoss, "lawOnRun"), Q(counted, ReasonKind.AnchoredLoss, "lawOnRun"), 12);
    }

    /// <summary>
    /// <see cref="SyntheticRuns.Plannable"/> with a WSD run at the runs' highest peak (as AnchoredLossTests' planner fixture): the plans
    /// keep a run's shape (the schedule-regret rule) and find an anchor of it.
    /// </summary>
    private static List<TrainingRun> AnchorableRuns()
    {
        var runs = SyntheticRuns.Plannable();
        runs.Insert(4, SyntheticRuns.Curve("wsd-1000-high", new WsdSchedule(2e-3, 1000, 20, cooldown: 0.2, floor: 2e-4)));
        return runs;
    }

    [Fact]
    public void The_anchor_run_is_asked_at_the_runs_batch_both_ways_so_its_own_point_is_the_same()
    {
        TrainingPlan Plan(BatchSteps count) => Planner.Make(Request, AnchorableRuns(), new PlanOptions { Laws = ["tissue"], BatchSteps = count });
        var (onSteps, counted) = (Plan(BatchSteps.Steps), Plan(BatchSteps.CriticalBatch));
        Assert.True(counted.StepFactor > 1.5, $"w {counted.StepFactor}");
        var (a, b) = (Assert.IsType<AnchoredLossDecision>(onSteps.Anchored), Assert.IsType<AnchoredLossDecision>(counted.Anchored));
        Assert.NotEqual("", a.Run);
        Assert.Equal(a.Run, b.Run);
        Assert.True(double.IsFinite(a.LawOnRun) && a.LawOnRun > 0, $"law on run {a.LawOnRun}");
        Assert.Equal(a.LawOnRun, b.LawOnRun, 12);
        // Its distance counts the law's horizon: w S runs' steps from the run's own steps.
        int horizon = StepEquivalence.StretchedSteps(counted.Best.Schedule.Steps, counted.StepFactor);
        double units = counted.Model!.Support(counted.Target!).RunUnitsPerTarget is var u && double.IsFinite(u) && u > 0 ? u : 1;
        double peak = (counted.Best.Schedule is WarmupSchedule ws ? ws.Peak : counted.Best.Schedule.Evaluate().Max()) * units;
        Assert.Equal(Math.Abs(Math.Log((double)horizon / b.RunSteps)) + Math.Abs(Math.Log(peak / b.RunPeak)), b.Distance, 9);
    }

    [Fact]
    public void An_anchor_run_stating_another_batch_than_the_runs_is_asked_at_the_runs_batch_so_its_own_point_is_not_stretched()
    {
        // The law counting by the critical batch was fitted on every run's steps unstretched: at the anchor's own point w = 1, even when
        // the anchor states a batch other than the runs' (the reference run's, the batch w counts from).
        var options = new PlanOptions { Laws = ["tissue"] };
        var first = Planner.Make(Request, AnchorableRuns(), options);
        string anchorName = Assert.IsType<AnchoredLossDecision>(first.Anchored).Run;
        Assert.NotEqual("", anchorName);
        var reference = RunReferences.Of(AnchorableRuns(), SyntheticRuns.N, TrainingOptimizer.AdamW, null, options.Anchor);
        Assert.NotEqual(reference.Run, anchorName);   // precondition: restating the anchor's batch leaves the runs' batch as it was
        var runs = AnchorableRuns().Select(r => r.Name == anchorName ? r with { Metadata = r.Metadata with { TokensPerStep = 2 * SyntheticRuns.TokensPerStep } } : r).ToList();
        var plan = Planner.Make(Request, runs, options);
        var law = Assert.IsType<FittedScheduleLaw>(plan.Model);
        Assert.Equal(SyntheticRuns.TokensPerStep, law.RunsBatchTokens);
        var decision = Assert.IsType<AnchoredLossDecision>(plan.Anchored);
        Assert.Equal(anchorName, decision.Run);
        var run = runs.Single(r => r.Name == anchorName);
        // The run's own point through the law counted in steps (w = 1 by construction): the anchored law's must be the same.
        var inSteps = new FittedScheduleLaw(law.Fit, law.ModelSize, law.Scale, law.RunsLowestPeak, law.RunsHighestPeak);
        double units = law.Support(plan.Target!).RunUnitsPerTarget is var u && double.IsFinite(u) && u > 0 ? u : 1;
        double runBatch = 2 * SyntheticRuns.TokensPerStep;
        var at = new PlanTarget(SyntheticRuns.N, runBatch * run.Steps, runBatch, run.Steps);
        Assert.NotEqual(1, law.StepFactor(at), 6);   // asked at the run's stated batch the law would stretch it
        var own = new TableSchedule([.. run.LearningRates.Select(x => x / units)]);
        Assert.Equal(Final(inSteps, own, at), decision.LawOnRun, 12);
    }

    [Fact]
    public void The_intervals_extrapolation_distance_is_the_laws_horizon_in_runs_steps()
    {
        // The same plan with its interval held out at a fixed relative error growing with the horizon ratio: counted by the critical
        // batch (w > 1) the law extrapolates to w S runs' steps, beyond the longest run, so its interval is wider than counted in steps.
        var seen = new List<PlanExtrapolation>();
        var intervals = new RecordingIntervals(seen);
        TrainingPlan Plan(BatchSteps count) => Planner.Make(Request, SyntheticRuns.Plannable(),
            new PlanOptions { Laws = ["tissue"], ObservedBest = false, AnchoredLoss = false, BatchSteps = count, Intervals = intervals });
        seen.Clear();
        var onSteps = Plan(BatchSteps.Steps);
        double inSteps = seen.Max(e => e.HorizonRatio);
        seen.Clear();
        var counted = Plan(BatchSteps.CriticalBatch);
        double stretched = seen.Max(e => e.HorizonRatio);
        double w = counted.StepFactor;
        Assert.True(w > 1.5, $"w {w}");
        Assert.Equal(Math.Max(1, counted.Hyperparameters.Steps / 2000.0), inSteps, 12);
        Assert.Equal(StepEquivalence.StretchedSteps(counted.Hyperparameters.Steps, w) / 2000.0, stretched, 12);
        Assert.True(counted.Best.Upper / counted.Best.PredictedLoss > onSteps.Best.Upper / onSteps.Best.PredictedLoss, "the stretched horizon widens the interval");
    }

    /// <summary>An interval whose relative half-width is 1% x the horizon ratio, recording each distance it is asked at.</summary>
    private sealed class RecordingIntervals(List<PlanExtrapolation> seen) : IIntervalProvider
    {
        public IntervalKind Kind => IntervalKind.HeldOutWorst;

        public LossInterval Interval(double loss, PlanExtrapolation extrapolation)
        {
            lock (seen) seen.Add(extrapolation);
            double half = 0.01 * extrapolation.HorizonRatio * loss;
            return new LossInterval(loss - half, loss + half, double.NaN);
        }
    }

    [Fact]
    public void Within_twice_the_runs_batch_the_count_is_stated_when_it_moves_the_laws_steps_by_more_than_five_percent()
    {
        // The rule's batch at 4e8 tokens, about 1.9x the runs': no warning by the ratio alone, one by the count (w about 1.6).
        var plan = Planner.Make(new PlanRequest(SyntheticRuns.N, T, TrainingOptimizer.AdamW), SyntheticRuns.Plannable(), new PlanOptions { Laws = ["tissue"], ObservedBest = false });
        Assert.InRange(plan.Hyperparameters.BatchTokens / SyntheticRuns.TokensPerStep, 1.05, 2);
        var w = Assert.Single(plan.Warnings, x => x.Kind == WarningKind.BatchDiffers);
        Assert.True(w.Q("stepFactor") > 1.05, $"w {w.Q("stepFactor")}");
        Assert.Equal(((FittedScheduleLaw)plan.Model!).StepFactor(plan.Target!), w.Q("stepFactor"), 15);
    }
}
