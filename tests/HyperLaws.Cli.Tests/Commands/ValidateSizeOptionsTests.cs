namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// <c>validate --axis</c> (protocol 17c on tokens) and <c>validate --size-exponent</c> (protocol 2 with beta from another source):
/// parsing and the one-line refusals (exit 2) of bad values and of the options off their protocol (docs/VALIDATION.md, "Protocol 17c
/// on tokens, and protocol 2 with protocol 17c's size exponent").
/// </summary>
public sealed class ValidateSizeOptionsTests
{
    [Theory]
    [InlineData("hours")]
    [InlineData("")]
    [InlineData("token")]
    [InlineData("critical")]
    public void An_unknown_axis_is_refused_naming_it(string axis)
    {
        string line = Cli.Run("validate", "--protocol", "17", "--cross-size", "--data", "/nonexistent", "--axis", axis).AssertUsageError();
        Assert.Contains($"--axis: unknown axis '{axis}' (steps, tokens or critical-batch)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_axis_is_refused_off_protocol_seventeen_c()
    {
        string line = Cli.Run("validate", "--protocol", "2", "--data", "/nonexistent", "--axis", "tokens").AssertUsageError();
        Assert.Contains("--axis applies to protocol 17 with --cross-size only (got --protocol 2)", line, StringComparison.Ordinal);
        line = Cli.Run("validate", "--protocol", "17", "--data", "/nonexistent", "--axis", "steps").AssertUsageError();
        Assert.Contains("(got --protocol 17 without --cross-size)", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tokens")]
    [InlineData("Steps")]
    [InlineData("critical-batch")]
    public void A_known_axis_is_accepted_and_the_run_reaches_the_data(string axis)
    {
        // Parsed and accepted: the refusal is the missing folder's, not the option's.
        string line = Cli.Run("validate", "--protocol", "17", "--cross-size", "--data", "/nonexistent-p17axis", "--laws", "tissue", "--axis", axis).AssertUsageError();
        Assert.Contains("/nonexistent-p17axis", line, StringComparison.Ordinal);
        Assert.DoesNotContain("--axis", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.2")]
    [InlineData("2.5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("beta")]
    public void A_size_exponent_outside_zero_to_two_is_refused_naming_it(string beta)
    {
        string line = Cli.Run("validate", "--protocol", "2", "--data", "/nonexistent", "--size-exponent", beta).AssertUsageError();
        Assert.Contains($"--size-exponent: '{beta}' is not a size exponent in (0, 2]", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_size_exponent_is_refused_off_protocol_two_and_with_intervals()
    {
        string line = Cli.Run("validate", "--protocol", "17", "--cross-size", "--data", "/nonexistent", "--size-exponent", "0.203").AssertUsageError();
        Assert.Contains("--size-exponent applies to protocol 2 only (got --protocol 17)", line, StringComparison.Ordinal);
        line = Cli.Run("validate", "--protocol", "2", "--data", "/nonexistent", "--size-exponent", "0.203", "--intervals").AssertUsageError();
        Assert.Contains("--size-exponent applies to protocol 2's scoreboard, not to --intervals", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_size_exponent_in_range_is_accepted_and_the_run_reaches_the_data()
    {
        string line = Cli.Run("validate", "--protocol", "2", "--data", "/nonexistent-p2beta", "--laws", "tissue", "--size-exponent", "0.203").AssertUsageError();
        Assert.Contains("/nonexistent-p2beta", line, StringComparison.Ordinal);
        Assert.DoesNotContain("--size-exponent", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pooled=")]
    [InlineData("pooled")]
    [InlineData("pool=/tmp/p17")]
    public void A_pooled_size_exponent_without_its_folder_is_refused_naming_it(string value)
    {
        string line = Cli.Run("validate", "--protocol", "2", "--data", "/nonexistent", "--size-exponent", value).AssertUsageError();
        Assert.Contains($"--size-exponent: '{value}' is not a size exponent in (0, 2] or 'pooled=DIR'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pooled_size_exponent_is_refused_off_protocol_two_and_with_intervals()
    {
        string line = Cli.Run("validate", "--protocol", "17", "--cross-size", "--data", "/nonexistent", "--size-exponent", "pooled=/tmp/p17").AssertUsageError();
        Assert.Contains("--size-exponent applies to protocol 2 only (got --protocol 17)", line, StringComparison.Ordinal);
        line = Cli.Run("validate", "--protocol", "2", "--data", "/nonexistent", "--size-exponent", "pooled=/tmp/p17", "--intervals").AssertUsageError();
        Assert.Contains("--size-exponent applies to protocol 2's scoreboard, not to --intervals", line, StringComparison.Ordinal);
        // The pooled fit uses the joint law's default noise power, the scoreboard would fit it: the combination is refused.
        line = Cli.Run("validate", "--protocol", "2", "--data", "/nonexistent", "--laws", "joint", "--joint-noise-power", "fit", "--size-exponent", "pooled=/tmp/p17").AssertUsageError();
        Assert.Contains("--size-exponent pooled=DIR fits beta with the joint law's default noise power: --joint-noise-power does not apply", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pooled_size_exponent_reads_protocol_seventeens_folder_before_any_fit()
    {
        // Protocol 2's data found (the repository's), protocol 17's folder missing: refused naming that folder, before any fit.
        string line = Cli.Run("validate", "--protocol", "2", "--data", HyperLaws.Tests.DataFolders.Repo, "--laws", "tissue", "--size-exponent", "pooled=/nonexistent-p17pool").AssertUsageError();
        Assert.Contains("/nonexistent-p17pool", line, StringComparison.Ordinal);
    }
}
