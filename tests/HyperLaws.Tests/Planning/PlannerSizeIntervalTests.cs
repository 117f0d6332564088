using HyperLaws.Planning;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// Variant N in the planner (<see cref="PlanOptions.SizeIntervals"/>, docs/VALIDATION.md "Intervals widened by the size-extrapolation
/// distance"): a plan inside the runs' sizes gets the interval it has without the option, bit for bit; a plan outside them is calibrated
/// with the runs' own size extrapolation (the 400M runs predicted from 25M + 100M) and says so.
/// </summary>
public sealed class PlannerSizeIntervalTests
{
    [Fact]
    public void The_size_width_acts_only_outside_the_runs_sizes()
    {
        var runs = PlannerSizeExponentTests.Runs("25", 25e6).Concat(PlannerSizeExponentTests.Runs("100", 1e8)).Concat(PlannerSizeExponentTests.Runs("400", 4e8)).ToList();
        PlanOptions Options(bool size) => new() { Laws = ["tissue"], SizeIntervals = size };
        var inside = new PlanRequest(2e8, 2e8 * 20, TrainingOptimizer.AdamW);
        var off = Planner.Make(inside, runs, Options(false));
        var on = Planner.Make(inside, runs, Options(true));
        Assert.Equal(IntervalKind.Conformal, off.Interval);
        Assert.Equal((off.Best.PredictedLoss, off.Best.Lower, off.Best.Upper), (on.Best.PredictedLoss, on.Best.Lower, on.Best.Upper));
        Assert.Equal(off.IntervalProtocol, on.IntervalProtocol);
        Assert.DoesNotContain("g_N", on.IntervalProtocol, StringComparison.Ordinal);
        // Outside (1.6B, 4x the largest run): three more residuals, the 400M runs predicted from the two smaller sizes.
        var far = Planner.Make(new PlanRequest(1.6e9, 1.6e9 * 20, TrainingOptimizer.AdamW), runs, Options(true));
        Assert.Equal(IntervalKind.Conformal, far.Interval);
        Assert.Contains("by g_N = ", far.IntervalProtocol, StringComparison.Ordinal);
        Assert.Contains("on 3 residuals predicted from the runs of smaller sizes", far.IntervalProtocol, StringComparison.Ordinal);
        Assert.True(far.Best.Lower < far.Best.PredictedLoss && far.Best.PredictedLoss < far.Best.Upper);
        // The interval's words state the formula in force: w = 1 + g d without the size growth, 1 + g (ln H + ln L) + g_N ln S with it.
        Assert.True(double.IsNaN(off.IntervalSizeGrowth) && double.IsNaN(on.IntervalSizeGrowth));
        Assert.Equal(PlanExplainer.Interval(off), PlanExplainer.Interval(on));
        Assert.Contains(" d), d = ln of how far", PlanExplainer.Interval(off), StringComparison.Ordinal);
        Assert.True(double.IsFinite(far.IntervalSizeGrowth));
        string words = PlanExplainer.Interval(far);
        Assert.Contains("(ln H + ln L) + ", words, StringComparison.Ordinal);
        Assert.Contains(" ln S), H, L and S = ", words, StringComparison.Ordinal);
        Assert.DoesNotContain(" d), d = ", words, StringComparison.Ordinal);
    }
}
