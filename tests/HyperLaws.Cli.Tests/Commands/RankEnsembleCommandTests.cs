using System.Globalization;
using System.Text;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Readers;
using HyperLaws.Runs;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>hyperlaws rank --ranker ensemble-lr</c> (the default with --runs and no --law) end to end on small synthetic runs in the generic CSV
/// format: at two peak LRs a constant and a WSD run whose losses are the LR-annealing law of Tissue et al. (one parameter set per LR).
/// rank's order is <see cref="LrEnsemble"/>'s (the fit protocol 3 uses; its equality with validate's ensemble-lr is
/// HyperLaws.Validation.Tests.LrEnsembleTests); the JSON shape; the one-LR fallback; the one-line errors.
/// </summary>
public sealed class RankEnsembleCommandTests
{
    private const int Steps = 1200;
    private const int Warmup = 30;

    /// <summary>L0, A, alpha, C of the synthetic law at a peak LR (the lower LR's floor is higher: the runs put the best LR at 2e-3).</summary>
    private static double[] Truth(double lr) => [2.9 + 0.05e-3 / lr, 0.6, 0.45, 0.1e-3 / lr];

    private static string WriteRun(string dir, string name, LrSchedule schedule)
    {
        double[] lrs = schedule.Evaluate();
        double peak = lrs.Max();
        int[] at = [.. Enumerable.Range(1, Steps / 40).Select(i => 40 * i)];
        var loss = new double[at.Length];
        new AnnealingLaw().Predict(Truth(peak), new ScheduleHistory(lrs), at, loss);
        // The LRs from the schedule spec (docs/RUN-FORMATS.md: "# schedule:" metadata), the losses at the logged steps.
        var text = new StringBuilder($"# schedule: {schedule.ToSpec()}\nstep,loss\n");
        for (int i = 0; i < at.Length; i++)
            // A small deterministic wiggle, so that the anchor's residual is not 0.
            text.Append(CultureInfo.InvariantCulture, $"{at[i]},{(loss[i] + 0.002 * Math.Sin(at[i])).ToString("R", CultureInfo.InvariantCulture)}\n");
        string path = Path.Combine(dir, name + ".csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>The runs at <paramref name="lrs"/>: per LR a constant run and a WSD run with a 0.2 linear cooldown to 0.</summary>
    private static string Runs(TempDir tmp, params double[] lrs) => RunsFrom(tmp, 0, lrs);

    /// <summary>As <see cref="Runs(TempDir, double[])"/>, warming up linearly from <paramref name="start"/> x the peak.</summary>
    private static string RunsFrom(TempDir tmp, double start, params double[] lrs)
    {
        string dir = Path.Combine(tmp.Path, "runs");
        Directory.CreateDirectory(dir);
        foreach (double lr in lrs)
        {
            string tag = lr.ToString("R", CultureInfo.InvariantCulture);
            WriteRun(dir, $"constant-{tag}", new ConstantSchedule(lr, Steps, Warmup, warmupInit: start * lr));
            WriteRun(dir, $"wsd-{tag}", new WsdSchedule(lr, Steps, Warmup, cooldown: 0.2, floor: 0, warmupInit: start * lr));
        }
        return dir;
    }

    private static readonly string[] Grid = ["--steps", "1200", "--families", "constant,cosine,wsd", "--cooldowns", "0.1,0.4", "--floors", "0"];

    [Fact]
    public void Runs_without_a_law_rank_by_ensemble_lr_in_the_order_of_its_fit()
    {
        using var tmp = new TempDir();
        string dir = Runs(tmp, 1e-3, 2e-3);
        var r = Cli.Run(["rank", "--runs", dir, .. Grid, "--top", "100", "--json"]);
        Assert.Equal(0, r.ExitCode);
        // Progress of the member fits on stderr, the JSON on stdout.
        Assert.Contains("optlaw: fitting lr=0.001", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("joint-pooled-p: fitting all LRs", r.Stderr, StringComparison.Ordinal);
        var json = r.Json();
        Assert.Equal("ensemble-lr", (string)json["ranker"]!);
        // The default peaks are the runs' (2), the default warmup theirs (30): 2 x (1 constant + 1 cosine + 2 wsd) candidates.
        Assert.Equal(8, (int)json["evaluated"]!);
        Assert.Equal([1e-3, 2e-3], json["fittedOn"]!["peakLrs"]!.AsArray().Select(x => (double)x!));
        Assert.Equal("training", (string)json["fittedOn"]!["split"]!);
        var candidates = json["candidates"]!.AsArray();
        Assert.All(candidates, c => Assert.Equal(Warmup, (int)c!["warmup"]!));
        Assert.All(candidates, c => Assert.False((bool)c!["lrWithoutRuns"]!));

        // The order: LrEnsemble fitted on the same files, ranking the same candidates as one set.
        var runs = RunReader.ReadDirectory(dir).Runs.OrderBy(x => x.LearningRates.Max()).ThenBy(x => x.Steps).ThenBy(x => x.Name, StringComparer.Ordinal).ToList();
        var fit = LrEnsemble.Fit(runs, x => x.Final(LossSplit.Train)!.Value.Loss, LossSplit.Train);
        var schedules = new CandidateGrid(["constant", "cosine", "wsd"], [1e-3, 2e-3], [Warmup], [0.1, 0.4], [0]).Schedules(Steps, out _);
        var ranked = fit.Rank([.. schedules.Select(s => fit.Predict(s.Evaluate()))], [.. schedules.Select(s => s.ToSpec())]);
        Assert.Equal(ranked.Select(x => schedules[x.Index].ToSpec()), candidates.Select(c => (string)c!["schedule"]!));
        for (int i = 0; i < ranked.Count; i++)
        {
            var c = candidates[i]!;
            Assert.Equal(i + 1, (int)c["rank"]!);
            Assert.Equal(ranked[i].PredictedLoss, JsonAssert.Number(c, "predictedLoss"), 12);
            Assert.Equal(ranked[i].LevelLoss + ranked[i].WithinLr, JsonAssert.Number(c, "level") + JsonAssert.Number(c, "withinLr"), 12);
            // The shape: every member's prediction, the anchor, the members' spread, no interval.
            Assert.Equal(["optlaw-a", "mpl-g1-a", "tissue-a", "joint-pooled-p-a", "joint-pooled-p"], c["members"]!.AsObject().Select(kv => kv.Key));
            Assert.Equal(["optlaw", "mpl-g1", "tissue", "joint-pooled-p"], c["anchor"]!["residuals"]!.AsObject().Select(kv => kv.Key));
            Assert.True(JsonAssert.Number(c["memberSpread"], "lowest") <= JsonAssert.Number(c["memberSpread"], "highest"));
            Assert.Null(c["interval"]);
        }
        var losses = candidates.Select(c => JsonAssert.Number(c, "predictedLoss")).ToList();
        Assert.Equal(losses.Order(), losses);
        // The candidates start as the constant runs do, so the anchor applies.
        Assert.True((int)candidates[0]!["anchor"]!["sharedSteps"]! >= Warmup);
        Assert.Null(json["intervalLevel"]);
        Assert.Equal(["optlaw", "mpl-g1", "tissue", "joint-pooled-p"], json["members"]!.AsArray().Select(m => (string)m!["name"]!));
        Assert.Equal(0.5, (double)json["rule"]!["withinLr"]![0]!["weight"]!);
        var warnings = json["warnings"]!.AsArray().Select(w => (string)w!).ToList();
        Assert.Contains(warnings, w => w.Contains("no calibrated interval", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("no anchor applies", StringComparison.Ordinal));
        Assert.NotNull(json["why"]!["vsRunnerUp"]);
    }

    [Fact]
    public void Candidates_at_a_peak_lr_without_runs_are_marked_with_leave_one_lr_outs_verdict()
    {
        using var tmp = new TempDir();
        string dir = Runs(tmp, 1e-3, 2e-3);
        var json = LawCliData.RunJson("rank", "--runs", dir, "--steps", "1200", "--families", "constant", "--peaks", "1e-3,1.5e-3,2e-3", "--top", "10", "--quiet", "--json");
        var candidates = json["candidates"]!.AsArray();
        Assert.Equal(3, candidates.Count);
        // Only the candidate at 1.5e-3 (no run there) is marked; the warning gives protocols 3h/17h's verdict (docs/VALIDATION.md).
        Assert.Equal([1.5e-3], candidates.Where(c => (bool)c!["lrWithoutRuns"]!).Select(c => (double)c!["peak"]!));
        Assert.Contains(json["warnings"]!.AsArray(), w => ((string)w!).Contains("1 of 3 candidates are at a peak LR without runs (marked)", StringComparison.Ordinal)
            && ((string)w!).Contains("not validated at LRs without runs", StringComparison.Ordinal));
    }

    [Fact]
    public void Candidates_warm_up_as_the_runs_do_so_that_the_anchor_applies()
    {
        // Runs that warm up linearly from lr/100 (as the lr-scheduling runs do): the candidates take that start, so each constant
        // candidate shares every step with its LR's constant run, a wsd candidate its warmup and stable phase, and the anchor applies.
        using var tmp = new TempDir();
        string dir = RunsFrom(tmp, 0.01, 1e-3, 2e-3);
        var json = LawCliData.RunJson(["rank", "--runs", dir, .. Grid, "--top", "100", "--quiet", "--json"]);
        var candidates = json["candidates"]!.AsArray();
        Assert.Equal(8, candidates.Count);
        foreach (var c in candidates)
        {
            double peak = (double)c!["peak"]!;
            string spec = (string)c["schedule"]!;
            Assert.Equal(Warmup, (int)c["warmup"]!);
            var schedule = (WarmupSchedule)LrSchedule.Parse(spec);
            Assert.Equal(WarmupShape.Linear, schedule.WarmupShape);
            Assert.Equal(peak / 100, schedule.WarmupInit, 1e-15);
            int shared = (int)c["anchor"]!["sharedSteps"]!;
            // The constant candidate shares every step, the others at least the warmup; where the shared steps hold observations, the anchor's residuals are not 0.
            Assert.Equal(schedule is ConstantSchedule ? Steps : Warmup, schedule is ConstantSchedule ? shared : Math.Min(shared, Warmup));
            if (schedule is ConstantSchedule or WsdSchedule)
                Assert.Contains(c["anchor"]!["residuals"]!.AsObject(), kv => (double)kv.Value! != 0);
        }
        Assert.DoesNotContain(json["warnings"]!.AsArray(), w => ((string)w!).Contains("no anchor applies", StringComparison.Ordinal));

        // --warmups: its lengths, in the runs' own start.
        var given = LawCliData.RunJson(["rank", "--runs", dir, .. Grid, "--warmups", "60", "--quiet", "--json"]);
        Assert.All(given["candidates"]!.AsArray(), c =>
        {
            var schedule = (WarmupSchedule)LrSchedule.Parse((string)c!["schedule"]!);
            Assert.Equal(60, schedule.Warmup);
            Assert.Equal(schedule.Peak / 100, schedule.WarmupInit, 1e-15);
        });
    }

    [Fact]
    public void One_peak_lr_falls_back_to_the_within_lr_order_with_a_warning_and_refuses_other_peaks()
    {
        using var tmp = new TempDir();
        string dir = Runs(tmp, 1e-3);
        var json = LawCliData.RunJson(["rank", "--runs", dir, .. Grid, "--quiet", "--json"]);
        Assert.Equal("ensemble-lr", (string)json["ranker"]!);
        Assert.Equal(4, (int)json["evaluated"]!);
        Assert.All(json["candidates"]!.AsArray(), c => Assert.Equal(1e-3, (double)c!["peak"]!));
        Assert.Contains(json["warnings"]!.AsArray(), w => ((string)w!).Contains("one peak LR", StringComparison.Ordinal));
        var line = Cli.Run(["rank", "--runs", dir, .. Grid, "--peaks", "1e-3,2e-3", "--quiet"]).AssertUsageError();
        Assert.Contains("--peaks: the runs have one peak LR", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_law_file_keeps_the_single_law_ranker()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        File.WriteAllText(law, """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""");
        var json = LawCliData.RunJson("rank", "--law", law, "--steps", "5000", "--families", "constant", "--peaks", "1e-3", "--warmups", "0", "--json");
        Assert.Equal("law", (string)json["ranker"]!);
        Assert.Equal("tissue", (string)json["law"]!);
    }

    [Theory]
    [InlineData("", "rank needs --law LAW.json")]
    [InlineData("--ranker ensemble-lr", "--ranker ensemble-lr needs --runs")]
    [InlineData("--ranker law", "--ranker law needs --law")]
    [InlineData("--ranker borda", "--ranker: 'borda' is not one of law, ensemble-lr")]
    [InlineData("--runs RUNS --level 0.8", "--level: ensemble-lr has no calibrated interval")]
    [InlineData("--runs RUNS --ranker ensemble-lr --law LAW", "--law: ensemble-lr fits its own members")]
    public void Wrong_ranker_inputs_are_one_line_errors(string options, string expected)
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        File.WriteAllText(law, """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""");
        string[] args = [.. Cli.Split(options).Select(a => a == "RUNS" ? tmp.Path : a == "LAW" ? law : a)];
        var line = Cli.Run(["rank", "--steps", "1200", .. args]).AssertUsageError();
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
