using System.Globalization;
using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// Rules and models that travel (issue 11): <c>optimum --save-rule</c> / <c>--rule</c> on the Step Law grid split by
/// model size (the split tables are written to a temporary folder at test time, never kept), the refusal of a rule
/// fitted on too narrow a size range, and <c>diverge --score</c> of the shipped divergence prior.
/// </summary>
public sealed class PortableRulesTests
{
    private static string Steplaw => Path.Combine(DataFolders.Shared, "steplaw", "data", "dense_lr_bs_loss.csv");

    /// <summary>The grid's rows whose N satisfies <paramref name="keep"/>, written to <paramref name="path"/>.</summary>
    private static string Subset(string path, Func<double, bool> keep)
    {
        var lines = File.ReadAllLines(Steplaw);
        int n = Array.IndexOf(lines[0].Split(','), "N");
        File.WriteAllLines(path, [lines[0], .. lines.Skip(1).Where(l => keep(double.Parse(l.Split(',')[n], CultureInfo.InvariantCulture)))]);
        return path;
    }

    [Fact]
    public void A_saved_rule_reproduces_its_in_sample_gaps_and_applies_to_other_sizes()
    {
        using var tmp = new TempDir();
        string small = Subset(Path.Combine(tmp.Path, "small.csv"), n => n < 1e9);
        string large = Subset(Path.Combine(tmp.Path, "large.csv"), n => n > 1e9);
        string rule = Path.Combine(tmp.Path, "RULE.json");

        var fitted = Cli.RunJson($"optimum --sweep {small} --save-rule {rule} --json");
        Assert.Equal(15, fitted["cells"]!.AsArray().Count);
        // Applied to the table it was fitted on, the saved rule gives the same predictions and gaps as the fit.
        var again = Cli.RunJson($"optimum --sweep {small} --rule {rule} --json");
        Assert.Equal(JsonAssert.Number(fitted, "meanGap"), JsonAssert.Number(again, "meanGap"), 12);
        foreach (var (a, b) in fitted["cells"]!.AsArray().Zip(again["cells"]!.AsArray()))
            Assert.Equal(JsonAssert.Number(a!["fitted"], "learningRate"), JsonAssert.Number(b!["fitted"], "learningRate"), 1e-9 * JsonAssert.Number(a["fitted"], "learningRate"));
        Assert.Empty(again["warnings"]!.AsArray());

        // The 1.07B cells lie outside the rule's sizes: scored, and named as extrapolated.
        var applied = Cli.RunJson($"optimum --sweep {large} --rule {rule} --json");
        Assert.Equal(2, applied["cells"]!.AsArray().Count);
        Assert.Equal("fitted (given rule)", (string?)applied["summaries"]![0]!["rule"]);
        Assert.InRange(JsonAssert.Number(applied, "meanGap"), 0, 0.05);
        var warnings = applied["warnings"]!.AsArray().Select(w => (string)w!).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("N = 1.07B outside", w, StringComparison.Ordinal));
    }

    [Fact]
    public void A_rule_file_that_is_not_one_and_conflicting_options_are_one_line_errors()
    {
        using var tmp = new TempDir();
        string bogus = Path.Combine(tmp.Path, "RULE.json");
        File.WriteAllText(bogus, "{\"law\": \"optlaw\"}");
        string line = Cli.Run("optimum", "--sweep", Steplaw, "--rule", bogus).AssertUsageError();
        Assert.Equal($"hyperlaws: error: {bogus}: not a rule file (expected \"kind\": \"hyperlaws-optimum-rule\", written by 'hyperlaws optimum --save-rule').", line);
        Assert.Contains("--leave-one-out", Cli.Run("optimum", "--sweep", Steplaw, "--rule", bogus, "--leave-one-out").AssertUsageError(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_size_range_too_narrow_for_an_exponent_is_refused()
    {
        using var tmp = new TempDir();
        // The 215M and 268M cells: N spans x1.25.
        string narrow = Subset(Path.Combine(tmp.Path, "narrow.csv"), n => n < 3e8);
        string line = Cli.Run("optimum", "--sweep", narrow, "--quiet").AssertUsageError();
        Assert.Contains("model sizes N span only 2.15E+08 to 2.68E+08 (x1.25): too narrow to fit an exponent in N", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Diverge_scores_a_saved_model_on_a_table()
    {
        string prior = Path.Combine(DataFolders.Repo, "priors", "divergence-steplaw.json");
        var o = Cli.RunJson($"diverge --score {prior} --runs {Steplaw} --json");
        Assert.Equal(1911, (int)o["runs"]!);
        Assert.Equal(178, (int)o["diverged"]!);
        Assert.Equal("boundary", (string)o["predictor"]!);
        {
            var m = o["scores"]!;
            int tp = (int)m["truePositives"]!, fp = (int)m["falsePositives"]!, fn = (int)m["falseNegatives"]!, tn = (int)m["trueNegatives"]!;
            Assert.Equal(1911, tp + fp + fn + tn);
            Assert.Equal(178, tp + fn);
            Assert.Equal(2.0 * tp / (2 * tp + fp + fn), JsonAssert.Number(m, "f1"), 12);
        }
        Assert.Contains("--runs", Cli.Run("diverge", "--score", prior).AssertUsageError(), StringComparison.Ordinal);
    }
}
