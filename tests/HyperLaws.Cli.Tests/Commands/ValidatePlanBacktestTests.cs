using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// <c>hyperlaws validate --protocol 6</c> end to end on the 124M lr-scheduling grid in ../shared/data, with the cheap
/// tissue law fitted on the validation curves (three plans, about a second of planning).
/// </summary>
public sealed class ValidatePlanBacktestTests
{
    private static string Shared => DataFolders.Shared;

    [Theory]
    [InlineData(null, true, true, "LrLaw", false)]            // the planner's defaults (PlanOptions: across peak LR on)
    [InlineData("on", true, true, "LrLaw", false)]
    [InlineData("off", false, true, "LrLaw", false)]
    [InlineData("pairs", true, true, "LrLaw", false)]
    [InlineData("nearest", true, false, "LrLaw", false)]
    [InlineData("across", true, true, "LrLaw", false)]
    [InlineData("cross-lr", true, true, "LrLaw", true)]
    public void Plan_anchor_reaches_the_backtests_options(string? value, bool anchored, bool pairs, string acrossLr, bool force)
    {
        var command = new HyperLaws.Cli.Commands.Validate.ValidateCommand();
        string[] args = ["--protocol", "6", "--data", Shared, "--laws", "tissue", .. value is null ? Array.Empty<string>() : ["--plan-anchor", value]];
        var settings = command.Bind(command.Build(new HyperLaws.Cli.Output.CliIo(TextWriter.Null, TextWriter.Null)).Parse(args));
        var options = HyperLaws.Cli.Commands.Validate.ValidateHandler.PlanBacktestOptionsOf(settings);
        Assert.Equal((anchored, pairs, Enum.Parse<HyperLaws.Planning.AcrossLrAnchor>(acrossLr), force),
            (options.AnchoredLoss, options.AnchoredIntervalPairs, options.AnchorAcrossLr, options.ForceAnchorAcrossLr));
        Assert.Equal(["tissue"], options.Laws);
        if (value is null)
        {
            var planner = new HyperLaws.Planning.PlanOptions();
            Assert.Equal((planner.AnchoredLoss, planner.AnchoredIntervalPairs, planner.AnchorAcrossLr), (options.AnchoredLoss, options.AnchoredIntervalPairs, options.AnchorAcrossLr));
        }
    }

