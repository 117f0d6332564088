using HyperLaws.Planning;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// The declared backtest of the divergence guard's risk level (docs/VALIDATION.md, "The plan's peak at the divergence boundary"):
/// the Step Law rows, each cell's divergence model fitted without it, picks at the limit and capped at the row's best LR.
/// </summary>
public sealed class DivergenceRiskBacktestTests
{
    [Fact]
    public void The_stated_level_lands_on_fewer_diverged_runs_at_no_cost_at_the_rows_optima()
    {
        var scores = DivergenceRiskBacktest.Run(DataFolders.Shared, [0.5, PlanOptions.StatedDivergenceRisk]);
        var (boundary, stated) = (scores[0], scores[1]);
        Assert.Equal(0.5, boundary.Level);
        Assert.Equal(PlanOptions.StatedDivergenceRisk, stated.Level);
        // The reported score (scored once, VALIDATION.md): 170 rows, picks at the limit that diverged 28 -> 15, capped regret 0 at both.
        Assert.All(scores, s => Assert.Equal(170, s.Rows));
        Assert.Equal(28, boundary.LimitDiverged);
        Assert.Equal(15, stated.LimitDiverged);
        Assert.Equal(0, stated.Cut);
        Assert.Equal(0, stated.CappedRegret, 12);
        Assert.Equal(0.04897, boundary.LimitRegret, 4);
        Assert.Equal(0.03937, stated.LimitRegret, 4);
        // The adoption rule as declared.
        Assert.True(stated.LimitDiverged < boundary.LimitDiverged);
        Assert.True(stated.CappedRegret - boundary.CappedRegret <= PeakEvidence.NoRepeatsMargin);
    }

    [Fact]
    public void A_lower_level_never_raises_a_rows_limit()
    {
        var scores = DivergenceRiskBacktest.Run(DataFolders.Shared, [0.5, 0.25, 0.05]);
        // Each row's limit falls with the level, so rows cut and rows without a run under the limit can only grow.
        for (int i = 1; i < scores.Count; i++)
        {
            Assert.True(scores[i].Cut >= scores[i - 1].Cut);
            Assert.True(scores[i].NoRunUnder >= scores[i - 1].NoRunUnder);
        }
    }
}
