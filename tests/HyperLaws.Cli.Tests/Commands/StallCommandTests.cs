using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary>
/// The stall check through the CLI (docs/VALIDATION.md, "Curves that stop improving"): <c>fit</c> on a run whose loss levels off in the
/// second half of its fitted steps warns, says so in its JSON ("stall", "warnings") and keeps the check in LAW.json; <c>predict</c>
/// then holds the run's recent level after its last fitted step (both forecasts in its JSON), or gives the law's own with
/// <c>--no-stall-check</c>; a run that still falls gets neither.
/// </summary>
public sealed class StallCommandTests
{
    private const string Schedule = "constant(peak=3e-4,steps=24000,warmup=500)";

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
        Assert.Single(fit.Stderr.Split('\n'), l => l.StartsWith("warning: tissue: levels has stopped improving", StringComparison.Ordinal));
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
        Assert.Contains(held["warnings"]!.AsArray(), w => ((string?)w)!.Contains("stopped improving", StringComparison.Ordinal));

        var off = Cli.Run("predict", "--law", law, "--schedule", Schedule, "--steps", "6000,24000", "--no-stall-check", "--json").Json();
        Assert.False((bool)off["held"]!);
        Assert.Equal(own[1], off["loss"]!.AsArray()[1]!.GetValue<double>());
        Assert.Contains(off["warnings"]!.AsArray(), w => ((string?)w)!.Contains("--no-stall-check: this forecast is the law's own", StringComparison.Ordinal));
    }

    [Fact]
    public void The_commands_that_print_the_laws_own_losses_say_the_run_stalled_and_what_predict_holds()
    {
        // The audit: rank, rank-continuation, optimize-schedule and contour on a stalled law printed the law's value without a word.
        using var tmp = new TempDir();
        string run = Run(tmp, levels: true), law = Path.Combine(tmp.Path, "LAW.json");
        Assert.Equal(0, Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law).ExitCode);
        static bool Says(JsonNode? w, string command) => ((string?)w)!.Contains("stopped improving", StringComparison.Ordinal)
            && ((string?)w)!.Contains($": {command} gives the law's own losses", StringComparison.Ordinal)
            && ((string?)w)!.Contains("predict holds this run's forecast after step 12000", StringComparison.Ordinal);
        var rank = Cli.Run("rank", "--law", law, "--steps", "24000", "--families", "constant", "--peaks", "3e-4", "--warmups", "500", "--json").Json();
        Assert.Single(rank["warnings"]!.AsArray(), w => Says(w, "rank"));
        var cont = Cli.Run("rank-continuation", "--law", law, "--history", Schedule, "--steps", "12000", "--json").Json();
        Assert.Single(cont["warnings"]!.AsArray(), w => Says(w, "rank-continuation"));
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