    [Fact]
    public void Protocol_6_plans_each_horizon_from_the_shorter_runs_and_scores_it()
    {
        var json = Cli.RunJson($"validate --protocol 6 --data {Shared} --laws tissue --fit-on val --json");
        Assert.Equal(6, (int)json["protocol"]!);
        Assert.Equal(102400, JsonAssert.Number(json, "batchTokens"));
        Assert.Equal("none", (string?)json["divergence"]);
        Assert.Contains("lr0.005", (string)Assert.Single(json["excluded"]!.AsArray())!, StringComparison.Ordinal);
        var horizons = json["horizons"]!.AsArray();
        Assert.Equal([25000, 35000, 50000], horizons.Select(h => (int)h!["horizon"]!));
        foreach (var h in horizons)
        {
            int horizon = (int)h!["horizon"]!, learnedFrom = (int)h["learnedFrom"]!;
            Assert.True(learnedFrom < horizon);
            // Only runs shorter than H, and the four stable runs cut to the longest of those horizons.
            var available = h["available"]!.AsArray().Select(n => (string)n!).ToList();
            Assert.Equal(4, available.Count(n => n.EndsWith($"@{learnedFrom}", StringComparison.Ordinal)));
            Assert.DoesNotContain(available, n => n.Contains($"_iter{horizon}_", StringComparison.Ordinal) && !n.Contains('@', StringComparison.Ordinal));
            double best = JsonAssert.Number(h["best"], "finalLoss");
            var plan = Assert.Single(h["plans"]!.AsArray())!;
            Assert.Equal(("tissue", "val"), ((string?)plan["law"], (string?)plan["fitOn"]));
            var scored = plan["scoredAs"]!;
            Assert.Equal(horizon, (int)scored["horizon"]!);
            Assert.Equal(JsonAssert.Number(scored, "finalLoss") / best - 1, JsonAssert.Number(plan, "regret"), 12);
            Assert.Equal(JsonAssert.Number(scored, "finalLoss"), JsonAssert.Number(plan, "actual"));
            Assert.Equal(JsonAssert.Number(plan, "predicted") / JsonAssert.Number(plan, "actual") - 1, JsonAssert.Number(plan, "predictionError"), 12);
            Assert.InRange(JsonAssert.Number(plan, "regret"), 0, 0.05);
            Assert.InRange(JsonAssert.Number(plan["choice"], "peak"), 1e-4, 5e-3);
            Assert.Equal("tissue", (string?)h["plannerChoice"]!["val"]);
            // The horizon-bias correction (on in the backtest): none at 25k (one shorter horizon, no horizon residual); at 35k and
            // 50k from the grid runs' final-val at the plan's nearest LR; the plan's prediction is the law's x (1 + b).
            var bias = plan["horizonBias"]!;
            int residuals = (int)bias["residuals"]!;
            double factor = (bool)bias["applied"]! ? 1 + JsonAssert.Number(bias, "bias") : 1;
            // The anchored loss (on in the backtest, the planner's default) replaces the printed number where a run of the plan's shape
            // exists: here always, the best grid run at the longest earlier horizon (the schedule-regret rule keeps its shape).
            var an = plan["anchored"]!;
            Assert.True((bool)an["applied"]!);
            Assert.True((bool)an["anchored"]!);
            Assert.Contains($"_iter{learnedFrom}_", (string)an["run"]!, StringComparison.Ordinal);
            Assert.Equal(JsonAssert.Number(an, "observed") * JsonAssert.Number(an, "ratio"), JsonAssert.Number(plan, "predicted"), 9);
            Assert.Equal(JsonAssert.Number(an, "predicted"), JsonAssert.Number(plan, "predicted"), 12);
            Assert.InRange(JsonAssert.Number(plan, "predicted"), JsonAssert.Number(plan, "lower"), JsonAssert.Number(plan, "upper"));
            Assert.Equal(horizon != 25000, (bool)an["calibrated"]!);
            double unanchored = JsonAssert.Number(an, "withoutPredicted");
            Assert.Equal(JsonAssert.Number(plan, "lawPredicted") * factor, unanchored, 9);
            if (horizon == 25000) Assert.Equal(0, residuals);
            else
            {
                Assert.True(residuals >= 3, $"{residuals} residuals at {horizon}");
                Assert.True((bool)bias["finalEvaluation"]!);
                Assert.True(double.IsFinite(JsonAssert.Number(plan, "heldOutCorrectedError")));
            }
            Assert.All(h["baselines"]!.AsArray(), b => Assert.True(JsonAssert.Number(b, "regret") >= 0));
            // The schedule-regret rule (on in the backtest, the planner's default): its decision in every plan, the incumbent the
            // best grid run at the longest earlier horizon; at 25k no horizon residual, so no pair and tau unmeasured.
            var ob = plan["observedBest"]!;
            string outcome = (string)ob["outcome"]!;
            Assert.True((bool)ob["applied"]!);
            Assert.Contains($"_iter{learnedFrom}_", (string)ob["run"]!, StringComparison.Ordinal);
            Assert.Equal(outcome is "KeptWithinError" or "KeptUnmeasured", (bool)ob["keptIncumbent"]!);
            if (horizon == 25000) Assert.Equal(0, (int)ob["comparisons"]!);
            else Assert.True((int)ob["comparisons"]! >= 9 && double.IsFinite(JsonAssert.Number(ob, "threshold")));
            // A kept incumbent is compared at the pick's warmup and planned at its run's own (keptLoss, review3's fix).
            if ((bool)ob["keptIncumbent"]!) Assert.Equal(JsonAssert.Number(ob, "keptLoss") * factor, unanchored, 9);
        }
    }

    [Fact]
    public void Protocol_6_on_a_protocol_17_folder_is_protocol_17p()
    {
        // Protocol 17's layout (a manifest naming each run's set and file) with the two real lr-scheduling exports of the readers'
        // test data: one set of two horizons, so no configuration of three and nothing planned; and without either layout, protocol 6's error.
        using var tmp = new TempDir();
        string source = Path.Combine(AppContext.BaseDirectory, "TestData", "horizon_transfer");
        var runs = new JsonArray();
        foreach (string f in Directory.GetFiles(source, "*.json").Order(StringComparer.Ordinal))
        {
            tmp.File(Path.GetFileName(f), File.ReadAllText(f));
            runs.Add(new JsonObject { ["set"] = "ext", ["run"] = "ext-" + runs.Count, ["file"] = Path.GetFileName(f) });
        }
        tmp.File("manifest.json", new JsonObject { ["runs"] = runs }.ToJsonString());
        var json = Cli.RunJson($"validate --protocol 6 --data {tmp.Path} --laws tissue --json");
        Assert.Equal("17p", (string?)json["protocol"]);
        Assert.Empty(json["sets"]!.AsArray());
        Assert.Equal("ext: no configuration with 3 horizons", (string?)Assert.Single(json["skipped"]!.AsArray()));
        using var empty = new TempDir();
        var r = Cli.Run("validate", "--protocol", "6", "--data", empty.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("protocol 6 needs the lr-scheduling W&B exports", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Protocol_6_prints_its_tables()
    {
        var r = Cli.Run("validate", "--protocol", "6", "--data", Shared, "--laws", "tissue", "--fit-on", "val");
        Assert.Equal(0, r.ExitCode);
        foreach (string h in new[] { "25000", "35000", "50000" })
            Assert.Contains($"Protocol 6, plan backtest at H = {h} steps", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("predicted [interval]", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("the horizon-bias correction in those predictions", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("the median final loss", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("validate: H = 50000", r.Stderr, StringComparison.Ordinal);
    }
}
