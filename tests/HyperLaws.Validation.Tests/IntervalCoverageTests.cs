using HyperLaws.Laws;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>Protocol 9's machinery on real curves, kept to seconds: the tissue law on protocol 1's 25M split.</summary>
public sealed class IntervalCoverageTests
{
    [Fact]
    public void Calibrated_intervals_on_the_MPL_split_widen_with_the_horizon_ratio()
    {
        var train = MplSplit.Targets(DataFolders.Repo, "25", MplSplit.Train);
        var test = MplSplit.Targets(DataFolders.Repo, "25", MplSplit.Test);
        var r = IntervalCoverage.Run("1", "tissue", () => LawCatalog.Create("tissue"), train, test);
        // 3 leave-one-out residuals + 3 from the first halves (each curve's own final loss, horizon ratio 2).
        Assert.Equal(6, r.Residuals.Count);
        Assert.Equal(3, r.Residuals.Count(x => x.Split == "first 0.5"));
        // Horizon ratios against the longest cut curve: 2 for the longest curves, less for wsdcon_9 (shorter than 24,000 steps).
        var cut = r.Residuals.Where(x => x.Split == "first 0.5").ToList();
        Assert.InRange(cut.Max(x => x.Distance.HorizonRatio), 2, 2.05);
        Assert.All(cut, x => Assert.True(x.Distance.HorizonRatio > 1));
        Assert.False(r.Interval.Exact); // 6 residuals cannot give the 90% rank ceil(7 x 0.9) = 7: flagged
        Assert.Equal(6, r.HeldOut.Count);
        foreach (var h in r.HeldOut)
        {
            Assert.True(h.Lower < h.Predicted && h.Predicted < h.Upper);
            Assert.Equal(h.Actual >= h.Lower && h.Actual <= h.Upper, h.Inside);
            Assert.Equal(2 * r.Interval.HalfWidth(h.Distance.Value), h.RelativeWidth, 9);
        }
        // The 72,000-step curves reach 3x the longest training curve: the widest intervals.
        var far = r.HeldOut.Where(h => h.Run.Contains("72000", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, far.Count);
        Assert.All(far, h => Assert.InRange(h.Distance.HorizonRatio, 3, 3.01)); // the training curves end a logging interval before 24,000
        Assert.True(far.Min(h => h.RelativeWidth) > r.HeldOut.Except(far).Max(h => h.RelativeWidth));
    }
}
