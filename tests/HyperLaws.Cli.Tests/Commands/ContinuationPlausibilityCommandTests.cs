using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Planning;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// rank-continuation and optimize-schedule withhold the losses a law's runs do not support (<see cref="PredictionSupport"/>), as
/// predict, rank and contour do (<see cref="ForeignPlausibilityCommandTests"/>), and keep those they do:
/// <list type="bullet">
/// <item>llm.c's GPT-2 124M, its first 995 steps as a resumed JSONL (tests/HyperLaws.Readers.Tests/TestData/resumed_jsonl, a real
/// log): the tissue law's fit puts L0 below zero (one run at one peak LR does not identify the floor), so past the run's 995 logged
/// steps its losses are withheld ("floor"); before, rank-continuation printed every continuation's loss and optimize-schedule the
/// optimised schedule's and its gains.</item>
/// <item>the tissue law fitted on the Multi-Power-Law 25M training curves (data/): a positive floor, nothing withheld.</item>
/// </list>
/// </summary>
public sealed class ContinuationPlausibilityCommandTests(ContinuationPlausibilityCommandTests.Laws laws) : IClassFixture<ContinuationPlausibilityCommandTests.Laws>
{
    /// <summary>The two tissue laws, fitted once (a fraction of a second each).</summary>
    public sealed class Laws : IDisposable
    {
        private readonly TempDir _dir = new();

        public Laws()
        {
            Llmc = Path.Combine(_dir.Path, "llmc.json");
            var fit = LawCliData.RunJson("fit", "--law", "tissue", "--runs", LlmcRun, "--out", Llmc, "--json");
            LlmcFloor = fit["parameters"]!["L0"]!.GetValue<double>();
            Mpl = Path.Combine(_dir.Path, "mpl25.json");
            LawCliData.RunJson(["fit", "--law", "tissue", "--runs", .. LawCliData.Training("25"), "--out", Mpl, "--json"]);
        }

        /// <summary>The tissue law fitted on llm.c's first 995 steps.</summary>
        public string Llmc { get; }

        /// <summary>Its fitted L0.</summary>
        public double LlmcFloor { get; }

        /// <summary>The tissue law fitted on the 25M MPL training curves.</summary>
        public string Mpl { get; }

        public void Dispose() => _dir.Dispose();
    }

    private static string LlmcRun => Path.Combine(AppContext.BaseDirectory, "TestData", "resumed_jsonl", "llmc_resumed.jsonl");

