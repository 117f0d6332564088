using HyperLaws.Plotting.Reports;
using Xunit;

namespace HyperLaws.Plotting.Tests.Reports;

public sealed class ReportFormatTests
{
    [Theory]
    [InlineData(3.2e-5, "3.2e-5")]
    [InlineData(1.25e10, "1.25e10")]
    [InlineData(0.0011, "0.0011")]
    [InlineData(-4.5e-12, "-4.5e-12")]
    [InlineData(double.NaN, "n/a")]
    public void G_WritesShortExponents(double value, string expected) => Assert.Equal(expected, ReportFormat.G(value));

    [Theory]
    [InlineData(4e8, "400M")]
    [InlineData(1.2e9, "1.2B")]
    [InlineData(2.4e13, "24T")]
    [InlineData(524288, "524.3K")]
    [InlineData(512, "512")]
    public void Count_UsesTheSuffixesQuantityParses(double value, string expected) => Assert.Equal(expected, ReportFormat.Count(value));

    [Fact]
    public void Losses_HaveFourDecimals_AndTheIntervalOnlyWhenFinite()
    {
        Assert.Equal("2.6850 [2.6500, 2.7200]", ReportFormat.WithInterval(2.685, 2.65, 2.72));
        Assert.Equal("2.6850", ReportFormat.WithInterval(2.685, double.NaN, double.NaN));
        Assert.Equal("+0.0068", ReportFormat.LossDelta(0.00678));
        Assert.Equal("-0.0100", ReportFormat.LossDelta(-0.01));
        Assert.Equal("1.23%", ReportFormat.Percent(0.0123));
        Assert.Equal("0.9995", ReportFormat.Beta(0.9995));
    }
}
