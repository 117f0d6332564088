using HyperLaws.Planning;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// <see cref="LossPlausibility"/>: a predicted loss &lt;= 0, non-finite, or below half the runs' lowest logged loss raises
/// <see cref="WarningKind.LossNotPhysical"/>, physical ones do not; the held-out choice (<see cref="Planner.ChooseLaw"/>) skips a
/// non-physical law when another is physical.
/// </summary>
public sealed class LossPlausibilityTests
{
    private static readonly LrSchedule Schedule = LrSchedule.Parse("cosine(peak=0.001,steps=100)");

    private static PlannedSchedule Planned(double loss, double lower = double.NaN, double upper = double.NaN) => new(Schedule, loss, lower, upper, null, double.NaN);

    [Theory]
    [InlineData(-3.1)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(0.9)]   // below half of the lowest logged loss 2.0
    [InlineData(751.6)] // above twice the highest logged loss 5.0 (metamath's plan at the commit that added this)
    public void A_non_physical_final_loss_raises_the_warning_with_its_numbers(double loss)
    {
        var w = LossPlausibility.Check(Planned(loss), lowestObserved: 2.0, highestObserved: 5.0);
        Assert.NotNull(w);
        Assert.Equal(WarningKind.LossNotPhysical, w.Kind);
        Assert.Equal("target", w.Labels[0]);
        Assert.Equal(2.0, w.Q("lowestObserved"));
        Assert.Equal(1.0, w.Q("floor"));
        Assert.Equal(10.0, w.Q("ceiling"));
        Assert.Equal(loss, w.Q("predicted"));
        string text = PlanExplainer.Warning(w);
        // The reason by the value: a sign for <= 0 (or no number), the runs' range for a positive value outside it.
        if (!(loss > 0)) Assert.Contains("is not physical: a cross-entropy is positive, and the runs logged losses from 2 to 5", text, StringComparison.Ordinal);
        else if (loss > 10) Assert.Contains($"{loss} is above anything the runs logged: their losses run from 2 to 5, so a loss below 1 or above 10 is beyond", text, StringComparison.Ordinal);
        else Assert.Contains($"{loss} is below anything the runs logged: their losses run from 2 to 5,", text, StringComparison.Ordinal);
        if (loss > 0) Assert.DoesNotContain("positive", text, StringComparison.Ordinal);
        Assert.Contains("CANNOT BE TRUSTED", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_held_out_warning_reads_as_one_sentence()
    {
        // An MLPerf plan (protocol 19): a held-out training curve from step 31, in its warmup, predicted at 30.27 (read "predicts a
        // non-physical loss ... (down to 30.27) is not physical" before, then "... is not physical: a cross-entropy is positive":
        // 30.27 is positive, above the ceiling).
        var w = LossPlausibility.Warning("held-out", 30.27, double.NaN, 3.305, 8.147);
        Assert.StartsWith("every law tried predicts a loss on the held-out runs (one of 30.27) that is above anything the runs logged: their losses run from 3.305 to 8.147,",
            PlanExplainer.Warning(w), StringComparison.Ordinal);
    }

    [Fact]
    public void An_interval_reaching_zero_raises_the_warning()
    {
        var w = LossPlausibility.Check(Planned(0.5, lower: -0.1, upper: 1.1), lowestObserved: 0.6);
        Assert.NotNull(w);
        Assert.Equal(-0.1, w.Q("lower"));
        Assert.Contains("lower end", PlanExplainer.Warning(w), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2.5, double.NaN, 2.0, 5.0)]         // within the logged range: fine
    [InlineData(1.2, 1.1, 2.0, 5.0)]                // extrapolated 40% below the lowest, still above half of it
    [InlineData(7.0, 6.0, 2.0, 5.0)]                // above the highest logged, below twice it (a smaller, shorter target)
    [InlineData(0.3, 0.2, double.NaN, double.NaN)]  // no logged loss known: only the sign is checked
    public void Physical_predictions_raise_nothing(double loss, double lower, double lowest, double highest) =>
        Assert.Null(LossPlausibility.Check(Planned(loss, lower, double.IsNaN(lower) ? double.NaN : loss * 1.1), lowest, highest));

    [Fact]
    public void The_range_is_half_the_lowest_to_twice_the_highest_logged_loss()
    {
        Assert.True(LossPlausibility.IsPhysical(1.0, 2.0, 5.0));
        Assert.False(LossPlausibility.IsPhysical(Math.BitDecrement(1.0), 2.0, 5.0));
        Assert.True(LossPlausibility.IsPhysical(10.0, 2.0, 5.0));
        Assert.False(LossPlausibility.IsPhysical(Math.BitIncrement(10.0), 2.0, 5.0));
    }

    [Fact]
    public void Non_physical_predictions_are_counted_with_the_first_and_its_curve()
    {
        // Lowest 2, highest 5: the range is 1 to 10.
        double[][] curves = [[3.0, 4.0], [2.5, 0.9, double.NaN], [11.0]];
        Assert.Equal((3, 0.9, 1), LossPlausibility.NonPhysical(curves, 2.0, 5.0));
        Assert.Equal((0, double.NaN, -1), LossPlausibility.NonPhysical([[3.0, 10.0], [1.0]], 2.0, 5.0));
    }

    [Fact]
    public void Observed_losses_span_every_run_and_split()
    {
        var runs = new[] { RunOf("a", 4.0, 3.0), RunOf("b", 6.0, 2.5) };
        Assert.Equal((2.5, 6.0), LossPlausibility.Observed(runs));
    }

    [Fact]
    public void The_lowest_loss_is_a_median_so_one_odd_batch_does_not_lower_the_floor()
    {
        // 60 training losses falling from 4 to 3 with one odd batch at 1.6 (as a 1.5B modded-nanogpt run logs).
        var obs = Enumerable.Range(1, 60).Select(s => new HyperLaws.Runs.LossObservation(s, s == 40 ? 1.6 : 4 - s / 60.0)).ToList();
        var run = new HyperLaws.Runs.TrainingRun(new HyperLaws.Runs.RunMetadata("r"), [.. Enumerable.Repeat(0.001, 60)], obs);
        var (lowest, highest) = LossPlausibility.Observed([run]);
        // The lowest median of 21: the last 21 losses, 1.6 among them, so their median is the 10th smallest of the other 20.
        var last21 = obs.Skip(39).Select(o => o.Loss).Order().ToList();
        Assert.Equal(last21[10], lowest);
        Assert.True(lowest > 3, $"{lowest}");
        Assert.Equal(4 - 1 / 60.0, highest);
        // A plan at 1.2 is below half of that floor: not physical, where half the raw minimum (0.8) would have passed it.
        Assert.False(LossPlausibility.IsPhysical(1.2, lowest, highest));
        Assert.True(LossPlausibility.IsPhysical(1.2, 1.6, highest));
    }

    private static HyperLaws.Runs.TrainingRun RunOf(string name, double first, double last) =>
        new(new HyperLaws.Runs.RunMetadata(name), [0.001, 0.001], [new(1, first), new(2, last, HyperLaws.Runs.LossSplit.Validation)]);

    private static LawAccuracy Accuracy(string law, double finalError, params double[] predicted) =>
        new(law, "test", finalError, finalError, finalError, [new HeldOutCurve("run", [.. predicted.Select((_, i) => (double)(i + 1))], [.. predicted.Select(_ => 2.0)], predicted)]);

    [Fact]
    public void The_choice_skips_a_non_physical_law_with_a_smaller_error()
    {
        // "a" has the smaller final-loss error but predicts a negative loss on the way: "b" is chosen.
        var laws = new[] { Accuracy("a", 0.01, 3.0, -0.5, 2.0), Accuracy("b", 0.05, 3.0, 2.5, 2.1) };
        Assert.Equal((1, true), Planner.ChooseLaw(laws, lowestObserved: 2.0));
        // Without the negative point "a" wins on error.
        var physical = new[] { Accuracy("a", 0.01, 3.0, 2.4, 2.0), Accuracy("b", 0.05, 3.0, 2.5, 2.1) };
        Assert.Equal((0, true), Planner.ChooseLaw(physical, lowestObserved: 2.0));
    }

    [Fact]
    public void When_every_law_is_non_physical_the_smallest_error_is_chosen_and_flagged()
    {
        var laws = new[] { Accuracy("a", 0.2, -1.0), Accuracy("b", 0.1, 0.1) };
        Assert.Equal((1, false), Planner.ChooseLaw(laws, lowestObserved: 2.0));
        // A law far above the runs' losses is skipped too.
        var high = new[] { Accuracy("a", 0.01, 3.0, 40.0), Accuracy("b", 0.05, 3.0, 2.5) };
        Assert.Equal((1, true), Planner.ChooseLaw(high, lowestObserved: 2.0, highestObserved: 5.0));
    }

    [Fact]
    public void The_laws_are_tried_in_the_order_of_the_held_out_choice()
    {
        // "a" predicts a negative held-out loss: last; the physical ones by their error; the given order when nothing is held out.
        var laws = new[] { Accuracy("a", 0.01, 3.0, -1.0), Accuracy("b", 0.05, 3.0, 2.5), Accuracy("c", 0.02, 3.0, 2.4) };
        Assert.Equal([2, 1, 0], Planner.LawOrder(laws, 3, 2.0, double.NaN, byCorrected: false));
        Assert.Equal(Planner.ChooseLaw(laws, 2.0).Chosen, Planner.LawOrder(laws, 3, 2.0, double.NaN, byCorrected: false)[0]);
        Assert.Equal([0, 1, 2], Planner.LawOrder([], 3, 2.0, double.NaN, byCorrected: false));
    }
}
