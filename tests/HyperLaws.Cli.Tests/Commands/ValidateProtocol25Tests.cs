namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using System.Globalization;
using HyperLaws.Cli.Commands.Validate;
using HyperLaws.Cli.Output;
using HyperLaws.Tests;
using HyperLaws.Validation;
using Xunit;

/// <summary><c>hyperlaws validate --protocol 25</c> end to end on a hand-made runs table in the layout benchmarks/foreign-runs-hyperball/fetch.sh makes.</summary>
public sealed class ValidateProtocol25Tests
{
    private const string Facts = "\"facts\": { \"parameters\": 134217728, \"batchTokens\": 524288, \"sequenceLength\": 4096, \"warmupSteps\": 0, \"minLrRatio\": 0, \"decayFraction\": null, \"linearDecay\": true }";

    /// <summary>A folder with the manifest and a runs table of one optimizer: 2B and 4B fitted, 16B held out.</summary>
    private static TempDir Folder()
    {
        var tmp = new TempDir();
        tmp.File("manifest.json", "{ \"file\": \"runs.csv\", " + Facts + " }");
        tmp.File("runs.csv", "run_name,learning_rate,loss,optimizer_name,num_tokens\n" +
            "a,0.01,3.62,muon,2e9\nb,0.02,3.60,muon,2e9\nc,0.005,3.53,muon,4e9\nd,0.01,3.49,muon,4e9\ne,0.02,3.50,muon,4e9\n" +
            "f,0.005,3.31,muon,16e9\ng,0.01,3.30,muon,16e9\nh,0.02,3.34,muon,16e9\n");
        return tmp;
    }

    [Fact]
    public void The_runs_beyond_8B_and_their_optimum_are_scored_per_optimizer()
    {
        using var tmp = Folder();
        var json = Cli.Run("validate", "--protocol", "25", "--data", tmp.Path, "--json", "--quiet").Json();
        Assert.Equal(25, (int)json["protocol"]!);
        var s = Assert.Single(json["summaries"]!.AsArray())!;
        Assert.Equal(("muon", 5, 3, 1), ((string)s["optimizer"]!, (int)s["fittedRuns"]!, (int)s["heldOutRuns"]!, (int)s["horizons"]!));
        Assert.False((bool)s["passes"]!); // one held-out horizon cannot reach 6 within x2
        Assert.False((bool)s["optimumWithin2"]!);
        Assert.StartsWith("not met (", (string)s["verdict"]!, StringComparison.Ordinal);
        Assert.Equal(3, json["runs"]!.AsArray().Count);
        Assert.Equal(0.01, (double)json["horizons"]![0]!["bestLr"]!);

        var table = Cli.Run("validate", "--protocol", "25", "--data", tmp.Path, "--quiet");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("Protocol 25b", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("Protocol 25's rule per optimizer", table.Stdout, StringComparison.Ordinal);
        Assert.Contains((string)s["verdict"]!, RuleColumn(table.Stdout), StringComparison.Ordinal);
    }

    /// <summary>Hand-made scores: the rule column names the parts missed; a NaN optimum and an infinite loss reach the JSON as null, not an exception.</summary>
    [Fact]
    public void The_verdict_is_rendered_and_non_finite_numbers_are_null_in_the_json()
    {
        HorizonSweepRun[] runs = [new("x", 16e9, 0.01, 3.0, 3.06, 3.03, double.PositiveInfinity)];
        HorizonSweepHorizon[] horizons = [.. Enumerable.Range(0, 6).Select(i => new HorizonSweepHorizon("x", 16e9 * (i + 1), 4, 0.01, true, i == 0 ? double.NaN : 0.02, 0.02, 0.01))];
        var board = new HorizonSweepScoreboard(new HorizonSweepResult(runs, horizons, [HorizonSweepSummary.Of("x", 10, runs, horizons)], 0.5));
        var json = HorizonSweepRenderer.Instance.ToJson(board);
        string text = json.ToJsonString(); // threw on NaN before every double went through Json.Number
        var h = json["horizons"]![0]!;
        Assert.Null(h["lawLr"]);
        Assert.Null(h["lawSteps"]);
        Assert.False((bool)h["lawWithin2"]!);
        Assert.Null(json["runs"]![0]!["flat"]);
        var s = json["summaries"]![0]!;
        Assert.Equal((5, "not met (i, ii, iii)"), ((int)s["lawWithin2"]!, (string)s["verdict"]!));
        Assert.Contains("\"lawAtGridEdge\":false", text, StringComparison.Ordinal);

        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        ValidateRenderer.Write(new CliIo(stdout, TextWriter.Null), board, json: false);
        Assert.Contains("not met (i, ii, iii)", RuleColumn(stdout.ToString()), StringComparison.Ordinal);
    }

    /// <summary>The rule table's last column, its wrapped lines joined ("not met" / "(ii, iii)" -> "not met (ii, iii)").</summary>
    private static string RuleColumn(string stdout) =>
        string.Join(" ", stdout[stdout.IndexOf("Protocol 25's rule per optimizer", StringComparison.Ordinal)..].Split('\n')
            .Select(l => l.Split('│')).Where(c => c.Length > 2).Select(c => c[^2].Trim()).Where(c => c.Length > 0));

    [Fact]
    public void Another_law_and_a_folder_without_the_manifest_are_usage_errors()
    {
        using var tmp = Folder();
        Assert.Contains("protocol 25 scores the joint law only", Cli.Run("validate", "--protocol", "25", "--data", tmp.Path, "--laws", "mpl").AssertUsageError(), StringComparison.Ordinal);
        using var empty = new TempDir();
        Assert.Contains("protocol 25 reads the folder benchmarks/foreign-runs-hyperball/fetch.sh DIR makes", Cli.Run("validate", "--protocol", "25", "--data", empty.Path).AssertUsageError(), StringComparison.Ordinal);
    }
}
