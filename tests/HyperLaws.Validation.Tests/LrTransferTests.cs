using HyperLaws.Laws.Joint;
using HyperLaws.Runs;
using HyperLaws.Validation;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>The LR-axis prior on the Step Law table and the in-sample diagnostic of protocol 4 (fast parts only; protocol 10 itself is `validate --protocol 10`).</summary>
public sealed class LrTransferTests
{
    private static readonly Lazy<SweepTable> Table = new(() => StepLawGrid.Load(HyperLaws.Tests.DataFolders.Shared));

    [Fact]
    public void The_prior_fitted_on_the_step_law_table_is_the_shipped_one()
    {
        var fit = LrTransfer.FitPrior(HyperLaws.Tests.DataFolders.Shared);
        var shipped = LrAxisPriorDocument.Parse(File.ReadAllText(Path.Combine(HyperLaws.Tests.DataFolders.Repo, "priors", "lr-axis-steplaw.json")));
        Assert.Equal(shipped.Ratio, fit.Prior.Ratio, 12);
        Assert.Equal(shipped.Curvature, fit.Prior.Curvature, 12);
        Assert.Equal(shipped.CurvatureExponent, fit.Prior.CurvatureExponent, 12);
        Assert.Equal(shipped.CurvatureTokens, fit.Prior.CurvatureTokens);
        Assert.Equal(shipped.Cells, fit.Prior.Cells);
    }

    [Fact]
    public void Fitted_on_one_cell_alone_the_joint_law_places_that_cells_optimum_within_x2()
    {
        var one = new SweepTable([.. Table.Value.Cells[1].Points]);
        var ratio = Assert.Single(StepLawJointInSample.Ratios(one, new JointMechanism(false, false), withBatch: true));
        Assert.InRange(ratio, 0.5, 2);
    }
}
