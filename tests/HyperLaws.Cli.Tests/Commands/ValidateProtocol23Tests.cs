using System.Globalization;
using HyperLaws.Cli.Commands.Validate;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary><c>hyperlaws validate --protocol 23</c> end to end on hand-made Marin-style tables of two optimizers (Muon's with its WSD columns).</summary>
public sealed class ValidateProtocol23Tests
{
    /// <summary>One table of <paramref name="opt"/> at 130m (<see cref="MarinTables.Table"/>).</summary>
    private static string Table(string opt, int mult, params (double Lr, string Loss)[] lrs) => MarinTables.Table(opt, "130m", mult, opt, lrs);

    private static TempDir Folder(string tex) => MarinTables.Folder(tex);

    private static string Two() =>
        Table("AdamW", 1, (0.008, "3.529"), (0.004, "3.550"), (0.016, "3.538"))
        + Table("Muon", 1, (0.016, "3.464"), (0.008, "3.491"), (0.032, "3.484"), (0.128, "NaN"))
        + Table("Muon", 2, (0.008, "3.369"), (0.016, "3.373"));

    [Fact]
    public void Each_optimizer_is_fitted_alone_and_adamw_is_a_reference()
    {
        using var tmp = Folder(Two());
        var r = Cli.Run("validate", "--protocol", "23", "--data", tmp.Path, "--json", "--quiet");
        Assert.Equal(0, r.ExitCode);
        var json = r.Json();
        Assert.Equal(23, (int)json["protocol"]!);
        var opts = json["optimizers"]!.AsArray();
        Assert.Equal(["adamw", "muon"], opts.Select(o => (string)o!["optimizer"]!).ToList());
        Assert.Equal((3, 5), ((int)opts[0]!["runs"]!, (int)opts[1]!["runs"]!)); // Muon's NaN run is diverged, never fitted
        Assert.Equal(1, (int)opts[1]!["headlineCells"]!);
        Assert.Equal(1, (int)json["counted"]!); // Muon alone: AdamW is protocol 20's
        Assert.Equal(opts[1]!["ruleMet"]!.GetValue<bool>() ? 1 : 0, (int)json["ruleMetCount"]!);

        var one = Cli.Run("validate", "--protocol", "23", "--data", tmp.Path, "--optimizer", "Muon", "--json", "--quiet").Json();
        Assert.Equal(["muon"], one["optimizers"]!.AsArray().Select(o => (string)o!["optimizer"]!).ToList());
        Assert.Equal((string)opts[1]!["folds"]![0]!["predicted"]!.ToJsonString(), one["optimizers"]![0]!["folds"]![0]!["predicted"]!.ToJsonString());

        var table = Cli.Run("validate", "--protocol", "23", "--data", tmp.Path, "--optimizer", "muon", "--quiet");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("Protocol 23, muon", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("of 1 optimizers with a headline cell", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_optimizer_options_and_a_folder_without_adamw_for_protocol_20_are_one_line_errors()
    {
        using var tmp = Folder(Two());
        Assert.Contains("the optimizer 'sophia' has no table here (the tables' optimizers: adamw, muon)", Cli.Run("validate", "--protocol", "23", "--data", tmp.Path, "--optimizer", "sophia", "--json").AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains("--optimizer applies to protocols 23 and 24 only", Cli.Run("validate", "--protocol", "20", "--data", tmp.Path, "--optimizer", "muon", "--json").AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains("joint law only", Cli.Run("validate", "--protocol", "23", "--data", tmp.Path, "--laws", "tissue", "--json").AssertUsageError(), StringComparison.Ordinal);
        using var muon = Folder(Table("Muon", 1, (0.016, "3.464"), (0.008, "3.491")));
        Assert.Contains("protocol 20 reads Marin's AdamW tables", Cli.Run("validate", "--protocol", "20", "--data", muon.Path, "--json").AssertUsageError(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_gap_label_drops_a_partly_blown_up_run_and_bad_label_options_are_one_line_errors()
    {
        // Muon's 0.064 ended at 1.6x its cell's best: finite by the default 2x label, diverged by the gap label (docs/VALIDATION.md "Protocol 23b").
        using var tmp = Folder(Table("Muon", 1, (0.016, "3.464"), (0.008, "3.491"), (0.032, "3.484"), (0.064, "5.542")));
        var twice = Cli.Run("validate", "--protocol", "23", "--data", tmp.Path, "--json", "--quiet").Json();
        var gap = Cli.Run("validate", "--protocol", "23", "--data", tmp.Path, "--divergence-label", "gap", "--json", "--quiet").Json();
        Assert.Equal(("2x", 4), ((string)twice["divergenceLabel"]!, (int)twice["optimizers"]![0]!["runs"]!));
        Assert.Equal(("gap", 3), ((string)gap["divergenceLabel"]!, (int)gap["optimizers"]![0]!["runs"]!));
        Assert.Contains("--divergence-label: unknown label '3x' (2x or gap)", Cli.Run("validate", "--protocol", "23", "--data", tmp.Path, "--divergence-label", "3x").AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains("--divergence-label applies to protocol 23 only", Cli.Run("validate", "--protocol", "20", "--data", tmp.Path, "--divergence-label", "gap").AssertUsageError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_label_has_one_name_and_an_undefined_label_has_none()
    {
        foreach (var label in Enum.GetValues<SweepDivergenceLabel>())
            Assert.Equal(label, DivergenceLabelNames.Of(DivergenceLabelNames.Name(label).ToUpperInvariant()));
        Assert.Equal("2x", DivergenceLabelNames.Name(SweepDivergenceLabel.TwiceBest));
        Assert.Throws<ArgumentOutOfRangeException>(() => DivergenceLabelNames.Name((SweepDivergenceLabel)5));
    }

    [Fact]
    public void A_missing_folder_names_the_protocol_that_reads_it()
    {
        string missing = Path.Combine(Path.GetTempPath(), "hyperlaws-no-such-folder-" + Guid.NewGuid().ToString("N"));
        foreach (var protocol in new[] { "20", "22", "23" })
            Assert.Contains($"(protocol {protocol} reads the folder", Cli.Run("validate", "--protocol", protocol, "--data", missing, "--json").AssertUsageError(), StringComparison.Ordinal);
    }
}
