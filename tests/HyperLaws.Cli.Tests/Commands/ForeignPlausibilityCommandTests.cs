using System.Text.Json.Nodes;
using HyperLaws.Planning;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// predict, rank and contour on the real foreign fixtures of benchmarks/foreign-usage withhold the losses their runs do not support
/// (<see cref="PredictionSupport"/>), with a structured LossNotPhysical warning, and keep those they do:
/// <list type="bullet">
/// <item>llm.c's GPT-2 124M, its first 995 steps as a resumed JSONL (tests/HyperLaws.Readers.Tests/TestData/resumed_jsonl): OptLaw's free fit
/// puts L0 at -87; before, predict said 2.44 at 20,000 steps, rank 1.62 and contour 1.56 at 2x and 4x the run's peak (llm.c's 124M
/// ends near 3.0 train / 3.3 validation at 10B tokens).</item>
/// <item>stanford_alpaca's trainer_state.json (a 3-epoch fine-tune, 1,218 steps; hf_trainer_state): L0 = -114; before, contour's optimum
/// was -1.42 and predict 0.21 at 2,000 steps.</item>
/// <item>the Megatron-DeepSpeed MoE 125M log (megatron_log): 1,280 steps, all in the warmup (the LR still rising at the last one);
/// before, predict said 3.77 at 40,000 steps from a fit that never saw the loss at a held LR.</item>
/// </list>
/// </summary>
public sealed class ForeignPlausibilityCommandTests
{
    private static string Data(string folder, string name) => Path.Combine(AppContext.BaseDirectory, "TestData", folder, name);

    /// <summary>The "withheld" array of a command's JSON: LossNotPhysical warnings labelled "prediction", counting <paramref name="count"/> losses in all.</summary>
    internal static JsonArray AssertWithheld(JsonNode json, int count, string? reason = null)
    {
        var withheld = json["withheld"]!.AsArray();
        Assert.NotEmpty(withheld);
        foreach (var w in withheld)
        {
            Assert.Equal("LossNotPhysical", (string?)w!["kind"]);
            Assert.Equal(PredictionSupport.Label, (string?)w["labels"]![0]);
            Assert.StartsWith("NO LOSS GIVEN", (string)w["text"]!, StringComparison.Ordinal);
            Assert.NotNull(w["quantities"]!["predicted"]);
        }
        Assert.Equal(count, withheld.Sum(w => w!["count"]!.GetValue<int>()));
        if (reason is not null) Assert.Contains(withheld, w => (string?)w!["labels"]![1] == reason);
        return withheld;
    }

    private static string Fit(TempDir tmp, string run, out double l0)
    {
        string law = Path.Combine(tmp.Path, "LAW.json");
        var fit = Cli.Run("fit", "--law", "optlaw", "--runs", run, "--out", law, "--json").Json();
        l0 = fit["parameters"]!["L0"]!.GetValue<double>();
        return law;
    }

