using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Plan;
using HyperLaws.Cli.Output;
using HyperLaws.Laws.Joint;
using HyperLaws.Planning;
using Xunit;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary>
/// <c>plan --divergence-risk Q</c> and <c>plan --joint-noise-power default|1</c> (issue 10, helper planflags) reach the planner
/// (<see cref="PlanOptions.DivergenceRisk"/>, <see cref="PlanOptions.Joint"/>): on <see cref="PlanRuns"/>' six runs with a divergence model
/// whose eta_crit (2e-4, slope 4, nothing else) lies under the runs' peaks, the guard holds the plan's peak where P(diverge) reaches Q, so
/// the peak moves with Q (eta_crit exp(logit(Q) / 4)) and the console says at which level; the joint law fitted with p = 1 is another
/// plan than with its default powers on these runs (two peaks each decayed to a tenth identify both powers).
/// </summary>
[Collection(PlanRuns.Collection)]
public sealed class PlanGuardAndNoiseOptionTests(PlanRuns runs)
{
    /// <summary>ln eta_crit = ln 2e-4 whatever N, batch, tokens and warmup; P(diverge) = sigmoid(4 ln(peak / eta_crit)).</summary>
    private static readonly string Model = new JsonObject
    {
        ["format"] = "hyperlaws-divergence",
        ["version"] = 2,
        ["boundary"] = new JsonObject
        {
            ["A"] = Math.Log(2e-4), ["B"] = 0, ["C"] = 0, ["E"] = 0, ["W"] = 0, ["slope"] = 4,
            ["nRef"] = 1e8, ["batchTokensRef"] = 1e6, ["tokensRef"] = 1e10, ["warmupRef"] = 1000,
        },
    }.ToJsonString();

    private static PlanSettings Bind(params string[] more)
    {
        var command = new PlanCommand();
        return command.Bind(command.Build(new CliIo(TextWriter.Null, TextWriter.Null)).Parse(["--params", "1B", "--tokens", "10B", .. more]));
    }

