using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary><c>hyperlaws rank-continuation</c>: a known winner, the JSON fields, a run file as history, bad inputs.</summary>
public sealed class RankContinuationCommandTests
{
    // Tissue law with C = 0: the loss falls with the LR area alone, so the highest constant peak without re-warm wins.
    private const string NoAnnealing = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0}}""";

    private static string WriteLaw(TempDir tmp)
    {
        string path = Path.Combine(tmp.Path, "law.json");
        File.WriteAllText(path, NoAnnealing);
        return path;
    }

    [Fact]
    public void Ranks_continuations_with_a_known_winner()
    {
        using var tmp = new TempDir();
        string law = WriteLaw(tmp);
        const string history = "cosine(peak=3e-4,steps=2000,warmup=100)";
        var json = Cli.RunJson($"rank-continuation --law {law} --history {history} --steps 1000 --peaks 1e-4,2e-4,4e-4 --rewarm 0,100 --decay constant,cosine,wsd --top 3 --json");
        Assert.Equal(2 * 3 * 3, (int)json["evaluated"]!);
        Assert.Equal(2000, (int)json["historySteps"]!);
        var c = json["candidates"]!.AsArray();
        Assert.Equal(3, c.Count);
        Assert.Equal("constant", (string)c[0]!["decay"]!);
        Assert.Equal(4e-4, JsonAssert.Number(c[0], "peak"), 15);
        Assert.Equal(0, (int)c[0]!["rewarm"]!);
        var losses = c.Select(x => JsonAssert.Number(x, "predictedLoss")).ToList();
        Assert.Equal(losses.Order(), losses);
        // The law sees the whole history: the winner's loss is what 'predict' gives for continued(previous, next).
        var p = LawCliData.RunJson("predict", "--law", law, "--schedule", $"continued(previous={history},next={(string)c[0]!["next"]!})", "--steps", "3000", "--json");
        Assert.Equal(JsonAssert.Number(p, "finalLoss"), losses[0], 12);
        Assert.True(losses[0] < JsonAssert.Number(json, "historyLoss"));
    }

    [Fact]
    public void Takes_a_run_file_as_history()
    {
        using var tmp = new TempDir();
        var json = Cli.RunJson($"rank-continuation --law {WriteLaw(tmp)} --history {LawCliData.Curve("25", "constant_24000")} --steps 2000 --json");
        Assert.Equal(24000, (int)json["historySteps"]!);
        // Default grid: 3 re-warms x 3 peaks x 4 decays.
        Assert.Equal(36, (int)json["evaluated"]!);
    }

    /// <summary>A run file whose <c># schedule:</c> comment gives the run's LRs and whose log (a loss every 10 steps) ends at <paramref name="last"/>.</summary>
    private static string WriteRun(TempDir tmp, string schedule, int last)
    {
        string path = Path.Combine(tmp.Path, $"run-{last}.csv");
        File.WriteAllLines(path, ["# schedule: " + schedule, "step,loss",
            .. Enumerable.Range(1, last / 10).Select(i => FormattableString.Invariant($"{10 * i},{3 + 1 / Math.Sqrt(10 * i)}"))]);
        return path;
    }

    [Fact]
    public void A_run_whose_log_ends_before_its_schedule_is_continued_from_its_last_logged_step()
    {
        // A run in progress (or stopped) at step 800 of a 2,000-step cosine: the # schedule: comment sets the run's length to 2,000, but the
        // run has trained 800 steps, so the continuation starts after step 800 (before: after step 2,000, as if the whole schedule had run).
        using var tmp = new TempDir();
        string law = WriteLaw(tmp);
        const string schedule = "cosine(peak=3e-4,steps=2000,warmup=100)";
        var json = Cli.RunJson($"rank-continuation --law {law} --history {WriteRun(tmp, schedule, 800)} --steps 1000 --peaks 1e-4,4e-4 --rewarm 0 --decay constant --json");
        Assert.Equal(800, (int)json["historySteps"]!);
        var warning = Assert.Single(json["warnings"]!.AsArray(), w => ((string)w!).Contains("--history", StringComparison.Ordinal));
        Assert.Contains("its schedule has 2000 steps but its log ends at step 800 (a loss every 10 steps)", (string)warning!, StringComparison.Ordinal);
        // The history's loss is the law's at step 800 of the schedule, and a continuation's is the law's on the first 800 steps then it.
        var p = LawCliData.RunJson("predict", "--law", law, "--schedule", schedule, "--steps", "800", "--json");
        Assert.Equal(JsonAssert.Number(p, "finalLoss"), JsonAssert.Number(json, "historyLoss"), 12);
        var best = json["candidates"]!.AsArray()[0]!;
        Assert.Equal("constant(peak=0.0004,steps=1000,warmup=0)", (string)best["next"]!);
        double[] lrs = [.. LrSchedule.Parse(schedule).Evaluate()[..800], .. LrSchedule.Parse((string)best["next"]!).Evaluate()];
        var y = new double[1];
        new AnnealingLaw().Predict([3.15, 0.51, 0.51, 0], new ScheduleHistory(lrs), [1800], y);
        Assert.Equal(y[0], JsonAssert.Number(best, "predictedLoss"), 12);
    }

    [Fact]
    public void A_run_whose_reader_knows_its_length_is_not_cut()
    {
        // MPL's csv_25 wsdcon_3: a 16,000-step run (the reader knows it from the file name) whose log stops at step 14,144, 1,856 steps
        // (more than one 128-step interval) short: the whole run is the history, without a warning.
        using var tmp = new TempDir();
        var json = Cli.RunJson($"rank-continuation --law {WriteLaw(tmp)} --history {LawCliData.Curve("25", "wsdcon_3")} --steps 1000 --peaks 1e-4 --rewarm 0 --decay constant --json");
        Assert.Equal(16000, (int)json["historySteps"]!);
        Assert.DoesNotContain(json["warnings"]!.AsArray(), w => ((string)w!).Contains("--history", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cut_run_with_one_logged_loss_says_so_not_a_logging_interval()
    {
        using var tmp = new TempDir();
        string path = Path.Combine(tmp.Path, "one.csv");
        File.WriteAllLines(path, ["# schedule: cosine(peak=3e-4,steps=2000,warmup=100)", "step,loss", "500,3.2"]);
        var json = Cli.RunJson($"rank-continuation --law {WriteLaw(tmp)} --history {path} --steps 1000 --peaks 1e-4 --rewarm 0 --decay constant --json");
        Assert.Equal(500, (int)json["historySteps"]!);
        var warning = (string)Assert.Single(json["warnings"]!.AsArray(), w => ((string)w!).Contains("--history", StringComparison.Ordinal))!;
        Assert.Contains("its log ends at step 500 (its only logged loss)", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("a loss every", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2000)]
    [InlineData(1990)]
    public void A_run_logged_to_within_one_interval_of_its_schedule_is_continued_after_the_whole_schedule(int last)
    {
        // The last loss at step 1,990 of 2,000, logged every 10 steps: the run's last steps fell between two logs, the run finished.
        using var tmp = new TempDir();
        var json = Cli.RunJson($"rank-continuation --law {WriteLaw(tmp)} --history {WriteRun(tmp, "cosine(peak=3e-4,steps=2000,warmup=100)", last)} --steps 1000 --json");
        Assert.Equal(2000, (int)json["historySteps"]!);
        Assert.DoesNotContain(json["warnings"]!.AsArray(), w => ((string)w!).Contains("--history", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--history nosuch(peak=1) --steps 100", "--history")]
    [InlineData("--history cosine(peak=3e-4,steps=200) --steps 100 --decay step", "--decay")]
    [InlineData("--history cosine(peak=3e-4,steps=200) --steps 100 --rewarm 100", "--rewarm")]
    [InlineData("--history cosine(peak=3e-4,steps=200) --steps 100 --rewarm-from middle", "--rewarm-from")]
    [InlineData("--history cosine(peak=3e-4,steps=200) --steps 1", "--steps")]
    public void Bad_inputs_are_one_line_errors(string options, string expected)
    {
        using var tmp = new TempDir();
        var line = Cli.Run(["rank-continuation", "--law", WriteLaw(tmp), .. Cli.Split(options)]).AssertUsageError();
        Assert.StartsWith("hyperlaws: error: " + expected, line, StringComparison.Ordinal);
    }
}
