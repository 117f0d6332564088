using CsCheck;
using HyperLaws.Fitting;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Interval calibration on protocol 1: the counts add up and agree with the intervals themselves, and the
/// summary pools curves by their points. (The coverage numbers themselves are measured, not asserted.)
/// </summary>
public sealed class CalibrationTests
{
    [Fact]
    public void Counts_of_the_tissue_law_at_25M_agree_with_its_intervals()
    {
        var result = Calibration.Run(HyperLaws.Tests.DataFolders.Repo, "25", ["tissue"], new BootstrapOptions { Replicates = 16 }, 0.9);
        var law = Assert.Single(result.Laws);
        Assert.Equal(BootstrapScheme.Blocks, law.Scheme);   // three training curves
        Assert.Equal(MplSplit.Test.Select(n => n + "@25M"), law.TestCurves.Select(c => c.Run));
        foreach (var c in law.TestCurves)
        {
            Assert.Equal(c.Points, c.Inside + c.Below + c.Above);
            Assert.True(c.FinalLower <= c.FinalUpper);
            Assert.True(c.MeanRelativeWidth > 0);
        }
        Assert.Equal(law.TestCurves.Sum(c => c.Points), law.Test.Points);
        Assert.Equal(1, law.Test.Inside + law.Test.Below + law.Test.Above, 12);
        Assert.Equal(6, law.Test.Finals);
        Assert.Equal(3, law.Train.Finals);
    }

    [Fact]
    public void The_summary_pools_points_and_counts_finals()
    {
        var curve = from points in Gen.Int[1, 500]
                    from inside in Gen.Int[0, points]
                    from below in Gen.Int[0, points - inside]
                    from width in Gen.Double[1e-4, 0.1]
                    from final in Gen.Double[2.5, 3.5]
                    select new CurveCalibration("c", points, inside, below, points - inside - below, width, 100, final, 3.0, 2.9, 3.1);
        HyperLaws.Tests.Property.ForAll(curve.Array[1, 8], curves =>
        {
            var s = CoverageSummary.Of(curves);
            int points = curves.Sum(c => c.Points);
            Assert.Equal(points, s.Points);
            Assert.Equal((double)curves.Sum(c => c.Inside) / points, s.Inside, 12);
            Assert.Equal(1, s.Inside + s.Below + s.Above, 12);
            Assert.Equal(curves.Count(c => c.FinalLoss >= 2.9 && c.FinalLoss <= 3.1) / (double)curves.Length, s.FinalsInside, 12);
            Assert.InRange(s.MeanRelativeWidth, curves.Min(c => c.MeanRelativeWidth) - 1e-15, curves.Max(c => c.MeanRelativeWidth) + 1e-15);
        }, iterations: 100);
    }
}
