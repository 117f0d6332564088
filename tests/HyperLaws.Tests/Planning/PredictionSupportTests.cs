using HyperLaws.Planning;
using HyperLaws.Runs;

namespace HyperLaws.Tests.Planning;

using Xunit;

/// <summary>
/// <see cref="PredictionSupport"/>: which of a command's predicted losses its runs support. A run still in its warmup at its last
/// logged step, one held at its peak, one decaying; the three reasons and their order; nothing withheld inside the runs' steps but
/// a value that is not physical.
/// </summary>
public sealed class PredictionSupportTests
{
    private static TrainingRun Run(Func<int, double> lr, int steps, double first = 10, double last = 4) =>
        new(new RunMetadata("r"), [.. Enumerable.Range(1, steps).Select(lr)],
            [.. Enumerable.Range(1, steps / 10).Select(i => new LossObservation(10 * i, first + (last - first) * i / (steps / 10.0)))]);

    [Fact]
    public void A_run_whose_lr_still_rises_over_its_last_tenth_is_in_its_warmup()
    {
        Assert.True(PredictionSupport.StillWarmingUp(Run(s => 1e-3 * s / 2000, 1000)));
        // Held at its peak after a warmup of 700 of 1,000 steps (llm.c's first 995 steps): not.
        Assert.False(PredictionSupport.StillWarmingUp(Run(s => 6e-4 * Math.Min(1, s / 700.0), 1000)));
        // Warmup then decay: not.
        Assert.False(PredictionSupport.StillWarmingUp(Run(s => s <= 30 ? 2e-5 * s / 30 : 2e-5 * (1 - s / 1300.0), 1200)));
        // Constant: not.
        Assert.False(PredictionSupport.StillWarmingUp(Run(_ => 1e-3, 1000)));
    }

    [Fact]
    public void Past_the_runs_a_negative_floor_or_warmup_only_runs_withhold_inside_only_non_physical_values()
    {
        var held = PredictionSupport.Of([Run(s => 6e-4 * Math.Min(1, s / 700.0), 1000)], floor: -87);
        Assert.Equal(1000, held.LongestSteps);
        Assert.False(held.WarmupOnly);
        Assert.Null(held.Check(4.5, 900));
        Assert.Equal(new[] { "prediction", "floor" }, held.Check(3.0, 20000)!.Labels);
        // Below half the lowest logged loss: "value", first, inside the runs or not.
        Assert.Equal("value", held.Check(1.5, 900)!.Labels[1]);
        Assert.Equal("value", held.Check(-1, 20000)!.Labels[1]);
        Assert.Equal("value", held.Check(double.NaN, 500)!.Labels[1]);

        var warming = PredictionSupport.Of([Run(s => 1e-3 * s / 2000, 1000)], floor: 3.2);
        Assert.True(warming.WarmupOnly);
        Assert.Null(warming.Check(4.5, 1000));
        var w = warming.Check(3.8, 40000)!;
        Assert.Equal("warmup", w.Labels[1]);
        Assert.Equal(WarningKind.LossNotPhysical, w.Kind);
        Assert.Equal(40000, w.Q("step"));
        Assert.StartsWith("NO LOSS GIVEN for 3 candidates: every run", PredictionSupport.Text(w, 3, "candidates"), StringComparison.Ordinal);

        var fine = PredictionSupport.Of([Run(_ => 1e-3, 1000)], floor: 2.9);
        Assert.Null(fine.Check(3.5, 20000));
    }

    [Fact]
    public void The_longest_run_is_its_last_logged_step_not_its_schedules_length()
    {
        // A schedule of 4,000 steps logged to step 1,000 (a reader that knows the plan's length): past 1,000 the law extrapolates.
        var run = new TrainingRun(new RunMetadata("r"), [.. Enumerable.Range(1, 4000).Select(_ => 1e-3)],
            [.. Enumerable.Range(1, 100).Select(i => new LossObservation(10 * i, 10 - 0.05 * i))]);
        Assert.Equal(1000, PredictionSupport.LastLogged(run));
        var support = PredictionSupport.Of([run], floor: -5);
        Assert.Equal(1000, support.LongestSteps);
        Assert.Equal("floor", support.Check(6, 2000)!.Labels[1]);
        Assert.Null(support.Check(6, 1000));
    }