    [Fact]
    public void The_options_reach_the_plans_options_and_default_to_the_cores()
    {
        var defaults = Bind();
        Assert.Equal(PlanOptions.StatedDivergenceRisk, defaults.Options.DivergenceRisk);
        Assert.True(Same(new JointFitOptions(), defaults.Options.Joint));
        Assert.Equal(0.1, Bind("--divergence-risk", "0.1").Options.DivergenceRisk);
        Assert.Equal(0.5, Bind("--divergence-risk", "0.5").Options.DivergenceRisk);
        Assert.True(Same(new JointFitOptions(), Bind("--joint-noise-power", "DEFAULT").Options.Joint));
        // p = 1 as validate --joint-noise-power 1 sets it: one power, nothing fitted, free lag weights.
        var one = Bind("--joint-noise-power", "1").Options.Joint;
        Assert.Equal([1.0], one.NoisePowers);
        Assert.False(one.NoisePowersWhereIdentified || one.IdentifiedNoisePower || one.PeakNoisePower || one.FitNoisePower || one.NoiseLagPrior || one.EffectiveStepClock);
        Assert.True(Same(new JointFitOptions() with { NoisePowersWhereIdentified = false, NoiseLagPrior = false }, one));
        Assert.Same(JointFitOptions.PowerOne, one);
        // The shared plan (the shipped prior, no option): the guard's level is the stated one.
        Assert.Equal(PlanOptions.StatedDivergenceRisk, Divergence(runs.Result.Json())["quantities"]!["risk"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("--divergence-risk", "0.3", "--no-divergence", "--no-divergence")]
    [InlineData("--divergence-risk", "0.3", "--optimizer", "muon")]
    public void A_risk_level_no_guard_reads_is_refused(string option, string value, string other, string otherValue)
    {
        string outDir = Path.Combine(runs.Root, "never-" + Guid.NewGuid().ToString("N"));
        string[] given = other == "--no-divergence" ? [option, value, other] : [option, value, other, otherValue];
        string line = Cli.Run([.. runs.Args(given), "--out", outDir, "--quiet"]).AssertUsageError();
        Assert.StartsWith("hyperlaws: error: --divergence-risk: ", line, StringComparison.Ordinal);
        Assert.Contains(other == "--no-divergence" ? "--no-divergence" : "runs' evidence", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void The_guards_level_moves_the_peak_it_holds_and_the_console_says_the_level()
    {
        string model = Path.Combine(runs.Root, "edge-2e-4.json");
        File.WriteAllText(model, Model);
        (JsonObject Plan, string Console) At(double q)
        {
            string outDir = Path.Combine(runs.Root, FormattableString.Invariant($"risk-{q}"));
            var r = Cli.Run([.. runs.Args("--divergence", model, "--divergence-risk", q.ToString("R", CultureInfo.InvariantCulture)), "--quiet", "--out", outDir]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            return ((JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "plan.json")))!, r.Stdout);
        }
        var (boundary, boundaryText) = At(0.5);
        var (low, lowText) = At(0.1);
        foreach (var (plan, q) in new[] { (boundary, 0.5), (low, 0.1) })
        {
            Assert.Equal("Divergence", (string)plan["decisions"]!["peakLr"]!["guard"]!["kind"]!);
            Assert.Equal(q, Divergence(plan)["quantities"]!["risk"]!.GetValue<double>());
            double p = plan["best"]!["divergenceProbability"]!.GetValue<double>();
            Assert.InRange(p, q - 0.02, q);
            Assert.False(plan["best"]!["diverges"]!.GetValue<bool>());
        }
        // eta_crit x exp(logit(0.1) / 4) against eta_crit itself: 9^(-1/4), to the shapes' 3 significant digits.
        double ratio = Peak(low) / Peak(boundary);
        Assert.InRange(ratio, Math.Pow(9, -0.25) * 0.99, Math.Pow(9, -0.25) * 1.01);
        Assert.InRange(Peak(boundary), 1.99e-4, 2e-4);
        // The console says which level held the peak: the boundary's words at 0.5, the level at 0.1.
        string Flat(string s) => string.Join(' ', s.Split((char[])['\n', '│', ' '], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("guard: the highest peak that trains", Flat(boundaryText), StringComparison.Ordinal);
        Assert.Contains("guard: the highest peak with P(diverge) under 0.1", Flat(lowText), StringComparison.Ordinal);
        Assert.Contains("the guard's level 0.1", Flat(lowText), StringComparison.Ordinal);
    }

    [Fact]
    public void The_joint_noise_power_reaches_the_joint_law_of_the_plan()
    {
        JsonObject Plan(string power)
        {
            var r = Cli.Run([.. runs.Args("--laws", "joint", "--joint-noise-power", power, "--no-fit-cache"), "--json", "--out", Path.Combine(runs.Root, "joint-" + power)]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            return r.Json();
        }
        var (lagDefault, one) = (Plan("default"), Plan("1"));
        Assert.Equal("joint", (string)lagDefault["law"]!);
        Assert.Equal("joint", (string)one["law"]!);
        // Two peaks (1e-3, 2e-3) each decayed to a tenth: the default fits both noise powers and the lag prior, p = 1 does not, so the
        // joint law's held-out error (and the plan it makes) differs; the command recorded says which.
        static double Error(JsonObject plan) => plan["accuracy"]!.AsArray().Single(a => (string)a!["law"]! == "joint")!["finalError"]!.GetValue<double>();
        Assert.NotEqual(Error(lagDefault), Error(one));
        // The plan's own (final) fit of the joint law, not only the held-out check, sees the option: another predicted loss.
        Assert.NotEqual(lagDefault["best"]!["predictedLoss"]!.GetValue<double>(), one["best"]!["predictedLoss"]!.GetValue<double>());
        Assert.Contains("--joint-noise-power 1", (string)one["provenance"]!["command"]!, StringComparison.Ordinal);
    }

    /// <summary>The same options: every member equal, the noise powers (a list, compared by reference in the record's equality) by value.</summary>
    private static bool Same(JointFitOptions a, JointFitOptions b) => a with { NoisePowers = b.NoisePowers } == b && a.NoisePowers.SequenceEqual(b.NoisePowers);

    private static JsonNode Divergence(JsonObject plan) => plan["reasons"]!.AsArray().Single(r => (string)r!["kind"]! == "Divergence")!;

    private static double Peak(JsonObject plan) => plan["best"]!["peak"]!.GetValue<double>();
}
