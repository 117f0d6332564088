using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary><see cref="FitTarget.Stretched(int)"/>: a run counted in units of a smaller batch's tokens (protocol 17c on tokens).</summary>
public sealed class FitTargetStretchTests
{
    private static FitTarget Target() =>
        new("run", new ScheduleHistory([1e-4, 5e-4, 1e-3, 8e-4, 2e-4]), [2, 3, 5], [3.1, 2.9, 2.7]) { ModelSize = 3.6e8 };

    [Fact]
    public void Each_step_becomes_k_unit_steps_at_its_lr_and_the_observations_move_to_k_s()
    {
        var t = Target();
        var s = t.Stretched(2);
        Assert.Equal(10, s.History.Steps);
        Assert.Equal([1e-4, 1e-4, 5e-4, 5e-4, 1e-3, 1e-3, 8e-4, 8e-4, 2e-4, 2e-4], Enumerable.Range(1, 10).Select(s.History.Eta));
        Assert.Equal([4, 6, 10], s.Steps);
        Assert.Same(t.Loss, s.Loss);
        Assert.Equal(3.6e8, s.ModelSize);
        Assert.Equal("run", s.Name);
        s.Validate();
        // The LR sum at each observation is k times the optimizer-step sum: the run counted in tokens.
        for (int i = 0; i < t.Steps.Length; i++)
            Assert.Equal(2 * t.History.S1(t.Steps[i]), s.History.S1(s.Steps[i]), 15);
        var three = t.Stretched(3);
        Assert.Equal([6, 9, 15], three.Steps);
        Assert.Equal(3 * t.History.S1(5), three.History.S1(15), 15);
    }

    [Fact]
    public void A_factor_of_one_is_the_curve_itself_and_below_one_is_refused()
    {
        var t = Target();
        Assert.Same(t, t.Stretched(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Stretched(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Stretched(-2));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Stretched(int.MaxValue));
    }
}
