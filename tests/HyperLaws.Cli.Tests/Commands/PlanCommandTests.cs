using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// Six runs written as generic CSV files (<c># params</c>, <c># tokens_per_step</c>, <c># schedule</c>; the loss every 10 steps
/// from the annealing law with L0 = 2, A = 0.9, alpha = 0.45, C = 0.04), and one <c>plan --json</c> on them with the tissue
/// law and the shipped divergence prior, shared by the plan tests: one instance for the three classes of <see cref="Collection"/>
/// (<see cref="PlanCommandTests"/>, <see cref="PlanProvenanceTests"/>, <see cref="Documents.PlanDocumentTests"/>), which each made
/// their own before. No test writes into <see cref="Folder"/>, <see cref="Empty"/> or <see cref="OutDir"/>: a test that needs
/// other runs copies them into a folder of its own, and one that reruns the plan writes elsewhere.
/// </summary>
public sealed class PlanRuns : IDisposable
{
    /// <summary>The collection whose classes share one <see cref="PlanRuns"/>.</summary>
    public const string Collection = "plan runs";

    private static readonly double[] Truth = [2.0, 0.9, 0.45, 0.04];
    private readonly TempDir _dir = new();

    public PlanRuns()
    {
        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(Empty);
        foreach (var s in Schedules) Write(Path.Combine(Folder, Name(s) + ".csv"), s, nanAt: null);
        Result = Cli.Run([.. Args(), "--json", "--out", OutDir]);
    }

    /// <summary>Three 1,000-step schedules at 1e-3, a cosine at 2e-3 and the two longest (2,000 steps).</summary>
    public static readonly LrSchedule[] Schedules =
    [
        new ConstantSchedule(1e-3, 1000, 20), new CosineSchedule(1e-3, 1000, 20, 1e-4), new WsdSchedule(1e-3, 1000, 20, cooldown: 0.2, floor: 1e-4),
        new CosineSchedule(2e-3, 1000, 20, 2e-4), new CosineSchedule(1e-3, 2000, 20, 1e-4), new WsdSchedule(1e-3, 2000, 20, cooldown: 0.2, floor: 1e-4),
    ];

    public string Folder => Path.Combine(_dir.Path, "runs");

    public string Empty => Path.Combine(_dir.Path, "empty");

    public string OutDir => Path.Combine(_dir.Path, "plan");

    public string Root => _dir.Path;

    internal CliResult Result { get; }

    public static string Prior => Path.Combine(DataFolders.Repo, "priors", "divergence-steplaw.json");

    public static string Name(LrSchedule s) => $"{s.Family}-{((WarmupSchedule)s).Peak.ToString(CultureInfo.InvariantCulture)}-{s.Steps}";

    /// <summary>The plan's arguments: the given ones, then every default option they do not name.</summary>
    public string[] Args(params string[] given)
    {
        var args = new List<string> { "plan" };
        args.AddRange(given);
        foreach (var (option, value) in new[] { ("--params", "1e8"), ("--tokens", "4e8"), ("--runs", Folder), ("--laws", "tissue"), ("--divergence", Prior) })
            if (!given.Contains(option) && !(option == "--divergence" && given.Contains("--no-divergence"))) args.AddRange([option, value]);
        return [.. args];
    }

