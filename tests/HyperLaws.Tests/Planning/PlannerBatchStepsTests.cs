using HyperLaws.Laws;
using HyperLaws.Planning;
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
        Assert.Contains("critical batch", text, StringComparison.Ordinal);
        // The law extrapolates to w x 1,526 runs' steps, beyond 1.2x the longest run: the horizon warning counts those steps.
        var horizon = Assert.Single(plan.Warnings, x => x.Kind == WarningKind.HorizonExtrapolated);
        Assert.Equal(StepEquivalence.StretchedSteps(plan.Hyperparameters.Steps, w), horizon.Q("steps"));
        Assert.Equal(2000, horizon.Q("longest"));
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
            new PlanOptions { Laws = ["tissue"], Calibrate = false, LrPrior = LrAxisPlanTests.Shipped, LrPriorSource = "shipped", BatchSteps = count });
        var (onSteps, counted) = (Plan(BatchSteps.Steps), Plan(BatchSteps.CriticalBatch));
        var shape = Assert.IsType<FittedScheduleLaw>(Assert.IsType<LrAxisPlanLaw>(counted.Model).TimeShape);
        Assert.NotNull(shape.RunsBatchTokens);
        double w = shape.StepFactor(counted.Target!);
        Assert.True(w > 1, $"w {w}");
        var batch = Assert.Single(counted.Warnings, x => x.Kind == WarningKind.BatchDiffers);
        Assert.Equal(w, batch.Q("stepFactor"), 15);
        Assert.Equal(1, Assert.Single(onSteps.Warnings, x => x.Kind == WarningKind.BatchDiffers).Q("stepFactor"));
        // The time shape's loss of the plan's schedule falls (more of the runs' steps); the anchor run is asked at its own batch (w = 1) both ways.
        var inSteps = new FittedScheduleLaw(shape.Fit, shape.ModelSize, shape.Scale, shape.RunsLowestPeak, shape.RunsHighestPeak);
        Assert.True(Final(shape, counted.Best.Schedule, counted.Target!) < Final(inSteps, counted.Best.Schedule, counted.Target!));
        static double Q(TrainingPlan p, ReasonKind kind, string name) => p.Reasons.Single(r => r.Kind == kind).Q(name);
        if (onSteps.Reasons.Any(r => r.Kind == ReasonKind.AnchoredLoss && double.IsFinite(r.Q("lawOnRun"))))
            Assert.Equal(Q(onSteps, ReasonKind.AnchoredLoss, "lawOnRun"), Q(counted, ReasonKind.AnchoredLoss, "lawOnRun"), 12);
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
