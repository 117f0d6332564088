using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 1 (the MPL split) for OptLaw on the shipped curves: fitted on three curves per size, it must
/// predict the six held-out curves better (PredE) than the published MPL fit does at every size.
/// </summary>
public sealed class OptLawProtocolTests
{
    [Theory]
    [InlineData("25")]
    [InlineData("100")]
    [InlineData("400")]
    public void OptLaw_BeatsThePublishedMplPredE(string size)
    {
        var result = MplSplit.Run(DataFolders.Repo, size, ["optlaw"]);
        var optlaw = Assert.Single(result.Scores);
        Assert.True(optlaw.Score.Summary.PredE < result.Published.PredE, $"{size}M: OptLaw PredE {optlaw.Score.Summary.PredE:P3} vs published MPL {result.Published.PredE:P3}");
        Assert.True(optlaw.Score.Summary.RSquared > 0.997, $"{size}M: R^2 {optlaw.Score.Summary.RSquared}");
    }
}
