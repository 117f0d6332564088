using HyperLaws.Runs;
using HyperLaws.Validation;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// The stall check in the cross-data protocols (docs/VALIDATION.md, "Curves that stop improving"): a run whose first half levels off
/// is predicted at its recent level (the law's own prediction kept beside it), a run that still falls keeps the law's prediction,
/// and <c>stallCheck: false</c> gives the law's own everywhere.
/// </summary>
public sealed class CrossDataStallTests
{
    /// <summary>A constant LR of 1e-3 for 12,000 steps, validation losses every 100 steps: 3 + 2 / sqrt(t), held at its value at 3,000 after it when <paramref name="levels"/>.</summary>
    private static CrossDataRun Run(string name, bool levels)
    {
        static double Falling(int t) => 3 + 2 / Math.Sqrt(t);
        var obs = Enumerable.Range(1, 120).Select(i => 100 * i)
            .Select(t => new LossObservation(t, levels && t > 3000 ? Falling(3000) : Falling(t), LossSplit.Validation)).ToList();
        return new CrossDataRun("synthetic", name, new TrainingRun(new RunMetadata(name), Enumerable.Repeat(1e-3, 12000).ToArray(), obs));
    }

    [Fact]
    public void A_first_half_that_levels_off_is_held_at_its_level_and_one_that_falls_is_not()
    {
        CrossDataRun levels = Run("levels", true), falls = Run("falls", false);
        var on = CrossData.Run([levels, falls], null, ["tissue"]);
        var held = on.FirstHalf.Single(p => p.Run == "levels" && p.Law == "tissue");
        Assert.True(held.Held);
        Assert.True(held.Stall!.Stalled);
        Assert.Equal(held.Stall.Level, held.Predicted);
        Assert.Equal(3 + 2 / Math.Sqrt(3000), held.Predicted, 9);         // the window (3,100-6,000) is flat at this level
        Assert.True(held.LawPredicted < held.Predicted);                   // the law's own forecast falls further
        Assert.True(held.RelativeError < Math.Abs(held.LawPredicted - held.Actual) / held.Actual);
        var kept = on.FirstHalf.Single(p => p.Run == "falls" && p.Law == "tissue");
        Assert.False(kept.Held);
        Assert.False(kept.Stall!.Stalled);
        Assert.Equal(kept.LawPredicted, kept.Predicted);
        Assert.Equal(1, on.Summaries.Single(s => s.Law == "tissue").Held);
        Assert.Null(on.FirstHalf.Single(p => p.Run == "levels" && p.Law == CrossData.Baseline).Stall);

        var off = CrossData.Run([levels, falls], null, ["tissue"], stallCheck: false);
        Assert.All(off.FirstHalf.Where(p => p.Law == "tissue"), p => Assert.False(p.Held));
        Assert.Equal(held.LawPredicted, off.FirstHalf.Single(p => p.Run == "levels" && p.Law == "tissue").Predicted);
        Assert.Equal(0, off.Summaries.Single(s => s.Law == "tissue").Held);
    }
}