    /// <summary>A run file; with <paramref name="nanAt"/> the loss logged at that step is "nan".</summary>
    public static void Write(string path, LrSchedule s, int? nanAt)
    {
        var lr = s.Evaluate();
        var steps = Enumerable.Range(1, s.Steps / 10).Select(i => i * 10).ToArray();
        var loss = new double[steps.Length];
        new AnnealingLaw().Predict(Truth, new ScheduleHistory(lr), steps, loss);
        var lines = new List<string> { "# params: 1e8", "# tokens_per_step: 65536", "# schedule: " + s.ToSpec(), "step,loss" };
        lines.AddRange(steps.Select((t, i) => string.Create(CultureInfo.InvariantCulture, $"{t},{(t == nanAt ? "nan" : loss[i].ToString("R", CultureInfo.InvariantCulture))}")));
        File.WriteAllLines(path, lines);
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>The classes that share one <see cref="PlanRuns"/> (one plan made, not one per class; they run one after another).</summary>
[CollectionDefinition(PlanRuns.Collection)]
public sealed class PlanRunsShared : ICollectionFixture<PlanRuns>;

/// <summary><c>hyperlaws plan</c>: one JSON object with --json, quiet with --quiet, and one-line errors that write nothing.</summary>
[Collection(PlanRuns.Collection)]
public sealed class PlanCommandTests(PlanRuns runs)
{
    [Fact]
    public void Json_is_one_object_on_stdout_and_nothing_on_stderr()
    {
        Assert.Equal(0, runs.Result.ExitCode);
        Assert.Equal("", runs.Result.Stderr);
        var o = runs.Result.Json();
        Assert.Equal("hyperlaws-plan", (string)o["format"]!);
        var request = o["request"]!;
        Assert.Equal(1e8, JsonAssert.Number(request, "parameters"));
        Assert.Equal(4e8, JsonAssert.Number(request, "tokens"));
        Assert.Equal("adamw", (string)request["optimizer"]!);
        Assert.Equal("tissue", (string)o["law"]!);
        Assert.Equal(PlanRuns.Schedules.Length, o["runs"]!.AsArray().Count);
    }

    [Fact]
    public void The_hyperparameters_add_up_and_the_best_schedule_parses_back()
    {
        var o = runs.Result.Json();
        var hp = o["hyperparameters"]!;
        double batch = JsonAssert.Number(hp, "batchTokens"), steps = JsonAssert.Number(hp, "steps");
        Assert.Equal(JsonAssert.Number(hp, "batchSequences") * JsonAssert.Number(o["request"], "sequenceLength"), batch);
        Assert.Equal(Math.Round(4e8 / batch), steps);
        // Step Law through the reference run (2,000 steps of 65,536 tokens at peak 1e-3): eta = 1e-3 (T / T_ref)^0.307.
        JsonAssert.Close(hp, "ruleLearningRate", 1e-3 * Math.Pow(4e8 / (2000 * 65536.0), 0.307), 1e-12);
        Assert.Equal("anchor", (string)hp["source"]!);

        foreach (var s in o["runnerUps"]!.AsArray().Prepend(o["best"]))
        {
            string spec = (string)s!["schedule"]!;
            var parsed = LrSchedule.Parse(spec);
            Assert.Equal(spec, parsed.ToSpec());
            Assert.Equal(steps, parsed.Steps);
            Assert.Equal((string)s["family"]!, parsed.Family.Name);
            Assert.Equal(JsonAssert.Number(s, "peak"), ((WarmupSchedule)parsed).Peak);
            Assert.Equal(JsonAssert.Number(s, "warmup"), ((WarmupSchedule)parsed).Warmup);
            double loss = JsonAssert.Number(s, "predictedLoss");
            Assert.InRange(loss, JsonAssert.Number(s["interval"], "lower"), JsonAssert.Number(s["interval"], "upper"));
            Assert.False((bool)s["diverges"]!);
        }
        Assert.Equal(4, o["runnerUps"]!.AsArray().Count);

        var reasons = o["reasons"]!.AsArray();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.True(((string)r!["decides"]!).Length > 0 && ((string)r["source"]!).Length > 0 && ((string)r["text"]!).Length > 0));
        Assert.Contains(reasons, r => (string)r!["decides"]! == "divergence" && (string)r["kind"]! == "Divergence");
        // The peak LR: its decision record (chosen, the law's optimum, the interval, the evaluated points) and its reason.
        var peak = o["decisions"]!["peakLr"]!;
        Assert.Equal(JsonAssert.Number(o["best"], "peak"), double.Parse(JsonAssert.Number(peak, "chosen").ToString("G3", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains((string)peak["bound"]!, new[] { "Interior", "AtLow", "AtHigh" });
        Assert.True(JsonAssert.Number(peak["interval"], "lower") <= JsonAssert.Number(peak, "chosen"));
        Assert.True(peak["points"]!.AsArray().Count >= HyperLaws.Planning.Planner.CoarsePeaks);
        Assert.Contains(reasons, r => (string)r!["kind"]! == "PeakLr" && JsonAssert.Number(r, "chosen") == JsonAssert.Number(peak, "chosen"));
        // Warnings: kind, words (with the command's hints) and numbers.
        var horizon = Assert.Single(o["warnings"]!.AsArray(), w => (string)w!["kind"]! == "HorizonExtrapolated")!;
        Assert.Contains("extrapolated", (string)horizon["text"]!, StringComparison.Ordinal);
        Assert.Equal(2000, JsonAssert.Number(horizon["quantities"], "longest"));
        Assert.Equal(2, (int)o["version"]!);
    }

    [Fact]
    public void Plan_json_holds_what_stdout_shows_less_the_file_list()
    {
        var o = runs.Result.Json();
        var files = o["files"]!.AsArray().Select(f => (string)f!).ToList();
        string json = Path.Combine(runs.OutDir, "plan.json");
        Assert.Contains(files, f => Path.GetFullPath(f) == Path.GetFullPath(json));
        Assert.All(files, f => Assert.True(File.Exists(f), $"{f} is listed but missing"));
        o.Remove("files");
        Assert.True(JsonNode.DeepEquals(o, JsonNode.Parse(File.ReadAllText(json))), "plan.json differs from the --json output");
    }

    [Fact]
    public void Quiet_prints_no_progress_and_the_default_prints_the_stages()
    {
        using var tmp = new TempDir(create: false);
        var quiet = Cli.Run([.. runs.Args(), "--quiet", "--out", tmp.Path]);
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal("", quiet.Stderr);
        Assert.Contains("predicted final loss", quiet.Stdout, StringComparison.Ordinal);
        Assert.Contains("report: " + Path.GetFullPath(Path.Combine(tmp.Path, "report.html")), quiet.Stdout, StringComparison.Ordinal);

        var chatty = Cli.Run([.. runs.Args(), "--out", tmp.Path]);
        Assert.Equal(0, chatty.ExitCode);
        Assert.Contains("plan: scaling rules", chatty.Stderr, StringComparison.Ordinal);
        Assert.Contains("plan: made in", chatty.Stderr, StringComparison.Ordinal);
        Assert.Equal(quiet.Stdout, chatty.Stdout);
    }

    [Fact]
    public void A_run_that_diverged_is_kept_out_of_the_plan()
    {
        using var tmp = new TempDir();
        foreach (var f in Directory.GetFiles(runs.Folder)) File.Copy(f, Path.Combine(tmp.Path, Path.GetFileName(f)));
        // A longer run whose loss turns NaN at step 2500: the reader marks it diverged.
        PlanRuns.Write(Path.Combine(tmp.Path, "blown.csv"), new ConstantSchedule(5e-3, 3000, 20), nanAt: 2500);
        var o = Cli.Run([.. runs.Args("--runs", tmp.Path), "--json", "--out", Path.Combine(tmp.Path, "out")]).Json();
        var expected = runs.Result.Json();
        Assert.True(JsonNode.DeepEquals(expected["hyperparameters"], o["hyperparameters"]));
        Assert.True(JsonNode.DeepEquals(expected["best"], o["best"]));
        Assert.Equal(PlanRuns.Schedules.Length + 1, o["runs"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("--params", "0", "--params")]
    [InlineData("--tokens", "abc", "--tokens")]
    [InlineData("--tokens", "1e17", "--tokens")]
    [InlineData("--optimizer", "sgd", "--optimizer")]
    [InlineData("--anchor", "foo", "--anchor")]
    [InlineData("--fit-on", "test", "--fit-on")]
    [InlineData("--seq-len", "0", "--seq-len")]
    [InlineData("--batch-multiple", "0", "--batch-multiple")]
    [InlineData("--runner-ups", "101", "--runner-ups")]
    [InlineData("--runs-batch-tokens", "-3", "--runs-batch-tokens")]
    [InlineData("--batch-steps", "tokens", "--batch-steps")]
    [InlineData("--warmup", "-1", "--warmup")]
    [InlineData("--warmup", "2.5", "--warmup")]
    [InlineData("--warmup", "500M", "--warmup")]
    [InlineData("--laws", "foo", "'foo'")]
    [InlineData("--runs", "{root}/missing.csv", "{root}/missing.csv")]
    [InlineData("--runs", "{empty}", "{empty}")]
    [InlineData("--runs", "{root}/first-nan.csv", "{root}/first-nan.csv")]
    [InlineData("--divergence", "{root}/bad-div.json", "{root}/bad-div.json")]
    [InlineData("--divergence", "{root}/missing-div.json", "{root}/missing-div.json")]
    [InlineData("--no-divergence", "--divergence", "--no-divergence")]
    [InlineData("--divergence-risk", "0", "--divergence-risk")]
    [InlineData("--divergence-risk", "1", "--divergence-risk")]
    [InlineData("--divergence-risk", "-0.1", "--divergence-risk")]
    [InlineData("--divergence-risk", "nan", "--divergence-risk")]
    [InlineData("--divergence-risk", "abc", "--divergence-risk")]
    [InlineData("--divergence-risk", "0.5x", "--divergence-risk")]
    [InlineData("--joint-noise-power", "0.5", "--joint-noise-power")]
    [InlineData("--joint-noise-power", "fit", "--joint-noise-power")]
    [InlineData("--joint-noise-power", "abc", "--joint-noise-power")]
    public void Bad_input_is_one_line_naming_it_and_writes_nothing(string option, string value, string named)
    {
        string Fill(string s) => s.Replace("{root}", runs.Root, StringComparison.Ordinal).Replace("{empty}", runs.Empty, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(runs.Root, "bad-div.json"), "{\"format\": ");
        PlanRuns.Write(Path.Combine(runs.Root, "first-nan.csv"), PlanRuns.Schedules[0], nanAt: 10);
        string[] given = option == "--no-divergence" ? ["--no-divergence", "--divergence", PlanRuns.Prior] : [option, Fill(value)];
        string outDir = Path.Combine(runs.Root, "never-" + Guid.NewGuid().ToString("N"));

        string line = Cli.Run([.. runs.Args(given), "--out", outDir, "--json"]).AssertUsageError();

        Assert.Contains(Fill(named), line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir), $"{outDir} was created by a failed plan");
    }

    [Fact]
    public void A_warmup_takes_a_suffix_and_is_the_plans()
    {
        var r = Cli.Run([.. runs.Args("--warmup", "0.1k"), "--json", "--out", Path.Combine(runs.Root, "warmup-100")]);
        Assert.Equal(0, r.ExitCode);
        var warmup = r.Json()["reasons"]!.AsArray().Single(x => (string)x!["kind"]! == "Warmup")!;
        Assert.Equal(100, JsonAssert.Number(warmup, "chosen"));
        Assert.Equal(1, JsonAssert.Number(warmup["quantities"]!, "given"));
    }

    [Fact]
    public void A_budget_of_a_few_steps_is_refused_with_the_reason()
    {
        string outDir = Path.Combine(runs.Root, "tiny");
        string line = Cli.Run([.. runs.Args("--tokens", "1e5", "--seq-len", "16384"), "--quiet", "--out", outDir]).AssertUsageError();
        Assert.Contains("steps", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Law_schedule_reports_the_schedule_rule_without_applying_it()
    {
        static JsonNode Rule(JsonObject plan) => plan["reasons"]!.AsArray().Single(x => (string)x!["kind"]! == "ObservedBest")!;
        var on = runs.Result.Json();
        var off = Cli.Run([.. runs.Args("--law-schedule"), "--json", "--out", Path.Combine(runs.Root, "law-schedule")]);
        Assert.Equal(0, off.ExitCode);
        var offPlan = off.Json();
        // The same decision in both plans; applied by default only.
        Assert.Equal((string)Rule(on)["chosenLabel"]!, (string)Rule(offPlan)["chosenLabel"]!);
        Assert.Equal(1, JsonAssert.Number(Rule(on)["quantities"]!, "applied"));
        Assert.Equal(0, JsonAssert.Number(Rule(offPlan)["quantities"]!, "applied"));
        Assert.Equal(0, JsonAssert.Number(Rule(offPlan)["quantities"]!, "kept"));
    }

    [Fact]
    public void No_anchor_prints_the_laws_loss_and_interval_and_reports_the_anchor_as_not_applied()
    {
        static JsonNode Rule(JsonNode plan) => plan["reasons"]!.AsArray().Single(x => (string)x!["kind"]! == "AnchoredLoss")!;
        // The shared runs and a WSD run at their highest peak, where the plan holds its peak: a run of the plan's shape within x2.
        string folder = Path.Combine(runs.Root, "with-anchor");
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(runs.Folder)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        PlanRuns.Write(Path.Combine(folder, "wsd-high.csv"), new WsdSchedule(2e-3, 1000, 20, cooldown: 0.2, floor: 2e-4), nanAt: null);
        CliResult Plan(params string[] more) => Cli.Run([.. runs.Args(["--runs", folder, .. more]), "--json", "--out", Path.Combine(runs.Root, "anchor" + more.Length)]);
        var (onRun, offRun) = (Plan(), Plan("--no-anchor"));
        Assert.Equal(0, onRun.ExitCode);
        Assert.Equal(0, offRun.ExitCode);
        var (on, offPlan) = (onRun.Json(), offRun.Json());
        // The same anchor in both plans, applied by default only.
        string anchor = (string)Rule(on)["chosenLabel"]!;
        Assert.False(string.IsNullOrEmpty(anchor));
        Assert.Equal(anchor, (string)Rule(offPlan)["chosenLabel"]!);
        Assert.Equal(1, JsonAssert.Number(Rule(on)["quantities"]!, "applied"));
        Assert.Equal(0, JsonAssert.Number(Rule(offPlan)["quantities"]!, "applied"));
        Assert.Contains("not applied", (string)Rule(offPlan)["text"]!, StringComparison.Ordinal);
        // On: the anchored loss; off: the law's, the anchor's "without" numbers.
        var q = Rule(on)["quantities"]!;
        Assert.Equal(JsonAssert.Number(q, "predicted"), JsonAssert.Number(on["best"], "predictedLoss"));
        Assert.Equal(JsonAssert.Number(q, "withoutLoss"), JsonAssert.Number(offPlan["best"], "predictedLoss"));
        Assert.Equal(JsonAssert.Number(q, "withoutLower"), JsonAssert.Number(offPlan["best"]!["interval"], "lower"));
        Assert.Equal(JsonAssert.Number(q, "withoutUpper"), JsonAssert.Number(offPlan["best"]!["interval"], "upper"));
        Assert.NotEqual(JsonAssert.Number(on["best"], "predictedLoss"), JsonAssert.Number(offPlan["best"], "predictedLoss"));
        // Nothing else differs: the best's loss and interval, the anchor's reason (applied, its words), the command and the files (--out).
        var differ = new List<string>();
        Differ(on, offPlan, "", differ);
        Assert.All(differ, path => Assert.Matches(@"^(provenance\.(command|date)|files\[\d+\]|best\.(predictedLoss|interval\.(lower|upper))|reasons\[\d+\]\.(quantities\.applied|text))$", path));
        Assert.Contains("best.predictedLoss", differ);
    }

    /// <summary>The paths at which two JSON documents differ (a value, a missing key, an array's length).</summary>
    private static void Differ(JsonNode? a, JsonNode? b, string path, List<string> differ)
    {
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (string key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)))
                Differ(oa[key], ob[key], path.Length == 0 ? key : path + "." + key, differ);
        }
        else if (a is JsonArray xa && b is JsonArray xb && xa.Count == xb.Count)
        {
            for (int i = 0; i < xa.Count; i++) Differ(xa[i], xb[i], $"{path}[{i}]", differ);
        }
        else if (a?.ToJsonString() != b?.ToJsonString())
            differ.Add(path);
    }

    [Fact]
    public void Help_lists_the_options()
    {
        var r = Cli.Run("plan", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string option in new[] { "--params", "--tokens", "--optimizer", "--runs", "--seq-len", "--batch-multiple", "--runs-batch-tokens", "--laws", "--anchor", "--divergence", "--no-divergence", "--runner-ups", "--law-schedule", "--no-anchor", "--batch-steps", "--warmup", "--out", "--json", "--quiet", "--divergence-risk", "--joint-noise-power", "--size-intervals" })
            Assert.Contains(option, r.Stdout, StringComparison.Ordinal);
    }
}
