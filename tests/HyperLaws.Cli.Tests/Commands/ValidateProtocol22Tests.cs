using System.Globalization;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary><c>hyperlaws validate --protocol 22</c> end to end on hand-made Marin-style ablation tables (the layout of MarinSweepReader), and its refusals.</summary>
public sealed class ValidateProtocol22Tests
{
    /// <summary>One AdamW table (<see cref="MarinTables.Table"/>).</summary>
    private static string Table(string size, int mult, params (double Lr, string Loss)[] lrs) => MarinTables.Table("AdamW", size, mult, size, lrs);

    private static TempDir Folder(string tex) => MarinTables.Folder(tex);

    /// <summary>Three sizes at 1x, 2x and 5x Chinchilla, two LRs each (losses in the tables' range, lower with N and D).</summary>
    private static string Sweep() => string.Concat(
        from s in new[] { ("130m", 3.55), ("300m", 3.27), ("520m", 3.11) }
        from k in new[] { (1, 0.0), (2, 0.12), (5, 0.25) }
        select Table(s.Item1, k.Item1, (0.008, (s.Item2 - k.Item2).ToString("F3", CultureInfo.InvariantCulture)), (0.004, (s.Item2 - k.Item2 + 0.01).ToString("F3", CultureInfo.InvariantCulture))));

    [Fact]
    public void The_json_has_both_splits_and_the_beta_profile()
    {
        using var tmp = Folder(Sweep());
        var r = Cli.Run("validate", "--protocol", "22", "--data", tmp.Path, "--json", "--quiet");
        Assert.Equal(0, r.ExitCode);
        var json = r.Json();
        Assert.Equal(18, (int)json["runs"]!);
        Assert.Equal(12, (int)json["size"]!["trainRuns"]!);
        Assert.Equal(6, json["size"]!["runs"]!.AsArray().Count);
        Assert.All(json["size"]!["runs"]!.AsArray(), x => Assert.Contains("520m", (string)x!["cell"]!, StringComparison.Ordinal));
        Assert.Equal(12, (int)json["horizon"]!["trainRuns"]!);
        Assert.All(json["horizon"]!["runs"]!.AsArray(), x => Assert.EndsWith(" 5x", (string)x!["cell"]!, StringComparison.Ordinal));
        Assert.Null(json["horizon"]!["chinchillaFixedAlphaMeanError"]);
        Assert.True(double.IsFinite((double)json["beta"]!["beta"]!));
        Assert.Null(json["beta"]!["pooled"]);
    }

    [Theory]
    [InlineData("--laws", "joint", "--laws")]
    [InlineData("--size-exponent", "0.3", "--size-exponent")]
    public void Options_that_do_not_apply_are_refused_in_one_line(string option, string value, string named)
    {
        using var tmp = Folder(Sweep());
        var r = Cli.Run("validate", "--protocol", "22", "--data", tmp.Path, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains(named, r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Two_sizes_are_a_one_line_error()
    {
        using var tmp = Folder(Table("130m", 1, (0.008, "3.529"), (0.004, "3.550")) + Table("300m", 1, (0.008, "3.264"), (0.004, "3.272")));
        var r = Cli.Run("validate", "--protocol", "22", "--data", tmp.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("three model sizes", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }
}
