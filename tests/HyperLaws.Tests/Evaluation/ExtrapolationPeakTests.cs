using HyperLaws.Evaluation;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>
/// The peak LR ratio of <see cref="ExtrapolationDistance.Of(ScheduleHistory, int, double, IReadOnlyList{FitTarget})"/> with the peaks
/// kept on each history per step (issue 12, helper cpucheck): a history asked at several steps gives each step's own peak, in any
/// order, the same as a fresh history of the same LRs that has nothing kept.
/// </summary>
public sealed class ExtrapolationPeakTests
{
    // eta_t = t * 1e-6 for 6,000 steps: the peak up to step s is s * 1e-6 (1e-3 at 1,000, 3e-3 at 3,000).
    private static ScheduleHistory Ramp() => new([.. Enumerable.Range(1, 6000).Select(t => t * 1e-6)]);

    // One training curve at a constant 2e-3: steps whose peak is below it are 2e-3 / peak out, above it peak / 2e-3.
    private static readonly FitTarget[] Train = [new("const", new ScheduleHistory([.. Enumerable.Repeat(2e-3, 4000)]), [2000, 4000], [3.5, 3.2])];

    [Fact]
    public void Each_step_has_its_own_peak_in_either_order_and_as_a_fresh_history()
    {
        var up = Ramp();
        double early = ExtrapolationDistance.Of(up, 1000, double.NaN, Train).LrRatio;
        double late = ExtrapolationDistance.Of(up, 3000, double.NaN, Train).LrRatio;
        Assert.Equal(2e-3 / (1000 * 1e-6), early, 12);
        Assert.Equal(3000 * 1e-6 / 2e-3, late, 12);
        // Asked again, and on another history of the same LRs in the other order: the same values bit for bit.
        Assert.Equal(early, ExtrapolationDistance.Of(up, 1000, double.NaN, Train).LrRatio);
        var down = Ramp();
        Assert.Equal(late, ExtrapolationDistance.Of(down, 3000, double.NaN, Train).LrRatio);
        Assert.Equal(early, ExtrapolationDistance.Of(down, 1000, double.NaN, Train).LrRatio);
        Assert.Equal(early, ExtrapolationDistance.Of(Ramp(), 1000, double.NaN, Train).LrRatio);
        Assert.Equal(late, ExtrapolationDistance.Of(Ramp(), 3000, double.NaN, Train).LrRatio);
        // Inside the training peak: ratio 1 (a step whose peak equals it).
        Assert.Equal(1, ExtrapolationDistance.Of(up, 2000, double.NaN, Train).LrRatio);
    }
}
