namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary><c>hyperlaws validate --protocol 24</c> end to end on hand-made Marin-style tables with rows that change the warmup or the batch alone.</summary>
public sealed class ValidateProtocol24Tests
{
    /// <summary>An AdamW 130m table with <paramref name="extra"/> rows (eta, eta_min, BSZ, warmup, Loss) after its LR rows.</summary>
    private static string Table(int mult, params string[] extra)
    {
        string t = MarinTables.Table("AdamW", "130m", mult, "adamw", (0.008, "3.529"), (0.004, "3.550"), (0.016, "3.538"));
        string rows = string.Concat(extra.Select((e, i) => $"{e} & \\href{{https://wandb.ai/x/runs/adamw-{mult}-x{i}}}{{x{i}}} \\\\\n"));
        return t.Replace("\\bottomrule", rows + "\\bottomrule", StringComparison.Ordinal);
    }

    [Fact]
    public void The_single_change_rows_are_scored_per_kind_with_the_batch_variant()
    {
        using var tmp = MarinTables.Folder(Table(1, "-- & -- & -- & 1000 & 3.532", "-- & -- & -- & 4000 & 3.575", "-- & -- & -- & 500 & 7.452", "-- & -- & 256 & -- & 3.611")
            + Table(2, "-- & -- & 256 & -- & 3.41"));
        var r = Cli.Run("validate", "--protocol", "24", "--data", tmp.Path, "--json", "--quiet");
        Assert.Equal(0, r.ExitCode);
        var json = r.Json();
        Assert.Equal(24, (int)json["protocol"]!);
        var scores = json["scores"]!.AsArray();
        Assert.Equal(["warmup default", "minLr default", "batch default", "batch b_eta -0.6295"], scores.Select(s => $"{(string)s!["change"]!} {(string)s!["variant"]!}").ToList());
        Assert.Equal((2, 1), ((int)scores[0]!["finite"]!, (int)scores[0]!["diverged"]!)); // 500 steps' 7.452 is above 2x 3.529
        Assert.Null(scores[0]!["passes"]); // two finite warmup rows: no verdict
        Assert.Equal(2, (int)scores[2]!["finite"]!);
        var rows = json["rows"]!.AsArray();
        Assert.Equal(7, rows.Count); // four rows by default, the two batch rows again with b_eta held
        Assert.Equal((1000.0, 2000.0, 3.529, 3.532), ((double)rows[0]!["value"]!, (double)rows[0]!["baselineValue"]!, (double)rows[0]!["baselineLoss"]!, (double)rows[0]!["actual"]!));

        var table = Cli.Run("validate", "--protocol", "24", "--data", tmp.Path, "--quiet");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("Protocol 24", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("no verdict", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diverged_baseline_is_refused_naming_its_line()
    {
        // Regression: a baseline printed ">10" read as +infinity, and the sign test's Math.Sign(NaN) threw (exit 70).
        string t = MarinTables.Table("AdamW", "130m", 1, "adamw", (0.008, ">10"), (0.004, "3.550"), (0.016, "3.538"))
            .Replace("\\bottomrule", "-- & -- & -- & 1000 & 3.532 & \\href{https://wandb.ai/x/runs/w}{w} \\\\\n\\bottomrule", StringComparison.Ordinal);
        using var tmp = MarinTables.Folder(t);
        string error = Cli.Run("validate", "--protocol", "24", "--data", tmp.Path, "--json").AssertUsageError();
        Assert.Contains("t.tex:6: the baseline's loss is not finite", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_input_is_a_one_line_error()
    {
        using var none = MarinTables.Folder(Table(1));
        Assert.Contains("no table row changes the warmup, the final LR ratio or the batch alone", Cli.Run("validate", "--protocol", "24", "--data", none.Path, "--json").AssertUsageError(), StringComparison.Ordinal);
        using var tmp = MarinTables.Folder(Table(1, "-- & -- & 256 & -- & 3.611"));
        Assert.Contains("the optimizer 'muon' has no row that changes", Cli.Run("validate", "--protocol", "24", "--data", tmp.Path, "--optimizer", "muon", "--json").AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains("protocol 24 scores the joint law only", Cli.Run("validate", "--protocol", "24", "--data", tmp.Path, "--laws", "mpl", "--json").AssertUsageError(), StringComparison.Ordinal);
        using var bad = MarinTables.Folder(Table(1, "-- & -- & 25x6 & -- & 3.611"));
        Assert.Contains("the batch size '25x6' is not a non-negative number", Cli.Run("validate", "--protocol", "24", "--data", bad.Path, "--json").AssertUsageError(), StringComparison.Ordinal);
        string missing = Path.Combine(Path.GetTempPath(), "hyperlaws-no-such-folder-" + Guid.NewGuid().ToString("N"));
        Assert.Contains("(protocol 24 reads the folder", Cli.Run("validate", "--protocol", "24", "--data", missing, "--json").AssertUsageError(), StringComparison.Ordinal);
    }
}
