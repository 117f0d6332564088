using HyperLaws.Planning;
using HyperLaws.Readers;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// The plan on the real MLflow file store of tests/HyperLaws.Readers.Tests/TestData/mlflow (a 3-step DeBERTa fine-tune logged by the
/// Hugging Face Trainer's MLflowCallback; its files state no tokens per step). Before <see cref="Planner.MaxLawSteps"/> its plan assumed
/// the runs' batch to be the Step Law fixed point for 3 steps (about 1.2 tokens), counted each of the plan's 12,520 steps of 79,872 tokens
/// as 6.0e4 steps of the runs (the critical batch) and built candidate histories of 7.5e8 steps: 22 GB before the OOM killer
/// (docs/VALIDATION.md, "Plans whose law horizon does not fit in memory"). It is now one line of bad input naming the runs' batch.
/// </summary>
public sealed class PlanLawHorizonTests
{
    private static string Store => Path.Combine(AppContext.BaseDirectory, "TestData", "mlflow", "deberta_mlruns");

    [Fact]
    public void The_reference_batch_of_the_three_step_run_is_assumed_below_one_token_per_two()
    {
        var runs = RunReader.ReadDirectory(Store).Runs;
        var run = Assert.Single(runs);
        Assert.Equal(3, run.Steps);
        var reference = RunReferences.Of(runs, 184e6, TrainingOptimizer.AdamW, null, PublishedAnchors.Primary);
        Assert.True(reference.TokensPerStepAssumed);
        Assert.InRange(reference.TokensPerStep, 0.5, 2);
    }

    [Fact]
    public void The_plan_whose_critical_batch_count_is_too_long_is_refused_naming_the_runs_batch()
    {
        var r = Cli.Run("plan", "--runs", Store, "--params", "184M", "--tokens", "1B", "--optimizer", "adamw", "--no-fit-cache", "--json",
            "--out", Path.Combine(Path.GetTempPath(), "hyperlaws-horizon-test"));
        string line = r.AssertUsageError();
        Assert.StartsWith("hyperlaws: error: --runs-batch-tokens: the plan's 12520 steps of 7.987E+04 tokens count as ", line, StringComparison.Ordinal);
        Assert.Contains(Planner.MaxLawSteps.ToString(System.Globalization.CultureInfo.InvariantCulture) + " steps a plan's law can be evaluated over", line, StringComparison.Ordinal);
        Assert.EndsWith("that batch is assumed (no run states its tokens per step); give the runs' batch.", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_of_more_steps_than_the_limit_is_refused_before_any_fit_naming_the_tokens()
    {
        // 1e12 tokens at a fixed batch of one 2048-token sequence: 488,281,250 plan steps (under LrSchedule.MaxSteps, over MaxLawSteps).
        var r = Cli.Run("plan", "--runs", Store, "--params", "184M", "--tokens", "1T", "--batch-tokens", "2048", "--no-fit-cache", "--json",
            "--out", Path.Combine(Path.GetTempPath(), "hyperlaws-horizon-test"));
        string line = r.AssertUsageError();
        Assert.StartsWith("hyperlaws: error: --tokens: the budget of 1E+12 tokens is 488281250 steps at the planned batch of 2048 tokens, more than the ", line, StringComparison.Ordinal);
    }
}
