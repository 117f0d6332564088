using HyperLaws.Plotting.Internal;
using Xunit;

namespace HyperLaws.Plotting.Tests;

public sealed class NiceScaleTests
{
    [Theory]
    [InlineData(3, "10³")]
    [InlineData(-4, "10⁻⁴")]
    [InlineData(0, "10⁰")]
    [InlineData(14, "10¹⁴")]
    public void Power_UsesSuperscripts(int exponent, string expected) => Assert.Equal(expected, NumberFormat.Power(exponent));

    [Theory]
    [InlineData(0.002, "0.002")]
    [InlineData(150, "150")]
    [InlineData(0.30000000000000004, "0.3")]
    [InlineData(2e-4, "2×10⁻⁴")]
    [InlineData(1e6, "10⁶")]
    [InlineData(-2.5e7, "-2.5×10⁷")]
    [InlineData(0, "0")]
    public void Number_IsShortAndReadable(double value, string expected) => Assert.Equal(expected, NumberFormat.Number(value));

    [Fact]
    public void WideLogRange_PrefersPowersOfTenWithMinorTicksBetween()
    {
        ScaleLayout first = NiceScale.LogTickLayouts(3, 14).First();

        Assert.Equal(Enumerable.Range(3, 12).Select(k => (double)k), first.Major);
        Assert.Equal("10³", first.Labels[0]);
        Assert.Equal(11 * 8, first.Minor.Length);
        Assert.Contains(3 + Math.Log10(2), first.Minor);
    }

    [Fact]
    public void NarrowLogRange_OffersOneTwoFiveThenPlainSteps()
    {
        var layouts = NiceScale.LogTickLayouts(Math.Log10(2), Math.Log10(60)).ToList();

        ScaleLayout oneTwoFive = layouts.First(l => l.Major.Length >= 4);
        Assert.Equal(["2", "5", "10", "20", "50"], oneTwoFive.Labels);
        Assert.Contains(layouts, l => l.Labels.SequenceEqual(["10", "20", "30", "40", "50", "60"]));
    }

    [Fact]
    public void LogContourLevels_AreRoundRealValuesInsideTheRange()
    {
        ScaleLayout levels = NiceScale.ContourLevels(Math.Log10(2.3e-4), Math.Log10(0.66), 10, log: true);

        Assert.Equal(["5×10⁻⁴", "0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.2", "0.5"], levels.Labels);
        Assert.Equal(Math.Log10(0.002), levels.Major[2], 12);
    }

    [Fact]
    public void LinearContourLevels_AreMultiplesOfANiceStepStrictlyInside()
    {
        ScaleLayout levels = NiceScale.ContourLevels(0, 1, 5, log: false);

        Assert.Equal(["0.2", "0.4", "0.6", "0.8"], levels.Labels);
    }

    [Fact]
    public void HugeAndTinySpans_StayFinite()
    {
        Assert.NotEmpty(NiceScale.LogTickLayouts(-350, 400).First(l => l.Major.Length > 0).Major);
        Assert.NotEmpty(NiceScale.ContourLevels(-350, 400, 10, log: true).Major);
        Assert.NotEmpty(NiceScale.ContourLevels(1, 1 + 1e-12, 10, log: false).Major);
        Assert.Contains(NiceScale.LogTickLayouts(2, 2 + 1e-6), l => l.Major.Length >= 2);
    }
}
