using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 3's <see cref="GridOptions.MplWideStarts"/> (helper p3rank): per LR, two more MPL starts from the LR's constant run
/// (its fit, and that fit with the published B, C, beta, gamma), every start run to convergence.
/// </summary>
public sealed class MplWideStartsTests
{
    [Fact]
    public void The_starts_come_from_the_constant_run_and_the_published_shape()
    {
        var grid = ScheduleGridTests.Grid();
        var (train, _, _) = ScheduleGrid.Split(grid, 0.5);
        var targets = train.ToDictionary(r => r, r => ScheduleGrid.Target(r, HyperLaws.Runs.LossSplit.Validation));
        var cell = train.Where(r => r.Lr == train[0].Lr).ToList();
        var options = ScheduleGrid.WideStarts(new MultiPowerLaw(), cell, targets, null);
        Assert.True(options.ConvergeEveryStart);
        Assert.Equal(2, options.Starts.Count);
        var constant = cell.Where(r => r.Family == "constant").Select(r => targets[r]!).ToList();
        var stable = LawFitter.Fit(new MultiPowerLaw(), constant).Parameters;
        Assert.Equal(stable, options.Starts[0]);
        for (int j = 0; j < 7; j++)
        {
            double expected = j is MultiPowerLaw.L0 or MultiPowerLaw.A or MultiPowerLaw.Alpha ? stable[j] : MultiPowerLaw.Published.Values.Average(p => p[j]);
            Assert.Equal(expected, options.Starts[1][j]);
        }
        // No constant run: only the full multi-start.
        var noConstant = ScheduleGrid.WideStarts(new MultiPowerLaw(), [.. cell.Where(r => r.Family != "constant")], targets, new FitOptions { HuberDelta = 2e-3 });
        Assert.True(noConstant.ConvergeEveryStart);
        Assert.Empty(noConstant.Starts);
        Assert.Equal(2e-3, noConstant.HuberDelta);
    }

    [Fact]
    public void Protocol_three_with_wide_starts_fits_no_worse_and_leaves_other_laws_alone()
    {
        var grid = ScheduleGridTests.Grid();
        var plain = ScheduleGrid.Run(grid, ["mpl", "tissue"], new GridOptions { TrainFraction = 0.5 });
        var wide = ScheduleGrid.Run(grid, ["mpl", "tissue"], new GridOptions { TrainFraction = 0.5, MplWideStarts = true });
        for (int i = 0; i < plain.Laws[0].Fits.Count; i++)
            Assert.True(wide.Laws[0].Fits[i].Fit.Objective <= plain.Laws[0].Fits[i].Fit.Objective * (1 + 1e-6) + 1e-15,
                $"lr {plain.Laws[0].Fits[i].Lr}: {wide.Laws[0].Fits[i].Fit.Objective} vs {plain.Laws[0].Fits[i].Fit.Objective}");
        for (int i = 0; i < plain.Laws[1].Fits.Count; i++)
            Assert.Equal(plain.Laws[1].Fits[i].Fit.Parameters, wide.Laws[1].Fits[i].Fit.Parameters);
    }
}
