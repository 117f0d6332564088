namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>hyperlaws optimize-schedule</c> end to end on a tissue law with fixed parameters: the JSON fields, the CSV read
/// back by the table schedule family giving the same prediction, the plots, and bad inputs as one-line errors.
/// </summary>
public sealed class OptimizeScheduleCommandTests
{
    private const string TissueLaw = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""";
    private static readonly string[] Small = ["--steps", "3000", "--peak", "3e-4", "--warmup", "100", "--knots", "12", "--evaluations", "600"];

    private static string WriteLaw(TempDir tmp, string text = TissueLaw)
    {
        string path = Path.Combine(tmp.Path, "law.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_baseline_the_law_predicts_below_the_optimised_schedule_is_said()
    {
        // tissue with C = 2: the annealing area counts five times more, so cosine (its early, long decay) beats a 20% WSD cooldown
        // (3.487 vs 3.574 by hand); ten evaluations (the fewest allowed) leave the optimiser near its start, that WSD (3.506 against cosine's 3.487). The audit: ts, --evaluations 400.
        using var tmp = new TempDir();
        string law = WriteLaw(tmp, TissueLaw.Replace("\"C\":0.40", "\"C\":2", StringComparison.Ordinal));
        var json = Cli.Run(["optimize-schedule", "--law", law, "--steps", "3000", "--peak", "3e-4", "--warmup", "100", "--knots", "12", "--evaluations", "10", "--json"]).Json();
        Assert.Equal(["cosine"], json["worseThanBaselines"]!.AsArray().Select(x => (string)x!));
        Assert.Contains(json["warnings"]!.AsArray(), w => ((string)w!).StartsWith("the optimised schedule is WORSE than the cosine baseline", StringComparison.Ordinal));
        var fine = Cli.Run(["optimize-schedule", "--law", WriteLaw(tmp), .. Small, "--json"]).Json();
        Assert.Empty(fine["worseThanBaselines"]!.AsArray());
    }

    [Fact]
    public void Optimises_writes_a_csv_that_table_reads_back_and_plots()
    {
        using var tmp = new TempDir();
        string law = WriteLaw(tmp), csv = Path.Combine(tmp.Path, "opt.csv"), png = Path.Combine(tmp.Path, "plot.png");
        var r = Cli.Run(["optimize-schedule", "--law", law, .. Small, "--out", csv, "--plot", png, "--json"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var json = r.Json();
        Assert.Equal("tissue", (string)json["law"]!);
        Assert.Equal(3000, (int)json["steps"]!);
        Assert.Equal(100, (int)json["warmup"]!);
        Assert.True((bool)json["monotone"]!);
        Assert.Equal(13, json["knotValues"]!.AsArray().Count);
        double loss = JsonAssert.Number(json, "predictedLoss");
        Assert.True(loss < JsonAssert.Number(json, "startLoss"));
        var baselines = json["baselines"]!.AsArray();
        Assert.Equal(2, baselines.Count);
        foreach (var b in baselines)
        {
            Assert.True(JsonAssert.Number(b, "gain") > 0, (string)b!["name"]!);
            // Each baseline's loss is what 'predict' gives for it.
            var p = LawCliData.RunJson("predict", "--law", law, "--schedule", (string)b["schedule"]!, "--steps", "3000", "--json");
            Assert.Equal(JsonAssert.Number(p, "finalLoss"), JsonAssert.Number(b, "predictedLoss"), 12);
        }
        // The CSV round-trips through table(file=..., column=lr): same length, same prediction.
        var back = LawCliData.RunJson("predict", "--law", law, "--schedule", $"table(file={csv},column=lr)", "--steps", "1,3000", "--json");
        Assert.Equal(loss, JsonAssert.Number(back, "finalLoss"), 12);
        Assert.Equal(3e-4 / 100, (double)back["learningRates"]![0]!, 15);
        Assert.Equal(3001, File.ReadAllLines(csv).Length);
        Assert.Equal("step,lr", File.ReadLines(csv).First());
        Assert.True(File.Exists(png));
        Assert.True(File.Exists(Path.Combine(tmp.Path, "plot-loss.png")));
        // The figures' files, named in JSON files[] (and as 'written: PATH' lines after the table), as predict names its figure's.
        Assert.Equal(["plot-loss.csv", "plot-loss.png", "plot-loss.svg", "plot.csv", "plot.png", "plot.svg"],
            json["files"]!.AsArray().Select(f => Path.GetFileName((string)f!)).Order(StringComparer.Ordinal).ToArray());
        Assert.All(json["files"]!.AsArray(), f => Assert.True(File.Exists((string)f!), (string?)f));
    }

    [Theory]
    [InlineData("--steps 3000 --warmup 100", "--peak")]
    [InlineData("--steps 3000 --peak 3e-4 --warmup 3000", "--warmup")]
    [InlineData("--steps 3000 --peak 0 --warmup 100", "--peak")]
    [InlineData("--steps 3k5 --peak 3e-4", "--steps")]
    [InlineData("--steps 3000 --peak 3e-4 --knots 1", "--knots")]
    [InlineData("--steps 3000 --peak 3e-4 --out x.npy", "--out")]
    [InlineData("--peak 3e-4", "--steps")]
    public void Bad_inputs_are_one_line_errors(string options, string expected)
    {
        using var tmp = new TempDir();
        var line = Cli.Run(["optimize-schedule", "--law", WriteLaw(tmp), .. Cli.Split(options)]).AssertUsageError();
        Assert.StartsWith("hyperlaws: error: " + expected, line, StringComparison.Ordinal);
        Assert.False(File.Exists("x.npy"));
    }

    [Fact]
    public void Runs_give_the_peak_and_bad_runs_are_named()
    {
        // The tissue law fitted on the 25M MPL curves: --runs naming its own runs gives what LAW.json's runs give.
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "mpl25.json");
        LawCliData.RunJson(["fit", "--law", "tissue", "--runs", .. LawCliData.Training("25"), "--out", law, "--json"]);
        string[] args = ["optimize-schedule", "--law", law, "--steps", "3000", "--knots", "4", "--evaluations", "50", "--json"];
        var own = LawCliData.RunJson(args);
        var given = LawCliData.RunJson([.. args, "--runs", .. LawCliData.Training("25")]);
        Assert.Equal(JsonAssert.Number(own, "peak"), JsonAssert.Number(given, "peak"));
        Assert.Equal(JsonAssert.Number(own, "predictedLoss"), JsonAssert.Number(given, "predictedLoss"));
        Assert.Empty(given["warnings"]!.AsArray());

        // A missing path, an empty folder: one line naming it.
        string missing = Path.Combine(tmp.Path, "nope.csv"), empty = Path.Combine(tmp.Path, "empty");
        Directory.CreateDirectory(empty);
        Assert.Contains($"--runs: '{missing}': no such file or folder", Cli.Run([.. args, "--runs", missing]).AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains($"{empty}: no runs found in this folder", Cli.Run([.. args, "--runs", empty]).AssertUsageError(), StringComparison.Ordinal);
        // A run whose every LR is 0 is refused by the reader, naming the file (so the "given runs have no LR" wording is the fallback).
        string flat = Path.Combine(tmp.Path, "flat.csv");
        File.WriteAllLines(flat, ["step,loss,lr", .. Enumerable.Range(1, 50).Select(k => FormattableString.Invariant($"{k},{4 - 0.01 * k},0"))]);
        Assert.Contains("every learning rate of the run is 0", Cli.Run([.. args, "--runs", flat]).AssertUsageError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Quiet_keeps_the_warnings_off_stderr()
    {
        // No runs to check the losses against: a warning on stderr in the table, none with --quiet; the table the same.
        using var tmp = new TempDir();
        string[] args = ["optimize-schedule", "--law", WriteLaw(tmp), .. Small];
        var loud = Cli.Run(args);
        Assert.Equal(0, loud.ExitCode);
        Assert.Contains("warning: the training runs of", loud.Stderr, StringComparison.Ordinal);
        var quiet = Cli.Run([.. args, "--quiet"]);
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal("", quiet.Stderr);
        Assert.NotEqual("", quiet.Stdout.Trim());
    }

    [Fact]
    public void Missing_law_and_bad_data_folder_are_named()
    {
        Assert.Contains("--law", Cli.Run("optimize-schedule", "--steps", "3000").AssertUsageError(), StringComparison.Ordinal);
        using var tmp = new TempDir();
        string law = WriteLaw(tmp);
        Assert.Contains("--plot", Cli.Run(["optimize-schedule", "--law", law, .. Small, "--out", Path.Combine(tmp.Path, "a.csv"), "--plot", Path.Combine(tmp.Path, "a.png")]).AssertUsageError(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(tmp.Path, "a.csv")));
        Assert.Contains("--data", Cli.Run("optimize-schedule", "--compare-mpl", "--data", tmp.Path).AssertUsageError(), StringComparison.Ordinal);
    }
}
