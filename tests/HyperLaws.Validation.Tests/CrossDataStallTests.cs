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
    /// <remarks>With <paramref name="cooldown"/> the LR falls linearly from 1e-3 to 1e-4 over steps 9,601-12,000 (after the fitted half).</remarks>
    private static CrossDataRun Run(string name, bool levels, bool cooldown = false)
    {
        static double Falling(int t) => 3 + 2 / Math.Sqrt(t);
        var obs = Enumerable.Range(1, 120).Select(i => 100 * i)
            .Select(t => new LossObservation(t, levels && t > 3000 ? Falling(3000) : Falling(t), LossSplit.Validation)).ToList();
        double[] lr = [.. Enumerable.Range(1, 12000).Select(s => !cooldown || s <= 9600 ? 1e-3 : 1e-3 - 9e-4 * (s - 9600) / 2400.0)];
        return new CrossDataRun("synthetic", name, new TrainingRun(new RunMetadata(name), lr, obs));
    }

    [Fact]
    public void The_progress_hold_keeps_a_cooldown_after_the_fitted_half_and_is_the_level_without_one()
    {
        // tissue fitted on the flat, constant-LR first half: its annealing term is held at the prior (no decay fitted), so the cooldown
        // after the window brings the law's drop -C (S2(h) - S2(c)) below the recent level; without a cooldown the two holds agree.
        CrossDataRun cooled = Run("cooled", true, cooldown: true), flat = Run("flat", true);
        var progress = CrossData.Run([cooled, flat], null, ["tissue"], hold: HyperLaws.Fitting.StallHold.Progress);
        var level = CrossData.Run([cooled, flat], null, ["tissue"], hold: HyperLaws.Fitting.StallHold.Level);
        CrossDataPrediction P(CrossDataResult r, string run) => r.FirstHalf.Single(p => p.Run == run && p.Law == "tissue");
        Assert.True(P(progress, "cooled").Stall!.Stalled);
        Assert.Equal(P(level, "cooled").Stall!.Level, P(level, "cooled").Predicted);
        Assert.True(P(progress, "cooled").Predicted < P(level, "cooled").Predicted - 1e-3, $"{P(progress, "cooled").Predicted} against {P(level, "cooled").Predicted}");
        Assert.True(P(progress, "cooled").Held);
        Assert.Equal(P(level, "flat").Predicted, P(progress, "flat").Predicted);
        Assert.Equal(P(progress, "flat").Stall!.Level, P(progress, "flat").Predicted);
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
