using System.Globalization;
using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary><c>hyperlaws validate --protocol 20</c> end to end on hand-made Marin-style ablation tables (the layout of MarinSweepReader).</summary>
public sealed class ValidateProtocol20Tests
{
    /// <summary>One AdamW table (<see cref="MarinTables.Table"/>).</summary>
    private static string Table(string size, int mult, params (double Lr, string Loss)[] lrs) => MarinTables.Table("AdamW", size, mult, size, lrs);

    private static TempDir Folder(string tex) => MarinTables.Folder(tex);

    [Fact]
    public void A_summary_group_with_no_folds_is_written_as_json_null_not_a_crash()
    {
        // Every cell has two finite LRs: the headline group (3 or more) has no fold, its means are undefined.
        using var tmp = Folder(Table("130m", 1, (0.008, "3.529"), (0.004, "3.550"), (0.032, "7.781")) + Table("130m", 2, (0.008, "3.40"), (0.004, "3.43")));
        var r = Cli.Run("validate", "--protocol", "20", "--data", tmp.Path, "--json", "--quiet");
        Assert.Equal(0, r.ExitCode);
        var summary = r.Json()["summary"]!.AsArray();
        Assert.Equal(0, (int)summary[0]!["folds"]!);
        Assert.Null(summary[0]!["meanError"]);
        Assert.Null(summary[0]!["fullFitMeanLog2"]);
        Assert.Equal(4, (int)summary[1]!["folds"]!);
        Assert.True(double.IsFinite((double)summary[1]!["meanError"]!));

        var table = Cli.Run("validate", "--protocol", "20", "--data", tmp.Path, "--quiet");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("n/a", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_output_says_when_the_lag_prior_needed_curves()
    {
        using var tmp = Folder(Table("130m", 1, (0.008, "3.529"), (0.004, "3.550"), (0.016, "3.538")));
        Assert.False((bool)Cli.Run("validate", "--protocol", "20", "--data", tmp.Path, "--json", "--quiet").Json()["lagPriorNeedsCurves"]!);
        Assert.True((bool)Cli.Run("validate", "--protocol", "20", "--data", tmp.Path, "--joint-lag-prior-curves-only", "--json", "--quiet").Json()["lagPriorNeedsCurves"]!);
        var table = Cli.Run("validate", "--protocol", "20", "--data", tmp.Path, "--joint-lag-prior-curves-only", "--quiet");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("lag prior only with curves", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cell_whose_runs_all_diverged_is_skipped_and_named()
    {
        using var tmp = Folder(Table("130m", 1, (0.008, "3.529"), (0.004, "3.550"), (0.016, "3.538")) + Table("130m", 2, (0.008, ">10"), (0.004, ">10")));
        var r = Cli.Run("validate", "--protocol", "20", "--data", tmp.Path, "--json", "--quiet");
        Assert.Equal(0, r.ExitCode);
        var json = r.Json();
        Assert.Equal(["adamw 130m 2x"], json["allDivergedCells"]!.AsArray().Select(x => (string)x!).ToList());
        Assert.Equal(3, (int)json["runs"]!);

        using var none = Folder(Table("130m", 2, (0.008, ">10"), (0.004, ">10")));
        Assert.Contains("every run of every cell diverged (adamw 130m 2x)", Cli.Run("validate", "--protocol", "20", "--data", none.Path, "--json").AssertUsageError(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tissue")]
    [InlineData("joint,tissue")]
    public void A_law_other_than_joint_is_refused(string laws)
    {
        using var tmp = Folder(Table("130m", 1, (0.008, "3.529"), (0.004, "3.550")));
        string line = Cli.Run("validate", "--protocol", "20", "--data", tmp.Path, "--laws", laws, "--json").AssertUsageError();
        Assert.Contains("joint law only", line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absurd_chinchilla_multiple_or_warmup_is_a_one_line_error()
    {
        using var big = Folder(Table("130m", 1, (0.008, "3.529"), (0.004, "3.550")).Replace("on 1x Chinchilla", "on 99999999999x Chinchilla", StringComparison.Ordinal));
        Assert.Contains("Chinchilla multiple", Cli.Run("validate", "--protocol", "20", "--data", big.Path, "--json").AssertUsageError(), StringComparison.Ordinal);
        using var warm = Folder(Table("130m", 1, (0.008, "3.529"), (0.004, "3.550")).Replace("& 2000 &", "& 1e12 &", StringComparison.Ordinal));
        Assert.Contains("warmup", Cli.Run("validate", "--protocol", "20", "--data", warm.Path, "--json").AssertUsageError(), StringComparison.Ordinal);
    }
}
