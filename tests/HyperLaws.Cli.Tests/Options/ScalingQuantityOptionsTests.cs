using HyperLaws.Cli.Options;
using HyperLaws.Theory;

namespace HyperLaws.Cli.Tests.Options;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// The core says which quantity a regime misses (<see cref="MissingQuantityException"/>); the CLI names the option,
/// and the user's line is the one it was before the core stopped naming options.
/// </summary>
public sealed class ScalingQuantityOptionsTests
{
    [Theory]
    [InlineData("scale --regime fixed-batch --tokens 1e8", "hyperlaws: error: regime fixed-batch needs --batch.")]
    [InlineData("scale --regime lr-only --tokens 1e8", "hyperlaws: error: regime lr-only needs --batch.")]
    [InlineData("scale --regime lr-only --tokens 1e8 --batch 64", "hyperlaws: error: regime lr-only needs --momentum.")]
    [InlineData("scale --regime fixed-momentum --tokens 1e8", "hyperlaws: error: regime fixed-momentum needs --momentum.")]
    [InlineData("scale --regime ridge --tokens 1e8", "hyperlaws: error: regime ridge needs --ridge-exponent.")]
    [InlineData("scale --regime fixed-lr --tokens 1e8 --momentum 0.9", "hyperlaws: error: regime fixed-lr needs --lr.")]
    [InlineData("transfer --regime ridge --from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens 1e11", "hyperlaws: error: regime ridge needs --ridge-exponent.")]
    public void A_missing_quantity_is_reported_by_its_option(string commandLine, string line)
    {
        Assert.Equal(line, Cli.Run(commandLine).AssertUsageError());
    }

    [Fact]
    public void Every_quantity_maps_to_an_option_that_scale_takes()
    {
        string help = Cli.Run("scale --help").Stdout;
        foreach (var q in Enum.GetValues<ScalingQuantity>())
        {
            string option = ScalingQuantityOptions.Of(q);
            Assert.Contains(option + " ", help, StringComparison.Ordinal);
        }
    }
}
