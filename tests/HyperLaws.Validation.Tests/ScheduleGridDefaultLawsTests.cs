using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>Protocol 3's default laws: the catalogue's set with MPL fitted as "mpl-g1" (helper p3rank's declared rule).</summary>
public sealed class ScheduleGridDefaultLawsTests
{
    [Fact]
    public void Protocol_three_scores_mpl_g1_in_place_of_mpl_and_the_other_default_laws()
    {
        Assert.Equal(LawCatalog.Names.Select(n => n == "mpl" ? "mpl-g1" : n), ScheduleGrid.DefaultLaws);
        var g1 = Assert.IsType<MultiPowerLaw>(LawCatalog.Create("mpl-g1"));
        Assert.Equal(MplShapeBox.MaxGamma, g1.Bounds!.Upper[MultiPowerLaw.Gamma]);
        Assert.Equal([MultiPowerLaw.Gamma], g1.Bounds.Bounded());
    }
}
