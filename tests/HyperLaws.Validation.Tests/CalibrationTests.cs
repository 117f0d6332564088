using CsCheck;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// The coverage summary of interval calibration pools curves by their points. (The calibration run itself is
/// tested end to end through 'validate --intervals'; its coverage numbers are measured, not asserted.)
/// </summary>
public sealed class CalibrationTests
{
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
