using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 3 anchored (<see cref="GridOptions.Anchored"/>) on the synthetic grid of <see cref="ScheduleGridTests"/>: the same fits, each
/// run's value moved by the law's mean residual on its LR's constant run over the last five observations its schedule shares with it.
/// </summary>
public sealed class ScheduleGridAnchoredTests
{
    private const double Lift = 0.02;

    /// <summary>The grid with the 1e-3 constant run observed <see cref="Lift"/> higher after step 400 (a level the law does not follow).</summary>
    private static IReadOnlyList<GridRun> Lifted() =>
        ScheduleGrid.Order(ScheduleGridTests.Grid().Select(g => g.Name != "constant-0.001" ? g.Run : g.Run with
        {
            Observations = [.. g.Run.Observations.Select(o => o.Step > 400 ? o with { Loss = o.Loss + Lift } : o)],
        }).Select(GridRun.From));

    private static readonly Lazy<(LawGridResult Plain, LawGridResult Anchored, IReadOnlyList<GridRun> Runs)> Result = new(() =>
    {
        var runs = Lifted();
        var laws = ScheduleGrid.Run(runs, ["tissue"], new GridOptions { TrainFraction = 0.5, Anchored = true }).Laws;
        Assert.Equal(["tissue", "tissue-a"], laws.Select(l => l.Law));
        return (laws[0], laws[1], runs);
    });

    [Fact]
    public void The_anchored_result_keeps_the_fits_and_moves_each_value_by_its_residual()
    {
        var (plain, anchored, runs) = Result.Value;
        // The fits of a grid run without the anchor, made apart: the anchored result's fits equal them parameter by parameter (the anchor
        // moves values only, it changes no fit).
        var apart = ScheduleGrid.Run(runs, ["tissue"], new GridOptions { TrainFraction = 0.5 }).Laws.Single();
        Assert.Equal(apart.Fits.Select(f => f.Lr), anchored.Fits.Select(f => f.Lr));
        foreach (var (a, b) in apart.Fits.Zip(anchored.Fits)) Assert.Equal(a.Fit.Parameters, b.Fit.Parameters);
        var (train, _, _) = ScheduleGrid.Split(runs, 0.5);
        int moved = 0;
        var plainOf = plain.Predictions.ToDictionary(p => p.Run.Name, StringComparer.Ordinal);
        foreach (var p in anchored.Predictions)
        {
            var fit = plain.Fits.Single(f => f.Lr == p.Run.Lr).Fit;
            double r = ScheduleGrid.AnchorResidual(p.Run, fit, train, LossSplit.Validation);
            Assert.Equal(plainOf[p.Run.Name].LawValue + r, p.LawValue, 12);
            if (Math.Abs(r) > 1e-4) moved++;
            Assert.Equal(p.LawValue + anchored.Offsets[p.Run.Lr], p.Predicted, 12);
            // A cosine shares only the warmup (one observation) with the constant run: no anchor.
            if (p.Run.Family == "cos") Assert.Equal(0, r);
        }
        // The anchor moves some values (the runs that share the lifted constant run's late observations): the check above is not 0 = 0.
        Assert.True(moved > 0, "no prediction was moved by its anchor");
    }

    [Fact]
    public void A_run_that_leaves_the_constant_run_after_the_lift_is_anchored_higher_than_one_that_leaves_before()
    {
        var (plain, _, runs) = Result.Value;
        var (train, _, _) = ScheduleGrid.Split(runs, 0.5);
        var fit = plain.Fits.Single(f => f.Lr == 1e-3).Fit;
        double R(string name) => ScheduleGrid.AnchorResidual(runs.Single(r => r.Name == name), fit, train, LossSplit.Validation);
        // 1,200 steps: cooldown 0.2 leaves at step 961 (five lifted observations before it), 0.8 at step 241 (none lifted).
        // The fit follows the lifted constant run only in part (the unlifted cooldown runs hold it down), so the late anchor is
        // positive and below the lift, and the early one about zero.
        double late = R("wsd-0.2-0.001-1200"), early = R("wsd-0.8-0.001-1200");
        Assert.True(late - early > Lift / 10 && late < Lift && Math.Abs(early) < Lift / 10, $"late {late}, early {early}");
        // The 2e-3 constant run is not lifted: its law follows it.
        var fit2 = plain.Fits.Single(f => f.Lr == 2e-3).Fit;
        Assert.True(Math.Abs(ScheduleGrid.AnchorResidual(runs.Single(r => r.Name == "wsd-0.2-0.002-1200"), fit2, train, LossSplit.Validation)) < 1e-3);
    }
}
