using HyperLaws.Laws;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;

namespace HyperLaws.Tests.Planning;

using Xunit;

/// <summary>
/// The plan's held-out check scores the held-out runs from the first step any run is fitted at (<see cref="Planner.HeldOutFrom"/>;
/// found on protocol 19: laws fitted on validation losses from step 384 predicted 30.27 for a held-out log's training loss at step
/// 31, WorstE 272%, and the plan's loss was flagged not physical).
/// </summary>
public sealed class PlanHeldOutFromTests
{
    private static FitTarget Target(string name, params int[] steps) =>
        new(name, new ScheduleHistory([.. Enumerable.Repeat(1e-3, steps[^1])]), steps, [.. steps.Select(s => 3.0 + 1.0 / s)]);

    [Fact]
    public void Points_before_the_first_fitted_step_are_not_scored_and_a_curve_left_empty_is_dropped()
    {
        var held = Planner.HeldOutFrom([Target("early", 31, 63, 384, 768), Target("late", 400, 800), Target("before", 10, 20)], 384);
        Assert.Equal(["early", "late"], held.Select(t => t.Name));
        Assert.Equal([384, 768], held[0].Steps);
        Assert.Equal([3.0 + 1.0 / 384, 3.0 + 1.0 / 768], held[0].Loss);
        Assert.Equal([400, 800], held[1].Steps);
        // A curve that starts at or after the step is kept as it is.
        var same = Target("same", 384, 768);
        Assert.Same(same, Assert.Single(Planner.HeldOutFrom([same], 384)));
    }

    /// <summary>
    /// Synthetic runs whose fitted runs log every 100 steps and whose held-out runs (the longest) every 10: each held-out curve is scored
    /// from step 100, and the plan's held-out error stays that of the law on its own curves (the law generated them).
    /// </summary>
    [Fact]
    public void The_plan_scores_held_out_runs_from_the_first_fitted_step()
    {
        var runs = new List<TrainingRun>
        {
            SyntheticRuns.Curve("constant-1000", new ConstantSchedule(1e-3, 1000, 20), every: 100),
            SyntheticRuns.Curve("cosine-1000", new CosineSchedule(1e-3, 1000, 20, 1e-4), every: 100),
            SyntheticRuns.Curve("wsd-1000", new WsdSchedule(1e-3, 1000, 20, cooldown: 0.2, floor: 1e-4), every: 100),
            SyntheticRuns.Curve("cosine-2000", new CosineSchedule(1e-3, 2000, 20, 1e-4), every: 10),
            SyntheticRuns.Curve("wsd-2000", new WsdSchedule(1e-3, 2000, 20, cooldown: 0.2, floor: 1e-4), every: 10),
        };
        var plan = Planner.Make(new PlanRequest(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW), runs,
            new PlanOptions { Laws = ["tissue"], ObservedBest = false, BatchSteps = BatchSteps.Steps, Calibrate = false });
        var accuracy = Assert.Single(plan.Accuracy);
        Assert.Equal(2, accuracy.Curves.Count);
        foreach (var c in accuracy.Curves)
        {
            Assert.Equal(100, c.Steps[0]);
            Assert.Equal(191, c.Steps.Length);
        }
        Assert.True(accuracy.WorstE < 0.01, $"WorstE {accuracy.WorstE}");
    }
}