    [Fact]
    public void A_run_logged_to_the_step_before_its_last_covers_its_own_length()
    {
        // WandbReader numbers the train loss at iter k step k - 1: a 10,000-step run logs its last loss at step 9,999. A prediction at
        // step 10,000 is the run's own length, not past it (the audit: predict and rank --steps 10000 withheld every loss of p17's runs).
        var run = new TrainingRun(new RunMetadata("r"), [.. Enumerable.Range(1, 10000).Select(_ => 1e-3)],
            [.. Enumerable.Range(1, 200).Select(i => new LossObservation(50 * i - 1, 10 - 0.01 * i))]);
        Assert.Equal(9999, PredictionSupport.LastLogged(run));
        Assert.Equal(10000, PredictionSupport.Covered(run));
        var support = PredictionSupport.Of([run], floor: -5);
        Assert.Equal(10000, support.LongestSteps);
        Assert.Equal(9999, support.LastLoggedStep);
        Assert.Null(support.Check(8.5, 10000));
        Assert.Equal("floor", support.Check(8.5, 10001)!.Labels[1]);
    }

    [Fact]
    public void A_warmup_that_ended_in_the_last_tenth_is_over_and_a_densely_logged_one_still_rising_is_not()
    {
        // Warmup to step 950 of 1,000, held after, logged every 10 steps: over (it rose in the last tenth, but not at the end).
        Assert.False(PredictionSupport.StillWarmingUp(Run(s => 1e-3 * Math.Min(1, s / 950.0), 1000)));
        // A 5,000-step linear warmup logged at every step, stopped at 4,000: the LR rises 1/4000 between the last two logs: still warming.
        var dense = new TrainingRun(new RunMetadata("d"), [.. Enumerable.Range(1, 4000).Select(s => 1e-3 * s / 5000)],
            [.. Enumerable.Range(1, 4000).Select(i => new LossObservation(i, 10 - 1e-3 * i))]);
        Assert.True(PredictionSupport.StillWarmingUp(dense));
        // One logged loss: no previous one to compare with.
        Assert.False(PredictionSupport.StillWarmingUp(new TrainingRun(new RunMetadata("o"), [1e-4, 2e-4, 3e-4], [new LossObservation(3, 5)])));
    }

    [Fact]
    public void An_intervals_lower_end_is_supported_only_when_physical()
    {
        var support = PredictionSupport.Of([Run(_ => 1e-3, 1000)], floor: 2.9);
        Assert.True(support.LowerEndSupported(support.LowestObserved * 0.6));
        Assert.True(support.LowerEndSupported(double.NaN));
        Assert.False(support.LowerEndSupported(support.LowestObserved * 0.4));
        Assert.False(support.LowerEndSupported(-0.1));
    }

    [Fact]
    public void A_law_across_sizes_has_its_floor_at_the_model_size_asked_not_at_the_reference()
    {
        var sized = HyperLaws.Laws.SizedLaw.Create(new HyperLaws.Laws.MultiPowerLaw(), new HyperLaws.Laws.SizeLawSpec(1e8, HyperLaws.Laws.SizeScaling.Shared));
        var p = new double[sized.ParameterNames.Count];
        p[HyperLaws.Laws.MultiPowerLaw.L0] = 3;
        p[sized.ParameterNames.ToList().IndexOf("L0_reducible")] = 1;
        Assert.Equal(3, HyperLaws.Laws.PhysicalFloor.Of(sized, p, 1e8), 12);
        // L0(N) = L0_ref + b (z^(-beta) - 1), z = 10, beta = 0.34.
        Assert.Equal(3 + (Math.Pow(10, -0.34) - 1), HyperLaws.Laws.PhysicalFloor.Of(sized, p, 1e9), 12);
        Assert.True(double.IsNaN(HyperLaws.Laws.PhysicalFloor.Of(sized, p)));
    }
}
