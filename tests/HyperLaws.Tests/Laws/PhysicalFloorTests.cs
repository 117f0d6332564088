using HyperLaws.Fitting;
using HyperLaws.Laws;

namespace HyperLaws.Tests.Laws;

using Xunit;

/// <summary>
/// The bounded refit of the planner's fallback (<see cref="PhysicalFloor"/>): on runs whose free fit puts the floor below 0, the
/// bounded fit of OptLaw, MPL and tissue keeps 0 &lt;= L0 &lt;= the lowest logged loss, under the law's own name; a pinned fit keeps
/// the box; laws without a bounded form give none; OptLaw takes no other box.
/// </summary>
public sealed class PhysicalFloorTests
{
    /// <summary>
    /// Two runs of 400 steps at peak 1e-3 (constant; linear decay to 0 over the last half), logged every 8 steps, of a loss with no
    /// physical floor: L = -2 + 6 (S1 + 0.02)^-0.05 (falls from 3.6 to about 3.35 here, and below 0 only far beyond the runs).
    /// </summary>
    internal static List<FitTarget> Runs()
    {
        var constant = Enumerable.Repeat(1e-3, 400).ToArray();
        var decay = Enumerable.Range(1, 400).Select(t => t <= 200 ? 1e-3 : 1e-3 * (400 - t) / 200.0).ToArray();
        FitTarget Run(string name, double[] lrs)
        {
            var history = new ScheduleHistory(lrs);
            int[] steps = [.. Enumerable.Range(1, 50).Select(k => 8 * k)];
            return new FitTarget(name, history, steps, [.. steps.Select(s => -2 + 6 * Math.Pow(history.S1(s) + 0.02, -0.05))]);
        }
        return [Run("constant", constant), Run("decay", decay)];
    }

    private static double Lowest(IEnumerable<FitTarget> runs) => runs.Min(r => r.Loss.Min());

    [Theory]
    [InlineData("optlaw")]
    [InlineData("mpl")]
    [InlineData("tissue")]
    public void The_bounded_fit_holds_the_floor_between_zero_and_the_lowest_loss_where_the_free_fit_does_not(string name)
    {
        var runs = Runs();
        double lowest = Lowest(runs);
        var free = LawFitter.Fit(LawCatalog.Create(name), runs);
        Assert.True(PhysicalFloor.Of(free) < 0, $"{name}'s free L0 = {PhysicalFloor.Of(free)}: these runs must not identify the floor");

        var bounded = PhysicalFloor.Bounded(LawCatalog.Create(name), lowest)!;
        Assert.Equal(name, bounded.Name);
        var fit = LawFitter.Fit(bounded, runs);
        double l0 = PhysicalFloor.Of(fit);
        Assert.InRange(l0, 0, lowest);
        // A fit, not a clamp: it still follows the runs (every prediction within 10% of the losses; the free fit's curvature needs the
        // negative floor, so the bounded one misses the ends by up to 5% here), and it is no better than the free one.
        foreach (var run in runs)
        {
            var predicted = fit.Predict(run.History, run.Steps);
            for (int i = 0; i < run.Steps.Length; i++) Assert.InRange(predicted[i] / run.Loss[i], 0.9, 1.1);
        }
        Assert.True(fit.Objective >= free.Objective - 1e-12, $"bounded {fit.Objective} < free {free.Objective}");
    }

    [Fact]
    public void A_pinned_fit_keeps_the_bounded_law_s_box()
    {
        var runs = Runs();
        double lowest = Lowest(runs);
        var bounded = PhysicalFloor.Bounded(LawCatalog.Create("tissue"), lowest)!;
        var pinned = PinnedLaw.Create(bounded, new Dictionary<int, double> { [AnnealingLaw.C] = 0.5 });
        var box = Assert.IsType<ParameterBounds>(pinned.Bounds);
        Assert.Equal([0, double.NegativeInfinity, double.NegativeInfinity], box.Lower);
        Assert.Equal([lowest, double.PositiveInfinity, double.PositiveInfinity], box.Upper);
        var fit = LawFitter.Fit(pinned, runs);
        Assert.InRange(pinned.Expand(fit.Parameters)[AnnealingLaw.L0], 0, lowest);
        // A law without a box pins as before (no bounds).
        Assert.Null(PinnedLaw.Create(LawCatalog.Create("tissue"), new Dictionary<int, double> { [AnnealingLaw.C] = 0.5 }).Bounds);
    }

    [Fact]
    public void Laws_without_a_bounded_form_give_none_and_optlaw_takes_only_a_floor_at_zero()
    {
        Assert.Null(PhysicalFloor.Bounded(LawCatalog.Create("convex"), 2.0));
        Assert.Null(PhysicalFloor.Bounded(LawCatalog.Create("joint"), 2.0));
        // MPL keeps its name and its own box beside the floor's ends; no positive lowest loss leaves the upper end open.
        var box = (MultiPowerLaw)PhysicalFloor.Bounded(LawCatalog.Create("mpl-g1"), 2.5)!;
        Assert.Equal("mpl-g1", box.Name);
        Assert.Equal((0, 2.5), (box.Bounds!.Lower[MultiPowerLaw.L0], box.Bounds.Upper[MultiPowerLaw.L0]));
        Assert.Equal(MplShapeBox.MaxGamma, box.Bounds.Upper[MultiPowerLaw.Gamma]);
        Assert.Equal(double.PositiveInfinity, ((AnnealingLaw)PhysicalFloor.Bounded(new AnnealingLaw(), double.NaN)!).Bounds!.Upper[AnnealingLaw.L0]);

        var optlaw = new OptLaw();
        var lower = Enumerable.Repeat(double.NegativeInfinity, optlaw.ParameterNames.Count).ToArray();
        var upper = Enumerable.Repeat(double.PositiveInfinity, optlaw.ParameterNames.Count).ToArray();
        lower[OptLaw.L0] = 0.5;
        Assert.Throws<ArgumentException>(() => new OptLaw { Bounds = new ParameterBounds(lower, upper) });
        lower[OptLaw.L0] = 0;
        upper[OptLaw.L0] = 3;
        Assert.Throws<ArgumentException>(() => new OptLaw { Bounds = new ParameterBounds(lower, upper) });
    }
}
