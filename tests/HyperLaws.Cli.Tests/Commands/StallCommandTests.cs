using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary>
/// The stall check through the CLI (docs/VALIDATION.md, "Curves that stop improving"): <c>fit</c> on a run whose loss levels off in the
/// second half of its fitted steps warns, says so in its JSON ("stall", "warnings") and keeps the check in LAW.json; <c>predict</c>
/// then holds the run's recent level after its last fitted step (both forecasts in its JSON), or gives the law's own with
/// <c>--no-stall-check</c>; rank-continuation holds each continuation as predict holds the whole schedule; a run that still falls gets neither.
/// </summary>
public sealed class StallCommandTests
{
    private const string Schedule = "constant(peak=3e-4,steps=24000,warmup=500)";

    /// <summary>The first 12,000 steps of <see cref="Schedule"/>: what the run logged to 12,000 has trained.</summary>
    private const string Ran = "constant(peak=3e-4,steps=12000,warmup=500)";

    /// <summary>A run at a constant LR observed every 100 steps to 12,000: 3 + 2 / sqrt(t), held at its value at 6,000 after it when <paramref name="levels"/>.</summary>
    private static string Run(TempDir tmp, bool levels)
    {
        static double Falling(int t) => 3 + 2 / Math.Sqrt(t);
        var rows = Enumerable.Range(1, 120).Select(i => 100 * i)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t},{(levels && t > 6000 ? Falling(6000) + 2e-4 * (t / 100 % 2 == 0 ? 1 : -1) : Falling(t)):R},train"));
        string path = Path.Combine(tmp.Path, levels ? "levels.csv" : "falls.csv");
        File.WriteAllLines(path, ["# schedule: " + Schedule, "step,loss,split", .. rows]);
        return path;
    }

    [Fact]
    public void A_run_that_levels_off_is_flagged_by_fit_and_predict_holds_its_level()
    {
        using var tmp = new TempDir();
        string run = Run(tmp, levels: true), law = Path.Combine(tmp.Path, "LAW.json");
        var fit = Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law);
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        Assert.Single(fit.Stderr.Split('\n'), l => l.StartsWith("warning: tissue: levels has stopped improving", StringComparison.Ordinal)
            && l.EndsWith("; hyperlaws predict --no-stall-check keeps the law's own forecast.", StringComparison.Ordinal)); // fit has no such option
        var json = Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law, "--json").Json();
        var stall = Assert.Single(json["stall"]!.AsArray())!.AsObject();
        Assert.Equal("stall", (string?)stall["code"]);
        Assert.True((bool)stall["stalled"]!);
        Assert.Equal(12000, (int)stall["toStep"]!);
        Assert.Contains(json["warnings"]!.AsArray(), w => ((string?)w)!.Contains("stopped improving", StringComparison.Ordinal));
        Assert.Single(JsonNode.Parse(File.ReadAllText(law))!["stall"]!.AsArray());
        double level = stall["level"]!.GetValue<double>();
        Assert.InRange(level, 3 + 2 / Math.Sqrt(6000) - 1e-3, 3 + 2 / Math.Sqrt(6000) + 1e-3);

        var held = Cli.Run("predict", "--law", law, "--schedule", Schedule, "--steps", "6000,24000", "--json").Json();
        Assert.True((bool)held["held"]!);
        var loss = held["loss"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();
        var own = held["lawLoss"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();
        Assert.Equal(own[0], loss[0]);                              // within the fitted steps: the law
        Assert.Equal(level, loss[1]);                               // after them: the recent level
        Assert.True(own[1] < level);                                // the law's own forecast falls further
        Assert.Contains(held["warnings"]!.AsArray(), w => ((string?)w)!.Contains("stopped improving", StringComparison.Ordinal)
            && ((string?)w)!.Contains("--no-stall-check keeps the law's own forecast", StringComparison.Ordinal));

        var off = Cli.Run("predict", "--law", law, "--schedule", Schedule, "--steps", "6000,24000", "--no-stall-check", "--json").Json();
        Assert.False((bool)off["held"]!);
        Assert.Equal(own[1], off["loss"]!.AsArray()[1]!.GetValue<double>());
        Assert.Contains(off["warnings"]!.AsArray(), w => ((string?)w)!.Contains("--no-stall-check: this forecast is the law's own", StringComparison.Ordinal)
            && !((string?)w)!.Contains("--no-stall-check keeps", StringComparison.Ordinal));
    }

    [Fact]
    public void A_law_of_several_runs_names_no_option_to_keep_a_forecast_it_never_holds()
    {
        // The review of helper cleanup: with the check on, a law fitted on several runs said "...; --no-stall-check keeps the law's own
        // forecast; the law was fitted on several runs, so this forecast is the law's own". Neither fit nor predict names the option then.
        using var tmp = new TempDir();
        string levels = Run(tmp, levels: true), falls = Run(tmp, levels: false), law = Path.Combine(tmp.Path, "LAW.json");
        var fit = Cli.Run("fit", "--law", "tissue", "--runs", levels, falls, "--out", law, "--json").Json();
        var stalled = Assert.Single(fit["warnings"]!.AsArray(), w => ((string?)w)!.Contains("stopped improving", StringComparison.Ordinal));
        Assert.DoesNotContain("--no-stall-check", (string?)stalled, StringComparison.Ordinal);
        var predict = Cli.Run("predict", "--law", law, "--schedule", Schedule, "--steps", "6000,24000", "--json").Json();
        Assert.False((bool)predict["held"]!);
        var line = (string?)Assert.Single(predict["warnings"]!.AsArray(), w => ((string?)w)!.Contains("stopped improving", StringComparison.Ordinal));
        Assert.Contains("the law was fitted on several runs, so this forecast is the law's own", line, StringComparison.Ordinal);
        Assert.DoesNotContain("--no-stall-check", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_commands_that_print_the_laws_own_losses_say_the_run_stalled_and_what_predict_holds()
    {
        // The audit: rank, optimize-schedule and contour on a stalled law printed the law's value without a word (rank-continuation
        // now holds it: the test below). Each says why it does not hold: its candidates are new runs, not the stalled run continued.
        using var tmp = new TempDir();
        string run = Run(tmp, levels: true), law = Path.Combine(tmp.Path, "LAW.json");
        Assert.Equal(0, Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law).ExitCode);
        static bool Says(JsonNode? w, string command) => ((string?)w)!.Contains("stopped improving", StringComparison.Ordinal)
            && ((string?)w)!.Contains($": {command} gives the law's own losses", StringComparison.Ordinal)
            && ((string?)w)!.Contains("predict holds this run's forecast after step 12000", StringComparison.Ordinal)
            && ((string?)w)!.Contains("not held here: the candidates are new runs from step 0", StringComparison.Ordinal);
        var rank = Cli.Run("rank", "--law", law, "--steps", "24000", "--families", "constant", "--peaks", "3e-4", "--warmups", "500", "--json").Json();
        Assert.Single(rank["warnings"]!.AsArray(), w => Says(w, "rank"));
        var opt = Cli.Run("optimize-schedule", "--law", law, "--steps", "3000", "--peak", "3e-4", "--warmup", "100", "--knots", "6", "--evaluations", "50", "--json").Json();
        Assert.Single(opt["warnings"]!.AsArray(), w => Says(w, "optimize-schedule"));
        var contour = Cli.Run("contour", "--law", law, "--steps", "24000", "--peaks", "1e-4:1e-3:3", "--warmups", "0.01:0.1:3", "--out", Path.Combine(tmp.Path, "c"), "--json").Json();
        Assert.Single(contour["notes"]!.AsArray(), w => Says(w, "contour"));
        // A run that still falls: no such warning.
        string falls = Run(tmp, levels: false), fallsLaw = Path.Combine(tmp.Path, "FALLS.json");
        Assert.Equal(0, Cli.Run("fit", "--law", "tissue", "--runs", falls, "--out", fallsLaw).ExitCode);
        var fine = Cli.Run("rank", "--law", fallsLaw, "--steps", "24000", "--families", "constant", "--peaks", "3e-4", "--warmups", "500", "--json").Json();
        Assert.DoesNotContain(fine["warnings"]!.AsArray(), w => ((string?)w)!.Contains("stopped improving", StringComparison.Ordinal));
    }

    [Fact]
    public void Rank_continuation_holds_each_continuation_as_predict_holds_the_whole_schedule()
    {
        // The run levels off after step 6,000 of its 12,000 logged; its log ends at half its 24,000-step schedule, so the history is the
        // 12,000 steps it ran (Ran), continued 12,000 steps.
        using var tmp = new TempDir();
        string run = Run(tmp, levels: true), law = Path.Combine(tmp.Path, "LAW.json");
        Assert.Equal(0, Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law).ExitCode);
        double level = JsonNode.Parse(File.ReadAllText(law))!["stall"]![0]!["level"]!.GetValue<double>();
        string[] grid = ["rank-continuation", "--law", law, "--history", run, "--steps", "12000", "--rewarm", "0", "--peaks", "3e-5,3e-4", "--decay", "constant,cosine", "--json"];
        string[] With(params string[] extra) => [.. grid, .. extra];
        static double[] Of(JsonNode json, string field) => [.. json["candidates"]!.AsArray().Select(c => c![field]!.GetValue<double>())];
        double Predict(string next, string hold, out double own)
        {
            var p = Cli.Run("predict", "--law", law, "--schedule", $"continued(previous={Ran},next={next},rewarmFrom=zero)", "--steps", "24000", "--stall-hold", hold, "--json").Json();
            Assert.True((bool)p["held"]!);
            own = p["lawLoss"]!.AsArray()[^1]!.GetValue<double>();
            return p["finalLoss"]!.GetValue<double>();
        }

        // The level hold (the default): every continuation and the history's end hold the level, in the law's order, and say so.
        var flat = Cli.Run(grid).Json();
        Assert.True((bool)flat["held"]!);
        Assert.True((bool)Assert.Single(flat["stall"]!.AsArray())!["stalled"]!);
        Assert.All(Of(flat, "predictedLoss"), x => Assert.Equal(level, x));
        Assert.Contains(flat["warnings"]!.AsArray(), w => ((string?)w)!.Contains("its schedule has 24000 steps but its log ends at step 12000", StringComparison.Ordinal));
        // The history's end is its last fitted step: the law's own loss there, as predict gives it within the fitted steps.
        var atEnd = Cli.Run("predict", "--law", law, "--schedule", Schedule, "--steps", "12000", "--json").Json();
        Assert.Equal(atEnd["loss"]![0]!.GetValue<double>(), flat["historyLoss"]!.GetValue<double>());
        double[] lawOwn = Of(flat, "lawLoss");
        Assert.Equal(lawOwn.Order(), lawOwn);
        Assert.All(lawOwn, x => Assert.True(x < level));
        string first = (string)flat["candidates"]![0]!["next"]!;
        Assert.Equal(level, Predict(first, "level", out double ownFirst));
        Assert.Equal(lawOwn[0], ownFirst);
        Assert.Contains(flat["warnings"]!.AsArray(), w => ((string?)w)!.Contains("holds the recent level", StringComparison.Ordinal));
        Assert.Contains(flat["warnings"]!.AsArray(), w => ((string?)w)!.Contains("4 of 4 continuations hold the same level", StringComparison.Ordinal));

        // The progress hold: each continuation's loss is predict's on its whole schedule (to the bit), ranked by it.
        var progress = Cli.Run(With("--stall-hold", "progress")).Json();
        double[] held = Of(progress, "predictedLoss"), own = Of(progress, "lawLoss");
        Assert.Equal(held.Order(), held);
        var next = progress["candidates"]!.AsArray().Select(c => (string)c!["next"]!).ToArray();
        for (int i = 0; i < next.Length; i++)
        {
            Assert.Equal(held[i], Predict(next[i], "progress", out double o));
            Assert.Equal(own[i], o);
        }
        Assert.Contains(next, n => n.StartsWith("cosine", StringComparison.Ordinal) && held[Array.IndexOf(next, n)] < level);   // a decay's drop kept

        // --no-stall-check: the law's own losses; both options together: refused.
        var off = Cli.Run(With("--no-stall-check")).Json();
        Assert.False((bool)off["held"]!);
        Assert.Equal(Of(off, "predictedLoss"), Of(off, "lawLoss"));
        Assert.Equal(lawOwn.Order(), Of(off, "predictedLoss").Order());
        // The history not the stalled run (another run's file, a schedule spec): nothing held, the law's own losses, and why.
        string falls = Run(tmp, levels: false);
        foreach (string other in new[] { falls, Ran })
        {
            string[] args = [.. grid];
            args[Array.IndexOf(args, run)] = other;
            var notHeld = Cli.Run(args).Json();
            Assert.False((bool)notHeld["held"]!);
            Assert.Equal(lawOwn, Of(notHeld, "predictedLoss"));
            Assert.Equal(Of(notHeld, "predictedLoss"), Of(notHeld, "lawLoss"));
            Assert.NotEqual(level, notHeld["historyLoss"]!.GetValue<double>());
            Assert.Contains(notHeld["warnings"]!.AsArray(), w => ((string?)w)!.Contains("--history is not the stalled run levels", StringComparison.Ordinal));
        }
        var both = Cli.Run(With("--no-stall-check", "--stall-hold", "level"));
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--stall-hold and --no-stall-check exclude each other", both.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Rank_continuation_counts_a_non_physical_law_loss_before_the_hold()
    {
        // Fitted freely at one constant LR, the law's decay drop is free: a 10x peak's decays are predicted a loss <= 0. The held level
        // (positive) must not hide it: counted on the law's own losses, ranked last, the law's value not given.
        using var tmp = new TempDir();
        string run = Run(tmp, levels: true), law = Path.Combine(tmp.Path, "LAW.json");
        Assert.Equal(0, Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law, "--no-priors").ExitCode);
        var json = Cli.Run("rank-continuation", "--law", law, "--history", run, "--steps", "12000", "--rewarm", "0", "--peaks", "3e-4,3e-3", "--decay", "constant,cosine,linear", "--json").Json();
        Assert.True((bool)json["held"]!);
        Assert.Contains(json["warnings"]!.AsArray(), w => ((string?)w)!.Contains("2 of 6 continuations are predicted a non-physical loss", StringComparison.Ordinal));
        var own = json["candidates"]!.AsArray().Select(c => c!["lawLoss"]).ToArray();
        Assert.Equal(6, own.Length);
        Assert.All(own[..4], o => Assert.NotNull(o));
        Assert.All(own[4..], o => Assert.Null(o));
        Assert.All(json["candidates"]!.AsArray().Skip(4), c => Assert.Contains("peak=0.003", (string)c!["next"]!, StringComparison.Ordinal));
    }

    [Fact]
    public void Predict_with_the_progress_hold_keeps_a_later_cooldowns_drop_and_is_the_level_at_a_constant_LR()
    {
        using var tmp = new TempDir();
        string run = Run(tmp, levels: true), law = Path.Combine(tmp.Path, "LAW.json");
        Assert.Equal(0, Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law).ExitCode);
        double level = JsonNode.Parse(File.ReadAllText(law))!["stall"]![0]!["level"]!.GetValue<double>();
        double[] Loss(JsonNode json) => [.. json["loss"]!.AsArray().Select(x => x!.GetValue<double>())];
        // The fitted run's schedule, continued: the progress hold is the level hold exactly.
        var constant = Cli.Run("predict", "--law", law, "--schedule", Schedule, "--steps", "18000,24000", "--stall-hold", "progress", "--json").Json();
        Assert.Equal([level, level], Loss(constant));
        // The same warmup and LR, then a cooldown over the last 20%: at 18,000 (before it) the level; at 24,000 the law's annealing drop
        // below it, and not the law's further progress (above the law's own forecast).
        const string wsd = "wsd(peak=3e-4,warmup=500,steps=24000,cooldown=0.2,shape=linear,floor=3e-5)";
        var cooled = Cli.Run("predict", "--law", law, "--schedule", wsd, "--steps", "18000,24000", "--stall-hold", "progress", "--json").Json();
        double[] loss = Loss(cooled), own = [.. cooled["lawLoss"]!.AsArray().Select(x => x!.GetValue<double>())];
        Assert.Equal(level, loss[0]);
        Assert.True(loss[1] < level && loss[1] > own[1], $"{loss[1]} against the level {level} and the law's {own[1]}");
        Assert.Contains(cooled["warnings"]!.AsArray(), w => ((string?)w)!.Contains("holds its progress", StringComparison.Ordinal));
        var flat = Cli.Run("predict", "--law", law, "--schedule", wsd, "--steps", "18000,24000", "--stall-hold", "level", "--json").Json();
        Assert.Equal([level, level], Loss(flat));
    }

    [Fact]
    public void Stall_hold_is_refused_outside_the_cross_data_protocols_and_with_no_stall_check()
    {
        var r = Cli.Run("validate", "--protocol", "1", "--stall-hold", "progress");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--stall-hold applies to the cross-data protocols", r.Stderr, StringComparison.Ordinal);
        var both = Cli.Run("validate", "--protocol", "16", "--stall-hold", "level", "--no-stall-check");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--stall-hold and --no-stall-check exclude each other", both.Stderr, StringComparison.Ordinal);
        var bad = Cli.Run("validate", "--protocol", "16", "--stall-hold", "flat");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--stall-hold", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_still_falls_is_not_flagged()
    {
        using var tmp = new TempDir();
        string run = Run(tmp, levels: false), law = Path.Combine(tmp.Path, "LAW.json");
        var json = Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law, "--json").Json();
        Assert.False((bool)Assert.Single(json["stall"]!.AsArray())!["stalled"]!);
        Assert.DoesNotContain(json["warnings"]!.AsArray(), w => ((string?)w)!.Contains("stopped improving", StringComparison.Ordinal));
        Assert.Null(JsonNode.Parse(File.ReadAllText(law))!["stall"]);
        var predicted = Cli.Run("predict", "--law", law, "--schedule", Schedule, "--steps", "24000", "--json").Json();
        Assert.False((bool)predicted["held"]!);
    }

    [Fact]
    public void No_stall_check_is_refused_outside_the_cross_data_protocols()
    {
        var r = Cli.Run("validate", "--protocol", "1", "--no-stall-check");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--no-stall-check applies to the cross-data protocols", r.Stderr, StringComparison.Ordinal);
    }
}
