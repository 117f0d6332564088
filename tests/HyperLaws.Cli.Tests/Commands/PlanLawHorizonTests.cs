using HyperLaws.Planning;
using HyperLaws.Readers;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// The plan on the real MLflow file store of tests/HyperLaws.Readers.Tests/TestData/mlflow (a 3-step DeBERTa fine-tune logged by the
/// Hugging Face Trainer's MLflowCallback; its files state no tokens per step). Before any limit on the law's horizon (now <see cref="Planner.MaxLawSteps"/>, from the memory available) its plan assumed
/// the runs' batch to be the Step Law fixed point for 3 steps (about 1.2 tokens), counted each of the plan's 12,520 steps of 79,872 tokens
/// as 6.0e4 steps of the runs (the critical batch) and built candidate histories of 7.5e8 steps: 22 GB before the OOM killer
/// (docs/VALIDATION.md, "Plans whose law horizon does not fit in memory"). It is now one line of bad input naming the runs' batch.
/// </summary>
public sealed class PlanLawHorizonTests
{
    private static string Store => Path.Combine(AppContext.BaseDirectory, "TestData", "mlflow", "deberta_mlruns");

    [Fact]
    public void The_reference_batch_of_the_three_step_run_is_assumed_between_half_a_token_and_two()
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
        Assert.Contains(" steps a plan's law can be evaluated over in the memory available (", line, StringComparison.Ordinal);
        Assert.EndsWith("that batch is assumed (no run states its tokens per step) and below one sequence of 2048 tokens; give the runs' batch.", line, StringComparison.Ordinal);
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

    [Fact]
    public void A_critical_batch_count_too_long_at_a_stated_runs_batch_names_the_tokens_and_the_step_count()
    {
        // The runs' batch given (2048 tokens, one sequence): 1e15 tokens at 1e9 per step are 1e6 plan steps, each w ~ 4e5 steps of the
        // runs by protocol 5's critical batch: ~4e11 steps, beyond any machine's memory at Planner.BytesPerLawStep.
        var r = Cli.Run("plan", "--runs", Store, "--params", "184M", "--tokens", "1e15", "--batch-tokens", "1e9", "--runs-batch-tokens", "2048",
            "--no-fit-cache", "--json", "--out", Path.Combine(Path.GetTempPath(), "hyperlaws-horizon-test"));
        string line = r.AssertUsageError();
        Assert.StartsWith("hyperlaws: error: --tokens: the plan's ", line, StringComparison.Ordinal);
        Assert.EndsWith("plan fewer tokens, a larger batch, or count a plan step as one step of the runs (--batch-steps steps).", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_critical_batch_count_is_refused_before_any_law_is_fitted()
    {
        var runs = RunReader.ReadDirectory(Store).Runs;
        var progress = new List<string>();
        var request = new PlanRequest(184e6, 1e15, TrainingOptimizer.AdamW) { BatchTokens = 1e9 };
        var e = Assert.Throws<ArgumentException>(() => Planner.Make(request, runs, new PlanOptions { RunsTokensPerStep = 2048, FitCache = null, Progress = progress.Add }));
        Assert.Equal(nameof(PlanRequest.Tokens), e.Data[nameof(PlanRequest)]);
        Assert.Equal(nameof(BatchSteps.Steps), e.Data[nameof(BatchSteps)]);
        Assert.Null(e.Data[nameof(PlanOptions)]);
        Assert.DoesNotContain(progress, m => m.Contains("fitting", StringComparison.Ordinal));
        // The same plan counting a plan step as one step of the runs is within the limit (1e6 steps): not refused by the horizon.
        Assert.True(1e6 < Planner.MaxLawSteps);
    }
}