    [Fact]
    public void Rank_continuation_withholds_every_continuation_past_llmc_and_says_the_order_is_not_supported()
    {
        Assert.True(laws.LlmcFloor < 0, $"L0 = {laws.LlmcFloor}: one run at one peak LR does not identify the floor");
        // Continue the run itself (its logged LRs as the history) for 2,000 steps: every continuation ends past its 995 logged steps.
        var r = Cli.Run("rank-continuation", "--law", laws.Llmc, "--history", LlmcRun, "--steps", "2000", "--top", "4", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var json = r.Json();
        int evaluated = json["evaluated"]!.GetValue<int>();
        Assert.Equal(36, evaluated);
        Assert.All(json["candidates"]!.AsArray(), c => Assert.Null(c!["predictedLoss"]));
        var withheld = ForeignPlausibilityCommandTests.AssertWithheld(json, evaluated, "floor");
        Assert.All(withheld, w => Assert.Equal("floor", (string?)w!["labels"]![1]));
        Assert.All(withheld, w => Assert.Equal("continuation", (string?)w!["of"]));
        Assert.Contains(" continuations: ", (string)withheld[0]!["text"]!, StringComparison.Ordinal);
        Assert.True(json["orderUnsupported"]!.GetValue<bool>());
        Assert.Contains(json["warnings"]!.AsArray(), w => ((string)w!).Contains("ORDER IS NOT SUPPORTED", StringComparison.Ordinal));
        // The history's end is inside the run: its loss is given, a plausible loss of the run.
        var (lowest, highest) = LossPlausibility.Observed([HyperLaws.Readers.RunReader.Read(LlmcRun)]);
        Assert.True(LossPlausibility.IsPhysical(json["historyLoss"]!.GetValue<double>(), lowest, highest));

        // The table says "not given" and prints each reason on stderr; --quiet keeps stderr empty.
        var table = Cli.Run("rank-continuation", "--law", laws.Llmc, "--history", LlmcRun, "--steps", "2000", "--top", "4");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("not given", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning: NO LOSS GIVEN for 36 continuations: the law's fitted floor L0", table.Stderr, StringComparison.Ordinal);
        Assert.Contains("warning: the ORDER IS NOT SUPPORTED", table.Stderr, StringComparison.Ordinal);
        Assert.Equal("", Cli.Run("rank-continuation", "--law", laws.Llmc, "--history", LlmcRun, "--steps", "2000", "--quiet").Stderr);
    }

    [Fact]
    public void Rank_continuation_tells_the_historys_withheld_loss_from_the_continuations()
    {
        // A 24,000-step history under the law fitted on llm.c's 995 steps: its own loss is past the run too, withheld ("floor").
        var json = Cli.RunJson($"rank-continuation --law {laws.Llmc} --history {LawCliData.Curve("25", "cosine_24000")} --steps 500 --rewarm 0 --decay constant --top 2 --json");
        Assert.Null(json["historyLoss"]);
        var withheld = json["withheld"]!.AsArray();
        Assert.Equal(["history", "continuation"], withheld.Select(w => (string)w!["of"]!).Distinct());
        Assert.Equal("history", (string)withheld[0]!["of"]!);
        Assert.Equal(1, withheld.Where(w => (string)w!["of"]! == "history").Sum(w => (int)w!["count"]!));
    }

    [Fact]
    public void Non_physical_losses_are_ranked_last_with_a_warning_as_rank_ranks_them()
    {
        // The shared helper: the positive losses first in the law's order, then the others in theirs; a warning counts them.
        static HyperLaws.Evaluation.RankedCandidate C(double loss) => new(new HyperLaws.Schedules.ConstantSchedule(1e-3, 10), loss, null);
        var ranked = new[] { C(-1), C(0.5), C(double.NaN), C(0), C(2) };
        var reordered = HyperLaws.Cli.Commands.Rank.RankCommand.PhysicalFirst(ranked, "continuations", out string? warning);
        Assert.Equal([ranked[1], ranked[4], ranked[0], ranked[2], ranked[3]], reordered);
        Assert.Equal("3 of 5 continuations are predicted a non-physical loss (<= 0; ranked last): the law's fit does not pin their decay down", warning);
        Assert.Equal([ranked[1]], HyperLaws.Cli.Commands.Rank.RankCommand.PhysicalFirst(ranked[1..2], "continuations", out warning));
        Assert.Null(warning);

        // rank-continuation under a hand-made tissue law whose floor is far below zero (no runs: nothing withheld): every loss <= 0, said so.
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "negative.json");
        File.WriteAllText(law, """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":-50,"A":0.51,"alpha":0.51,"C":0.40}}""");
        var json = Cli.RunJson($"rank-continuation --law {law} --history {LawCliData.Curve("25", "cosine_24000")} --steps 500 --rewarm 0 --decay constant,cosine --top 3 --json");
        Assert.Contains(json["warnings"]!.AsArray(), w => ((string)w!).EndsWith("continuations are predicted a non-physical loss (<= 0; ranked last): the law's fit does not pin their decay down", StringComparison.Ordinal));
    }

    [Fact]
    public void Optimize_schedule_past_llmc_gives_the_schedule_but_no_loss_or_gain()
    {
        using var tmp = new TempDir();
        string csv = Path.Combine(tmp.Path, "opt.csv"), png = Path.Combine(tmp.Path, "plot.png");
        string[] args = ["optimize-schedule", "--law", laws.Llmc, "--steps", "5000", "--peak", "0.0006", "--warmup", "700", "--knots", "4", "--evaluations", "60"];
        var r = Cli.Run([.. args, "--out", csv, "--plot", png, "--json"]);
        Assert.Equal(0, r.ExitCode);
        var json = r.Json();
        Assert.Null(json["predictedLoss"]);
        Assert.Null(json["startLoss"]);
        Assert.All(json["baselines"]!.AsArray(), b => { Assert.Null(b!["predictedLoss"]); Assert.Null(b["gain"]); });
        // The optimised schedule, its start and the two baselines at 5,000 steps (past the run's 995): four final losses withheld.
        ForeignPlausibilityCommandTests.AssertWithheld(json, 4, "floor");
        Assert.True(json["scheduleUnsupported"]!.GetValue<bool>());
        Assert.Contains(json["warnings"]!.AsArray(), w => ((string)w!).StartsWith("the SCHEDULE IS NOT SUPPORTED", StringComparison.Ordinal));
        // The schedule is still given (the law's optimum): the CSV is written, 5,000 steps.
        Assert.Equal(5001, File.ReadAllLines(csv).Length);
        // The loss figure draws no point past the run's 995 logged steps.
        var past = File.ReadAllLines(Path.Combine(tmp.Path, "plot-loss.csv")).Skip(1).Select(l => l.Split(','))
            .Where(f => double.TryParse(f[^2], NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x > 995).ToList();
        Assert.NotEmpty(past);
        Assert.All(past, f => Assert.Equal("NaN", f[^1]));

        var table = Cli.Run(args);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("not given", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning: NO LOSS GIVEN for 4 schedules' final losses", table.Stderr, StringComparison.Ordinal);
        Assert.Contains("warning: the SCHEDULE IS NOT SUPPORTED", table.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void On_the_shipped_mpl_curves_nothing_is_withheld()
    {
        // A positive floor, and continuations and schedules past the runs' 24,000 steps: every loss given, as before.
        var rc = Cli.RunJson($"rank-continuation --law {laws.Mpl} --history {LawCliData.Curve("25", "cosine_24000")} --steps 2400 --rewarm 0 --decay constant,cosine --top 3 --json");
        Assert.Empty(rc["withheld"]!.AsArray());
        Assert.Empty(rc["warnings"]!.AsArray());
        Assert.False(rc["orderUnsupported"]!.GetValue<bool>());
        Assert.All(rc["candidates"]!.AsArray(), c => Assert.True(c!["predictedLoss"]!.GetValue<double>() > 0));
        Assert.NotNull(rc["historyLoss"]);

        var os = Cli.RunJson($"optimize-schedule --law {laws.Mpl} --steps 30000 --knots 4 --evaluations 50 --json");
        Assert.Empty(os["withheld"]!.AsArray());
        Assert.Empty(os["warnings"]!.AsArray());
        Assert.False(os["scheduleUnsupported"]!.GetValue<bool>());
        Assert.NotNull(os["predictedLoss"]);
        Assert.All(os["baselines"]!.AsArray(), b => Assert.NotNull(b!["gain"]));
    }
}
