using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>hyperlaws rank</c> end to end: a law fitted on the shipped MPL runs ranks a grid; the JSON fields; a synthetic
/// case whose winner is known by construction; intervals from a bootstrapped law; bad grid options.
/// </summary>
public sealed class RankCommandTests
{
    private const string TissueLaw = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""";

    private static string WriteLaw(TempDir tmp, string text = TissueLaw)
    {
        string path = Path.Combine(tmp.Path, "law.json");
        File.WriteAllText(path, text);
        return path;
    }

    private static string FitTissue(TempDir tmp, params string[] extra)
    {
        string path = Path.Combine(tmp.Path, "fitted.json");
        LawCliData.RunJson(["fit", "--law", "tissue", "--runs", .. LawCliData.Training("25"), "--out", path, "--json", .. extra]);
        return path;
    }

    [Fact]
    public void Law_fitted_on_the_shipped_runs_ranks_the_default_grid()
    {
        using var tmp = new TempDir();
        string law = FitTissue(tmp);
        var r = Cli.Run("rank", "--law", law, "--steps", "24000", "--top", "5", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var json = r.Json();
        var candidates = json["candidates"]!.AsArray();
        Assert.Equal(5, candidates.Count);
        // The default grid: 7 peaks x 3 warmups x (1 + 2 + 2 + 3 x 2) = 231 schedules, peaks across the training runs (all 3e-4 here, so 1.5e-4..6e-4).
        Assert.Equal(231, (int)json["evaluated"]!);
        Assert.Equal(3e-4, JsonAssert.Number(json["trainingRange"], "minPeak"), 12);
        Assert.Equal(24000, (int)json["trainingRange"]!["maxSteps"]!);
        var losses = candidates.Select(c => JsonAssert.Number(c, "predictedLoss")).ToList();
        Assert.Equal(losses.Order(), losses);
        foreach (var c in candidates)
        {
            Assert.Null(c!["interval"]);
            Assert.Null(c["diverges"]);
            // Each predicted loss is what 'predict' gives for that schedule.
            var p = LawCliData.RunJson("predict", "--law", law, "--schedule", (string)c["schedule"]!, "--steps", "24000", "--json");
            Assert.Equal(JsonAssert.Number(p, "finalLoss"), JsonAssert.Number(c, "predictedLoss"), 12);
        }
        var warnings = json["warnings"]!.AsArray().Select(w => (string)w!).ToList();
        Assert.Contains(warnings, w => w.Contains("no bootstrap", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("outside the training runs' range", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("diverges: null", StringComparison.Ordinal));
        var why = json["why"]!["vsBestConstant"]!;
        Assert.StartsWith("constant(", (string)why["schedule"]!, StringComparison.Ordinal);
        double gap = losses[0] - JsonAssert.Number(why, "predictedLoss");
        Assert.Equal(gap, why["terms"]!.AsArray().Sum(t => JsonAssert.Number(t, "difference")), 9);
    }

    [Fact]
    public void Synthetic_winner_is_known_by_construction()
    {
        // Constant schedules have no annealing term (S2 = 0), so the tissue loss falls with S1 = sum eta:
        // the largest peak with the shortest warmup wins, and more steps than the law was fitted on is flagged.
        using var tmp = new TempDir();
        string law = WriteLaw(tmp);
        var json = LawCliData.RunJson("rank", "--law", law, "--steps", "5000", "--families", "constant", "--peaks", "1e-4:1e-3:3", "--warmups", "0,100,1000", "--json");
        Assert.Equal(9, (int)json["evaluated"]!);
        Assert.Equal("constant(peak=0.001,steps=5000,warmup=0)", (string)json["candidates"]![0]!["schedule"]!);
        Assert.Null(json["trainingRange"]);
        Assert.Contains(json["warnings"]!.AsArray(), w => ((string)w!).Contains("were not found", StringComparison.Ordinal));
    }

    [Fact]
    public void Training_range_gives_the_covered_step_and_the_last_logged_step_apart()
    {
        // A 1,000-step run whose log ends at step 999 (WandbReader's numbering of update k's loss): it covers its own length
        // (PredictionSupport.Covered), which is what "past the runs" reads, while its last logged step stays 999.
        using var tmp = new TempDir();
        string law = WriteLaw(tmp);
        string run = Path.Combine(tmp.Path, "run.csv");
        File.WriteAllLines(run, ["# schedule: constant(peak=3e-4,steps=1000)", "step,loss",
            .. Enumerable.Range(1, 20).Select(i => FormattableString.Invariant($"{50 * i - 1},{6 - 0.1 * i}"))]);
        var json = LawCliData.RunJson("rank", "--law", law, "--runs", run, "--steps", "1000", "--families", "constant", "--peaks", "3e-4", "--warmups", "0", "--json");
        var range = json["trainingRange"]!;
        Assert.Equal(1000, (int)range["coveredStep"]!);
        Assert.Equal(999, (int)range["lastLoggedStep"]!);
        Assert.Equal(1000, (int)range["maxSteps"]!);
    }

    [Fact]
    public void A_winner_at_the_grids_edge_is_warned_and_structured()
    {
        // Constant schedules under tissue: the highest peak with the shortest warmup wins, so the #1 is at the peaks' top (and at the
        // warmups' lowest when that is above 0; a warmup of 0 is no edge). The audit: rank never said so.
        using var tmp = new TempDir();
        string law = WriteLaw(tmp);
        var json = LawCliData.RunJson("rank", "--law", law, "--steps", "5000", "--families", "constant", "--peaks", "1e-4:1e-3:3", "--warmups", "100,500,1000", "--json");
        var edges = json["edges"]!.AsArray();
        Assert.Equal(2, edges.Count);
        Assert.Equal(["peak", "high"], edges[0]!["labels"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(1e-3, JsonAssert.Number(edges[0]!["quantities"], "value"), 12);
        Assert.Equal(["warmup", "low"], edges[1]!["labels"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(100, JsonAssert.Number(edges[1]!["quantities"], "value"));
        Assert.Equal("AxisAtEdge", (string?)edges[1]!["kind"]);
        Assert.Contains(json["warnings"]!.AsArray(), w => ((string)w!).StartsWith("the #1 candidate: its warmup 100 is the lowest", StringComparison.Ordinal));
        var zero = LawCliData.RunJson("rank", "--law", law, "--steps", "5000", "--families", "constant", "--peaks", "1e-4:1e-3:3", "--warmups", "0,100", "--json");
        Assert.Equal(["peak"], zero["edges"]!.AsArray().Select(x => (string)x!["labels"]![0]!));
    }

    [Fact]
    public void Bootstrapped_law_gives_each_top_candidate_an_interval()
    {
        using var tmp = new TempDir();
        string law = FitTissue(tmp, "--bootstrap", "8", "--seed", "3");
        var json = LawCliData.RunJson("rank", "--law", law, "--steps", "24000", "--families", "cosine,wsd", "--peaks", "2e-4,3e-4", "--warmups", "500", "--top", "3", "--json");
        Assert.Equal(0.9, JsonAssert.Number(json, "intervalLevel"), 12);
        foreach (var c in json["candidates"]!.AsArray())
        {
            double lower = JsonAssert.Number(c!["interval"], "lower"), upper = JsonAssert.Number(c["interval"], "upper");
            Assert.True(lower < upper, $"{lower} !< {upper}");
        }
    }

    [Theory]
    [InlineData("--families cosine,adam", "--families: 'adam'")]
    [InlineData("--peaks 1e-3:1e-4:5", "--peaks:")]
    [InlineData("--peaks 1e-4:x:5", "--peaks:")]
    [InlineData("--cooldowns 0.2,1.5", "--cooldowns: '1.5'")]
    [InlineData("--floors -0.1", "--floors: '-0.1'")]
    [InlineData("--warmups 10.5", "--warmups: '10.5'")]
    [InlineData("--top 0", "--top:")]
    [InlineData("--warmups 6000", "--warmups: no candidate")]
    public void Bad_grid_options_are_one_line_errors(string option, string expected)
    {
        using var tmp = new TempDir();
        string law = WriteLaw(tmp);
        string[] peaks = option.StartsWith("--peaks", StringComparison.Ordinal) ? [] : ["--peaks", "3e-4"];
        var line = Cli.Run(["rank", "--law", law, "--steps", "5000", .. peaks, .. Cli.Split(option)]).AssertUsageError();
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_training_runs_or_peaks_the_error_says_what_to_give()
    {
        using var tmp = new TempDir();
        var line = Cli.Run("rank", "--law", WriteLaw(tmp), "--steps", "5000").AssertUsageError();
        Assert.Contains("--peaks", line, StringComparison.Ordinal);
        Assert.Contains("--runs", line, StringComparison.Ordinal);
    }

    [Fact]
    public void OptLaw_ranks_cooldowns_and_explains_the_winner_by_its_features()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "optlaw.json");
        LawCliData.RunJson(["fit", "--law", "optlaw", "--runs", .. LawCliData.Training("25"), "--out", law, "--json"]);
        var json = LawCliData.RunJson("rank", "--law", law, "--steps", "24000", "--families", "constant,wsd", "--peaks", "3e-4", "--warmups", "500",
            "--cooldowns", "0.1,0.2,0.4", "--floors", "0", "--json");
        Assert.Equal(4, (int)json["evaluated"]!);
        var candidates = json["candidates"]!.AsArray();
        // Inside the fitted range (peak 3e-4, 24000 steps): no extrapolation warning.
        Assert.DoesNotContain(json["warnings"]!.AsArray(), w => ((string)w!).Contains("extrapolated", StringComparison.Ordinal));
        // Trained on a cooldown (wsdcon_9), the law ranks every wsd schedule above constant.
        Assert.Equal("constant", (string)candidates[^1]!["family"]!);
        var why = json["why"]!["vsBestConstant"]!;
        double gap = JsonAssert.Number(candidates[0], "predictedLoss") - JsonAssert.Number(why, "predictedLoss");
        Assert.True(gap < 0);
        var terms = why["terms"]!.AsArray();
        Assert.True(terms.Count > 2, "optlaw explains itself in more than two terms");
        Assert.Equal(gap, terms.Sum(t => JsonAssert.Number(t, "difference")), 9);
    }
}
