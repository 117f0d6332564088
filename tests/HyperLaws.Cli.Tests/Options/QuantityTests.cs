using System.Globalization;
using CsCheck;
using HyperLaws.Cli.Options;

namespace HyperLaws.Cli.Tests.Options;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary><see cref="Quantity.TryParse"/>: plain numbers round-trip, suffixes scale, anything else fails.</summary>
public sealed class QuantityTests
{
    private static readonly Gen<double> FiniteDouble = Gen.Double.Where(double.IsFinite);

    private static string R(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void Round_trip_formatted_doubles_parse_back_exactly()
    {
        Property.ForAll(FiniteDouble, d =>
        {
            Assert.True(Quantity.TryParse(R(d), out double v), R(d));
            Assert.Equal(d, v);
        }, iterations: 2000);
    }

    [Theory]
    [InlineData("k", 1e3)]
    [InlineData("K", 1e3)]
    [InlineData("M", 1e6)]
    [InlineData("B", 1e9)]
    [InlineData("G", 1e9)]
    [InlineData("T", 1e12)]
    [InlineData("P", 1e15)]
    [InlineData("m", 1e6)]
    [InlineData("b", 1e9)]
    [InlineData("g", 1e9)]
    [InlineData("t", 1e12)]
    [InlineData("p", 1e15)]
    public void A_suffix_multiplies_by_its_power_of_ten(string suffix, double scale)
    {
        Property.ForAll(FiniteDouble, x =>
        {
            Assert.True(Quantity.TryParse(R(x) + suffix, out double v), R(x) + suffix);
            Assert.Equal(x * scale, v);
        });
    }

    [Theory]
    [InlineData("1e10", 1e10)]
    [InlineData("10B", 1e10)]
    [InlineData("2.5e9", 2.5e9)]
    [InlineData("300M", 3e8)]
    [InlineData("1.5T", 1.5e12)]
    [InlineData("4k", 4e3)]
    [InlineData("1_000_000", 1e6)]
    [InlineData("1.3b", 1.3e9)]    // lowercase suffixes, as people write model sizes (issue 11)
    [InlineData("125m", 1.25e8)]
    [InlineData("26b", 2.6e10)]
    [InlineData("1t", 1e12)]
    [InlineData(" 7 ", 7)]
    [InlineData("-5", -5)]
    [InlineData("0.5", 0.5)]
    public void Examples_from_the_documentation(string text, double expected)
    {
        Assert.True(Quantity.TryParse(text, out double v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("10BB")]
    [InlineData("10 B x")]
    [InlineData("1,000")]
    [InlineData("0x10")]
    [InlineData("k")]
    [InlineData("1e")]
    [InlineData("--5")]
    public void Garbage_fails(string? text)
    {
        Assert.False(Quantity.TryParse(text, out double v));
        Assert.True(double.IsNaN(v));
    }

    [Fact]
    public void A_stray_letter_anywhere_makes_a_number_garbage()
    {
        // Letters that are neither an exponent, a suffix nor part of "NaN"/"Infinity".
        var gen = Gen.Select(FiniteDouble, Gen.Char["cdhjloqrsuvwxz"], Gen.Int[0, 100], Gen.OneOf("", "k", "M", "B", "T"));
        Property.ForAll(gen, sample =>
        {
            var (d, letter, at, suffix) = sample;
            string number = R(d);
            string text = number.Insert(at % (number.Length + 1), letter.ToString()) + suffix;
            Assert.False(Quantity.TryParse(text, out _), text);
        }, iterations: 2000);
    }

    [Fact]
    public void Underscores_only_fail_without_throwing()
    {
        Assert.False(Quantity.TryParse("_", out _));
        Assert.False(Quantity.TryParse("__", out _));
    }
}
