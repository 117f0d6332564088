using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

public sealed class ContinuationGridTests
{
    private static readonly ILossLaw Tissue = LawCatalog.Create("tissue");
    private static readonly LrSchedule Previous = new CosineSchedule(3e-4, 2000, 100);

    [Fact]
    public void Builds_every_combination_and_keeps_the_history()
    {
        var grid = new ContinuationGrid([0, 50, 200], [1e-4, 3e-4], ["constant", "cosine", "linear", "wsd"], RewarmFrom.Current);
        var all = grid.Schedules(Previous, 1000);
        Assert.Equal(3 * 2 * 4, all.Count);
        var before = Previous.Evaluate();
        foreach (var c in all)
        {
            Assert.Equal(3000, c.Steps);
            var lr = c.Evaluate();
            Assert.Equal(before, lr[..2000]);
            // Re-warm 0 starts at the new peak at once; re-warm from current starts near the run's last LR.
            var next = (WarmupSchedule)c.Next;
            if (next.Warmup == 0) Assert.InRange(lr[2000], 0.999 * next.Peak, next.Peak);
            else Assert.Equal(RewarmFrom.Current, c.RewarmFrom);
        }
    }

    [Fact]
    public void Without_annealing_the_known_winner_is_the_highest_constant_peak_without_rewarm()
    {
        // Tissue law with C = 0: the loss falls with S1 = sum of LRs alone, so the most LR area wins.
        double[] p = [3.15, 0.51, 0.51, 0];
        var grid = new ContinuationGrid([0, 100], [1e-4, 2e-4, 4e-4], ["constant", "cosine", "wsd"]);
        var ranked = SchedulePreselection.Rank(Tissue, p, grid.Schedules(Previous, 1000));
        var best = (ConstantSchedule)((ContinuedSchedule)ranked[0].Schedule).Next;
        Assert.Equal(4e-4, best.Peak);
        Assert.Equal(0, best.Warmup);
        // And each prediction sees the whole history: a longer previous run lowers every candidate's loss.
        var longer = SchedulePreselection.Rank(Tissue, p, grid.Schedules(new CosineSchedule(3e-4, 4000, 100), 1000));
        Assert.True(longer[0].PredictedLoss < ranked[0].PredictedLoss);
    }

    [Theory]
    [InlineData("rewarm")]
    [InlineData("peaks")]
    [InlineData("decay")]
    public void Bad_values_are_named(string field)
    {
        var grid = field switch
        {
            "rewarm" => new ContinuationGrid([1000], [1e-4], ["cosine"]),
            "peaks" => new ContinuationGrid([0], [-1], ["cosine"]),
            _ => new ContinuationGrid([0], [1e-4], ["step"]),
        };
        var e = Assert.Throws<ArgumentException>(() => grid.Schedules(Previous, 1000));
        Assert.StartsWith(field + ":", e.Message, StringComparison.Ordinal);
    }
}
