namespace HyperLaws.Cli.Tests;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>The root command: help, version, and how it reports bad command lines.</summary>
public sealed class CliAppTests
{
    [Fact]
    public void Root_help_lists_every_command()
    {
        var r = Cli.Run("--help");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        foreach (var command in new[] { "scale", "transfer", "verify", "demo" })
            Assert.Contains(command, r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Usage:", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("scale", new[] { "--regime", "--tokens", "--iterations", "--momentum", "--batch", "--lr", "--optimizer", "--shapes", "--large-horizon", "--json" })]
    [InlineData("transfer", new[] { "--regime", "--from-tokens", "--to-tokens", "--lr", "--momentum", "--batch", "--batch-multiple", "--no-round", "--seq-len", "--json" })]
    [InlineData("verify", new[] { "--out", "--budgets", "--min-tokens", "--max-tokens", "--no-figures", "--json", "--quiet" })]
    [InlineData("demo", new[] { "--out", "--quiet" })]
    public void Command_help_lists_its_options(string command, string[] options)
    {
        var r = Cli.Run(command, "--help");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Contains($"{command} [options]", r.Stdout, StringComparison.Ordinal);
        foreach (var option in options)
            Assert.Contains(option, r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_wins_over_missing_required_options()
    {
        var r = Cli.Run("transfer", "-h");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--from-tokens", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_is_printed()
    {
        var r = Cli.Run("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", r.Stdout);
    }

    [Fact]
    public void No_command_is_a_usage_error_pointing_at_help()
    {
        string line = Cli.Run().AssertUsageError();
        Assert.Contains("hyperlaws --help", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_errors_point_at_the_command_help()
    {
        string line = Cli.Run("scale", "--regime", "joint", "--tokens", "1e8", "--bogus").AssertUsageError();
        Assert.Contains("hyperlaws scale --help", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_command_is_named()
    {
        string line = Cli.Run("bogus").AssertUsageError();
        Assert.Contains("bogus", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        Cli.Run("bogus").AssertUsageError();
    }
}
