using HyperLaws.Evaluation;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>
/// The held-out tail of docs/VALIDATION.md "Protocol 3 and 17r: the ensemble weighted by its members' held-out tails": each curve
/// split at three quarters of its step span, the fitter given only the heads, each curve scored on its own tail, a failed fit
/// infinite, and the weight the inverse square of the error.
/// </summary>
public sealed class HeldOutTailTests
{
    private static readonly AnnealingLaw Law = new();
    private static readonly double[] Truth = [2.6, 0.9, 0.4, 0.2];   // L0, A, alpha, C: near tissue's protocol-3 fits at 1e-3

    /// <summary>A WSD run of <paramref name="steps"/> steps (cooldown over its last 20%) observed every 100 steps from <paramref name="from"/>, its losses the law's own.</summary>
    private static FitTarget Curve(string name, int steps, int from, double[] parameters)
    {
        var lr = new double[steps];
        for (int t = 1; t <= steps; t++) lr[t - 1] = 1e-3 * Math.Min(1, (steps - t + 1) / (0.2 * steps));
        var history = new ScheduleHistory(lr);
        int[] at = [.. Enumerable.Range(0, (steps - from) / 100 + 1).Select(k => from + 100 * k)];
        return new FitTarget(name, history, at, new LawFit(Law, parameters, 0, 0, 0, true, "test").Predict(history, at));
    }

    [Fact]
    public void A_curve_is_split_at_three_quarters_of_its_step_span()
    {
        var c = Curve("a", 5000, 1000, Truth);   // steps 1000..5000: cut at 4000
        Assert.All(c.Loss, y => Assert.InRange(y, 2.6, 4.0));
        var (head, tail) = HeldOutTail.Split(c);
        Assert.Equal(1000, head!.Steps[0]);
        Assert.Equal(4000, head.Steps[^1]);
        Assert.Equal(4100, tail!.Steps[0]);
        Assert.Equal(5000, tail.Steps[^1]);
        Assert.Equal(c.Loss[..head.Steps.Length], head.Loss);
        Assert.Same(c.History, tail.History);
        var one = c with { Steps = [3000], Loss = [3.0] };
        Assert.Null(HeldOutTail.Split(one).Tail);
        Assert.Throws<ArgumentOutOfRangeException>(() => HeldOutTail.Split(c, 1.0));
    }

    [Fact]
    public void The_fitter_sees_only_the_heads_and_each_curve_is_scored_on_its_own_tail()
    {
        FitTarget[] curves = [Curve("a", 5000, 1000, Truth), Curve("b", 8000, 6400, Truth)];
        var seen = new List<FitTarget>();
        var exact = HeldOutTail.Errors(curves, heads =>
        {
            seen.AddRange(heads);
            return new LawFit(Law, Truth, 0, 0, 0, true, "test");
        });
        Assert.Equal([4000, 7600], seen.Select(h => h.Steps[^1]));
        Assert.All(exact, e => Assert.True(e < 1e-12, $"error {e}"));

        // A fit 1% high everywhere: every curve's error is 1%.
        var shifted = HeldOutTail.Errors([.. curves.Select(c => c with { Loss = [.. c.Loss.Select(y => y / 1.01)] })],
            _ => new LawFit(Law, Truth, 0, 0, 0, true, "test"));
        Assert.All(shifted, e => Assert.Equal(0.01, e, 1e-12));
        Assert.Equal(0.01, HeldOutTail.Mean(shifted), 1e-12);
    }

    [Fact]
    public void A_failed_fit_is_infinite_and_weighs_nothing()
    {
        FitTarget[] curves = [Curve("a", 5000, 1000, Truth)];
        Assert.Equal([double.PositiveInfinity], HeldOutTail.Errors(curves, _ => null));
        Assert.Equal([double.PositiveInfinity], HeldOutTail.Errors(curves, _ => throw new InvalidOperationException("no fit")));
        Assert.Equal([double.PositiveInfinity], HeldOutTail.Errors(curves, _ => new LawFit(Law, [double.NaN, 1, 1, 1], 0, 0, 0, false, "test")));
        Assert.Equal(0, HeldOutTail.Weight(double.PositiveInfinity));
        Assert.Equal(0, HeldOutTail.Weight(double.NaN));
        Assert.Equal(1e4, HeldOutTail.Weight(0.01), 1e-6);
        Assert.Equal(1e12, HeldOutTail.Weight(0));   // the floor, 1e-6
        Assert.True(double.IsNaN(HeldOutTail.Mean([double.NaN])));
    }
}
