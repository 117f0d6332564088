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
}
