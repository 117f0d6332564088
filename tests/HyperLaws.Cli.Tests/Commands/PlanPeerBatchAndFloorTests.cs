using System.Text.Json.Nodes;
using HyperLaws.Planning;
using HyperLaws.Readers;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// The plan on the real modded-nanogpt 124M AdamW logs (tests/HyperLaws.Readers.Tests/TestData/modded_nanogpt, MIT, its README):
/// the June 2024 baseline (llm.c's <c>train_gpt2.py</c> format, no settings printed) and the October 2024 optimizers record's Adam
/// run, whose script states 524,288 tokens per step; both imported with their schedules as benchmarks/foreign-usage/run.sh does.
/// (1) The reference run (the longer baseline) states no batch: the plan takes its peer's 524,288, said, and when the peers state
/// different batches it says so and assumes as before. (2) OptLaw fitted on these two runs at one peak LR has no physical floor
/// (L0 &lt; 0): the plan passes it over with its numbers and refits it with its floor bounded (docs/VALIDATION.md, "A physically
/// bounded fallback ...").
/// </summary>
public sealed class PlanPeerBatchAndFloorTests
{
    private static string Real(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "modded_nanogpt", name);

    /// <summary>The two runs imported into <paramref name="dir"/> (the schedules of run.sh's p14-adamw cell).</summary>
    private static void Import(string dir)
    {
        Assert.Equal(0, Cli.Run("import", Real("adamw_baseline.head.log"), "--schedule", "wsd(peak=0.0018,warmup=250,steps=9536,cooldownSteps=2000)",
            "--params", "124M", "--out", Path.Combine(dir, "adamw.csv")).ExitCode);
        Assert.Equal(0, Cli.Run("import", Real("optimizers_adam.head.txt"), "--schedule", "wsd(peak=0.0018,steps=5100,warmup=250,cooldownSteps=1450)",
            "--params", "124M", "--out", Path.Combine(dir, "adam.csv")).ExitCode);
    }

    [Fact]
    public void The_reference_without_a_batch_takes_the_batch_its_peers_state_and_says_so()
    {
        using var tmp = new TempDir();
        Import(tmp.Path);
        var runs = RunReader.ReadDirectory(tmp.Path).Runs;
        var reference = RunReferences.Of(runs, 124e6, TrainingOptimizer.AdamW, null, PublishedAnchors.Primary);
        Assert.Equal("adamw_baseline.head", reference.Run);
        Assert.False(reference.TokensPerStepAssumed);
        Assert.Equal(524288, reference.TokensPerStep);
        Assert.Equal(["optimizers_adam.head"], reference.TokensPerStepFrom);
        var decision = ScalingRules.Decide(new PlanRequest(124e6, 10e9, TrainingOptimizer.AdamW), reference, null, "none", PublishedAnchors.Primary);
        var w = Assert.Single(decision.Warnings, w => w.Kind == WarningKind.RunsBatchFromPeer);
        Assert.Equal(["adamw_baseline.head", "optimizers_adam.head"], w.Labels);
        Assert.Contains("taken as 5.243e5 tokens per step, what the other run(s) of its size state (optimizers_adam.head)", PlanExplainer.Warning(w), StringComparison.Ordinal);
        Assert.DoesNotContain(decision.Warnings, x => x.Kind == WarningKind.RunsBatchAssumed);

        // A given --runs-batch-tokens still comes first.
        Assert.Equal(393216, RunReferences.Of(runs, 124e6, TrainingOptimizer.AdamW, 393216, PublishedAnchors.Primary).TokensPerStep);
    }

    [Fact]
    public void Peers_stating_different_batches_are_said_and_the_batch_is_assumed_as_before()
    {
        using var tmp = new TempDir();
        Import(tmp.Path);
        // A third run of the same size whose file states another batch: the Adam run's file with its tokens_per_step line changed.
        string adam = File.ReadAllText(Path.Combine(tmp.Path, "adam.csv"));
        Assert.Contains("# tokens_per_step: 524288\n", adam, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(tmp.Path, "adam-b.csv"), adam.Replace("# tokens_per_step: 524288\n", "# tokens_per_step: 393216\n", StringComparison.Ordinal)
            .Replace("# name: optimizers_adam.head\n", "# name: adam-b\n", StringComparison.Ordinal));
        var runs = RunReader.ReadDirectory(tmp.Path).Runs;
        var reference = RunReferences.Of(runs, 124e6, TrainingOptimizer.AdamW, null, PublishedAnchors.Primary);
        Assert.True(reference.TokensPerStepAssumed);
        Assert.Empty(reference.TokensPerStepFrom);
        Assert.Equal([393216.0, 524288.0], reference.PeerBatches.Select(p => p.Tokens).Order());
        var decision = ScalingRules.Decide(new PlanRequest(124e6, 10e9, TrainingOptimizer.AdamW), reference, null, "none", PublishedAnchors.Primary);
        var w = Assert.Single(decision.Warnings, w => w.Kind == WarningKind.RunsBatchAssumed);
        string text = PlanExplainer.Warning(w);
        Assert.Contains("the other runs of that size state different batches (", text, StringComparison.Ordinal);
        Assert.Contains("3.932e5 (adam-b)", text, StringComparison.Ordinal);
        Assert.Contains("5.243e5 (optimizers_adam.head)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_two_run_optlaw_without_a_physical_floor_is_passed_over_for_its_bounded_refit()
    {
        using var tmp = new TempDir();
        string runsDir = Path.Combine(tmp.Path, "runs");
        Directory.CreateDirectory(runsDir);
        Import(runsDir);
        var r = Cli.Run("plan", "--runs", runsDir, "--params", "124M", "--tokens", "10B", "--optimizer", "adamw", "--laws", "optlaw",
            "--out", Path.Combine(tmp.Path, "plan"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var plan = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.Path, "plan", "plan.json")))!.AsObject();
        var warnings = plan["warnings"]!.AsArray();
        // The free fit (L0 < 0) is passed over for its reason, with its numbers; the only law given is refitted with its floor bounded.
        var passed = Assert.Single(warnings, w => (string)w!["kind"]! == "LawPassedOver")!;
        Assert.Equal(["optlaw", "optlaw", "floor"], passed["labels"]!.AsArray().Select(l => (string)l!));
        double l0 = passed["quantities"]!["L0"]!.GetValue<double>();
        Assert.True(l0 < 0, $"L0 = {l0}");
        var bounded = Assert.Single(warnings, w => (string)w!["kind"]! == "FloorBounded")!;
        Assert.Equal(l0, bounded["quantities"]!["freeL0"]!.GetValue<double>());
        Assert.True(bounded["quantities"]!["L0"]!.GetValue<double>() >= 0);
        Assert.Contains("was refitted with its floor L0 held to [0, ", (string)bounded["text"]!, StringComparison.Ordinal);
        // Its loss, when given, is physical and has no interval (the bounded floor is a prior); else it is withheld.
        if (plan["best"]!["predictedLoss"] is JsonValue loss)
        {
            Assert.True(loss.GetValue<double>() > 0);
            Assert.True(plan["lossTrusted"]!.GetValue<bool>());
            Assert.Null(plan["best"]!["interval"]?["lower"]);
        }
        else
        {
            Assert.False(plan["lossTrusted"]!.GetValue<bool>());
        }
        // The runs' batch is the peer's.
        Assert.Contains(warnings, w => (string)w!["kind"]! == "RunsBatchFromPeer");
    }
}