    [Fact]
    public void Llmc_first_thousand_steps_give_losses_inside_the_run_and_withhold_them_at_ten_billion_tokens()
    {
        using var tmp = new TempDir();
        string run = Data("resumed_jsonl", "llmc_resumed.jsonl");
        string law = Fit(tmp, run, out double l0);
        Assert.True(l0 < 0, $"L0 = {l0}: one run at one peak LR does not identify the floor (-87 at this commit)");
        var (lowest, _) = LossPlausibility.Observed([HyperLaws.Readers.RunReader.Read(run)]);

        // Inside the run (step 900 of 995) the law was fitted to it: given, near the logged loss; at 20,000 steps: withheld.
        var p = Cli.Run("predict", "--law", law, "--schedule", "cosine(peak=0.0006,warmup=700,steps=20000)", "--steps", "900,20000", "--json").Json();
        var loss = p["loss"]!.AsArray();
        double inside = loss[0]!.GetValue<double>();
        Assert.InRange(inside, 0.9 * lowest, 1.2 * lowest);
        Assert.Null(loss[1]);
        Assert.Null(p["finalLoss"]);
        AssertWithheld(p, 1, "floor");

        // --explain's terms sum to the withheld loss: not given either.
        var e = Cli.Run("predict", "--law", law, "--schedule", "cosine(peak=0.0006,warmup=700,steps=20000)", "--steps", "20000", "--explain", "--json").Json();
        Assert.Null(e["finalLoss"]);
        Assert.Null(e["terms"]);
        Assert.Contains(e["warnings"]!.AsArray(), w => ((string)w!).StartsWith("--explain: the terms are not given", StringComparison.Ordinal));

        var r = Cli.Run("rank", "--law", law, "--steps", "20000", "--top", "5", "--json").Json();
        Assert.All(r["candidates"]!.AsArray(), c => Assert.Null(c!["predictedLoss"]));
        AssertWithheld(r, r["evaluated"]!.GetValue<int>());
        // Every loss withheld: the order is said to rest on unsupported losses, and no term contribution gives a loss back.
        Assert.True(r["orderUnsupported"]!.GetValue<bool>());
        Assert.Contains(r["warnings"]!.AsArray(), w => ((string)w!).Contains("ORDER IS NOT SUPPORTED", StringComparison.Ordinal));
        if (r["why"]!["vsRunnerUp"] is JsonObject why)
            Assert.All(why["terms"]!.AsArray(), t => { Assert.Null(t!["winnerContribution"]); Assert.Null(t["otherContribution"]); });
        // The order is the law's: the same law with its runs not found (nothing withheld, the losses printed) ranks the same
        // schedules first, by ascending loss.
        var doc = JsonNode.Parse(File.ReadAllText(law))!;
        doc["runs"] = new JsonArray("missing.jsonl");
        string blind = Path.Combine(tmp.Path, "blind.json");
        File.WriteAllText(blind, doc.ToJsonString());
        var withPeaks = Cli.Run("rank", "--law", law, "--steps", "20000", "--peaks", "0.0003:0.0012:4", "--top", "5", "--json").Json();
        var shown = Cli.Run("rank", "--law", blind, "--steps", "20000", "--peaks", "0.0003:0.0012:4", "--top", "5", "--json").Json();
        static List<string> Schedules(JsonNode j) => [.. j["candidates"]!.AsArray().Select(c => (string)c!["schedule"]!)];
        Assert.Equal(Schedules(shown), Schedules(withPeaks));
        var printed = shown["candidates"]!.AsArray().Select(c => c!["predictedLoss"]!.GetValue<double>()).ToList();
        Assert.Equal(printed.Order().ToList(), printed);
        Assert.All(withPeaks["candidates"]!.AsArray(), c => Assert.Null(c!["predictedLoss"]));

        var c = Cli.Run("contour", "--law", law, "--tokens", "10B", "--tokens-per-step", "524288", "--out", Path.Combine(tmp.Path, "c"), "--json").Json();
        Assert.Null(c["optima"]!.AsArray()[0]!["loss"]);
        AssertWithheld(c, 1);
        // The law sees the LR through progress only: its optimum is the peak axis' top (4x the run's one peak), said as such.
        var edge = Assert.Single(c["warnings"]!.AsArray(), w => (string?)w!["labels"]![0] == "peak")!;
        Assert.Equal("AxisAtEdge", (string?)edge["kind"]);
        Assert.Equal("high", (string?)edge["labels"]![1]);
        Assert.Equal(0.0006, edge["quantities"]!["runsMaxPeak"]!.GetValue<double>(), 9);
        string csv = File.ReadAllText(Path.Combine(tmp.Path, "c", "contour_optima.csv"));
        Assert.EndsWith(",,\n", csv, StringComparison.Ordinal);
        // The heatmap's optimum cell (warmup 38, peak 0.0024) is blank too: its perplexity is exp of the withheld loss.
        var heat = File.ReadAllLines(Path.Combine(tmp.Path, "c", "contour_10B_tokens.csv"));
        Assert.Equal("38,0.0024,NaN", Assert.Single(heat, l => l.StartsWith("38,0.0024,", StringComparison.Ordinal)));

        // --plot draws no withheld point: past the run's 995 logged steps every point is NaN, and the note gives no final loss.
        string png = Path.Combine(tmp.Path, "p.png");
        Cli.Run("predict", "--law", law, "--schedule", "cosine(peak=0.0006,warmup=700,steps=20000)", "--steps", "20000", "--plot", png);
        var drawn = File.ReadAllLines(Path.ChangeExtension(png, ".csv")).Skip(1).Select(l => l.Split(','))
            .Where(f => double.Parse(f[^2], System.Globalization.CultureInfo.InvariantCulture) > 995).ToList();
        Assert.NotEmpty(drawn);
        Assert.All(drawn, f => Assert.Equal("NaN", f[^1]));
    }

    [Fact]
    public void Alpaca_fine_tune_gives_no_negative_or_unsupported_loss()
    {
        using var tmp = new TempDir();
        string run = Data("hf_trainer_state", "stanford_alpaca.trainer_state.json");
        string law = Fit(tmp, run, out double l0);
        var (lowest, highest) = LossPlausibility.Observed([HyperLaws.Readers.RunReader.Read(run)]);

        Assert.True(l0 < 0, $"L0 = {l0}: one fine-tune at one peak LR does not identify the floor (-114 at this commit)");
        var p = Cli.Run("predict", "--law", law, "--schedule", "cosine(peak=2e-05,warmup=30,steps=2000)", "--steps", "1000,2000", "--json").Json();
        // Step 1000 is inside the run's 1,218 steps: given, physical; step 2000 past them from a law without a physical floor: withheld.
        Assert.True(LossPlausibility.IsPhysical(p["loss"]!.AsArray()[0]!.GetValue<double>(), lowest, highest));
        Assert.Null(p["loss"]!.AsArray()[1]);
        AssertWithheld(p, 1, "floor");

        var c = Cli.Run("contour", "--law", law, "--steps", "3815", "--out", Path.Combine(tmp.Path, "c"), "--json").Json();
        Assert.Null(c["optima"]!.AsArray()[0]!["loss"]);
        AssertWithheld(c, 1);
    }

    [Fact]
    public void Megatron_log_seen_only_in_its_warmup_withholds_losses_past_it()
    {
        using var tmp = new TempDir();
        string run = Data("megatron_log", "gpt3_125m_moe_kernel.head.log");
        Assert.True(PredictionSupport.StillWarmingUp(HyperLaws.Readers.RunReader.Read(run)));
        string law = Fit(tmp, run, out _);
        var p = Cli.Run("predict", "--law", law, "--schedule", "cosine(peak=0.00045,warmup=2000,steps=40000)", "--steps", "1000,40000", "--json").Json();
        Assert.NotNull(p["loss"]!.AsArray()[0]);
        Assert.Null(p["loss"]!.AsArray()[1]);
        var withheld = AssertWithheld(p, 1);
        Assert.Contains(withheld, w => (string?)w!["labels"]![1] == "warmup");
    }
}
