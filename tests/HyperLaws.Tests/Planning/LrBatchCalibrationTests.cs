using HyperLaws.Optimum;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using HyperLaws.Theory;
using Xunit;

namespace HyperLaws.Tests.Planning;

public sealed class LrBatchCalibrationTests
{
    private const double Top = 1 << 30, Lr0 = 3e-3, B0 = 45000;
    private static readonly double[] Batches = [16384, 32768, 65536];

    /// <summary>
    /// Finished runs at budgets 2^k tokens (k in <paramref name="log2Budgets"/>), 5 peak LRs x 3 batches each, whose final loss
    /// is a bowl in (ln LR, ln B) centred at LR* = 3e-3 (D/2^30)^-0.25 and B* = 45000 (D/2^30)^<paramref name="batchExponent"/>.
    /// </summary>
    private static List<TrainingRun> Sweep(int[] log2Budgets, double batchExponent, int lrs = 5, double[]? batches = null)
    {
        var runs = new List<TrainingRun>();
        foreach (int k in log2Budgets)
        {
            double d = Math.Pow(2, k), lnLr = Math.Log(Lr0) - 0.25 * Math.Log(d / Top), lnB = Math.Log(B0) + batchExponent * Math.Log(d / Top);
            foreach (double b in batches ?? Batches)
                for (int i = 0; i < lrs; i++)
                {
                    // Off-grid: the optimum sits between the sampled LRs.
                    double lr = Math.Exp(lnLr) * 1.1 * Math.Pow(2, (i - (lrs - 1) / 2.0) / 2);
                    runs.Add(SyntheticRuns.SweepRun(lr, b, (int)(d / b), Bowl(Math.Log(lr) - lnLr, Math.Log(b) - lnB)));
                }
        }
        return runs;
    }

    private static double Bowl(double dx, double dy) => 2 + 0.01 * dx * dx + 0.004 * dx * dy + 0.006 * dy * dy;

    [Fact]
    public void Three_budgets_recover_the_optimum_and_both_exponents()
    {
        var runs = Sweep([26, 28, 30], 0.3);
        var c = LrBatchCalibration.TryFit(runs, SyntheticRuns.N, out string why);
        Assert.NotNull(c);
        Assert.Equal("", why);
        Assert.Equal(1, c.Tokens0 / Top, 12);
        Assert.Equal(1, c.LearningRate0 / Lr0, 8);
        Assert.Equal(1, c.BatchTokens0 / B0, 8);
        Assert.Equal(-0.25, c.LearningRateExponent!.Value, 8);
        Assert.Equal(0.3, c.BatchExponent!.Value, 8);
        Assert.Equal(3, c.Optima.Count);
        Assert.All(c.Optima, o => Assert.Equal("quadratic", o.Method));
        Assert.Equal(45, c.Runs);
        Assert.Equal([1 << 26, 1 << 28, 1 << 30], c.Optima.Select(o => Math.Round(o.D)));
    }

    [Fact]
    public void Interior_optima_are_not_edges_and_an_optimum_at_the_highest_lr_tried_is()
    {
        Assert.Empty(LrBatchCalibration.TryFit(Sweep([26, 28, 30], 0.3), SyntheticRuns.N, out _)!.EdgeBudgets);

        // At 2^28 tokens only LRs below the optimum are tried: the best of them is the highest, an edge.
        var runs = Sweep([26, 30], 0.3);
        double d = Math.Pow(2, 28), lnLr = Math.Log(Lr0) - 0.25 * Math.Log(d / Top);
        foreach (double f in new[] { 0.125, 0.25, 0.5 })
            runs.Add(SyntheticRuns.SweepRun(Math.Exp(lnLr) * f, B0, (int)(d / B0), Bowl(Math.Log(f), 0)));
        var c = LrBatchCalibration.TryFit(runs, SyntheticRuns.N, out _)!;
        Assert.Equal(1, Assert.Single(c.EdgeBudgets) / d, 3); // the budget is whole steps of B0 tokens
        var decision = ScalingRules.Decide(new PlanRequest(SyntheticRuns.N, 4 * Top, TrainingOptimizer.AdamW),
            RunReferences.Of(runs, SyntheticRuns.N, TrainingOptimizer.AdamW, null, HyperLaws.Optimum.StepLawRule.Instance) with
            {
                PeakLearningRate = c.LearningRate0, TokensPerStep = c.BatchTokens0, Steps = (int)Math.Round(c.Tokens0 / c.BatchTokens0),
            }, c, null, HyperLaws.Optimum.StepLawRule.Instance);
        var edge = Assert.Single(decision.Warnings, w => w.Kind == WarningKind.CalibrationAtEdge);
        Assert.Equal(c.EdgeBudgets, edge.Values);
        Assert.Contains("the optimum may lie beyond", PlanExplainer.Warning(edge), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_of_another_schedule_shape_is_not_a_point_of_the_lr_curve()
    {
        var runs = Sweep([26, 28, 30], 0.3);
        int steps = (int)(Top / B0);
        // A cosine run at 4x the optimum LR with the lowest loss of all: a different shape, so it must not move the optimum.
        var cosine = new CosineSchedule(4 * Lr0, steps, 0).Evaluate();
        runs.Add(new TrainingRun(new RunMetadata("cosine") { Parameters = SyntheticRuns.N, TokensPerStep = B0 }, cosine, [new LossObservation(steps, 1.0)]));
        var c = LrBatchCalibration.TryFit(runs, SyntheticRuns.N, out _)!;
        Assert.Equal(1, c.LearningRate0 / Lr0, 8);
        Assert.Equal(45, c.Runs);
        Assert.NotEqual(LrBatchCalibration.ShapeOf(cosine), LrBatchCalibration.ShapeOf(runs[0].LearningRates));
        // Warmups shorter than 30% of the run do not change the shape.
        Assert.Equal(LrBatchCalibration.ShapeOf(new ConstantSchedule(1, 1000, 250).Evaluate()), LrBatchCalibration.ShapeOf(new ConstantSchedule(1, 400, 0).Evaluate()));
    }

    [Fact]
    public void Runs_of_other_sizes_that_diverged_or_stopped_early_are_left_out()
    {
        var runs = Sweep([28, 30], 0.3);
        // Spoilers that would move the optimum if they counted: a better loss at a far LR.
        runs.Add(SyntheticRuns.SweepRun(1e-1, 32768, (1 << 30) / 32768, 1.0, n: 1e9));
        runs.Add(SyntheticRuns.SweepRun(1e-1, 32768, (1 << 30) / 32768, 1.0) with { Diverged = true });
        var early = SyntheticRuns.SweepRun(1e-1, 32768, (1 << 30) / 32768, 1.0);
        runs.Add(early with { Observations = [new LossObservation(early.Steps / 2, 1.0)] });
        var c = LrBatchCalibration.TryFit(runs, SyntheticRuns.N, out _);
        Assert.NotNull(c);
        Assert.Equal(30, c.Runs);
        Assert.Equal(1, c.LearningRate0 / Lr0, 8);
        // NaN size: every run counts, the 1e9 spoiler included.
        Assert.Equal(31, LrBatchCalibration.TryFit(runs, double.NaN, out _)!.Runs);
    }

    [Fact]
    public void One_budget_has_no_exponents_and_one_batch_per_budget_no_batch_exponent()
    {
        var one = LrBatchCalibration.TryFit(Sweep([30], 0.3), SyntheticRuns.N, out _)!;
        Assert.Null(one.LearningRateExponent);
        Assert.Null(one.BatchExponent);
        Assert.Equal(1, one.LearningRate0 / Lr0, 8);

        // B* fixed (exponent 0): at the one batch both budgets' best runs sit at the same place on the LR grid.
        var lrOnly = LrBatchCalibration.TryFit(Sweep([26, 30], 0.0, batches: [32768]), SyntheticRuns.N, out _)!;
        Assert.Null(lrOnly.BatchExponent);
        Assert.NotNull(lrOnly.LearningRateExponent);
        // The best run of each budget (the quadratic needs three batches): one grid LR each, 16x apart in D, 2x in LR*.
        Assert.All(lrOnly.Optima, o => Assert.StartsWith("best run", o.Method, StringComparison.Ordinal));
        Assert.Equal(-0.25, lrOnly.LearningRateExponent.Value, 8);
    }

    [Fact]
    public void Runs_without_a_batch_give_no_calibration_and_say_why()
    {
        var bare = Sweep([28, 30], 0.3).Select(r => r with { Metadata = new RunMetadata(r.Name) { Parameters = SyntheticRuns.N } }).ToList();
        Assert.Null(LrBatchCalibration.TryFit(bare, SyntheticRuns.N, out string why));
        Assert.Contains("tokens per step", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Finished_runs_none_of_which_logged_their_last_step_are_not_called_batchless()
    {
        var early = Sweep([28, 30], 0.3).Select(r => r with { Observations = [new LossObservation(r.Steps / 2, 3)] }).ToList();
        Assert.Null(LrBatchCalibration.TryFit(early, SyntheticRuns.N, out string why));
        Assert.DoesNotContain("no run gives its tokens per step", why, StringComparison.Ordinal);
        Assert.Contains("last step", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_than_three_lrs_per_budget_give_no_calibration_and_say_why()
    {
        Assert.Null(LrBatchCalibration.TryFit(Sweep([28, 30], 0.3, lrs: 2), SyntheticRuns.N, out string why));
        Assert.Contains("three or more peak LRs", why, StringComparison.Ordinal);
        Assert.Contains("12 run(s)", why, StringComparison.Ordinal);
    }

    [Fact]
    public void The_batch_can_be_given_as_sequences_times_length()
    {
        var runs = Sweep([28, 30], 0.3).Select(r => SyntheticRuns.SweepRun(r.LearningRates[0], r.Metadata.TokensPerStep!.Value, r.Steps, r.Observations[^1].Loss, sequenceLength: 2048)).ToList();
        var c = LrBatchCalibration.TryFit(runs, SyntheticRuns.N, out _)!;
        Assert.Equal(0.3, c.BatchExponent!.Value, 8);
        Assert.Equal(1, c.BatchTokens0 / B0, 8);
    }

    [Fact]
    public void Budgets_a_hair_apart_are_one_budget_even_across_a_bin_edge()
    {
        // ln D = 0.02 (k + 1/2) is where rounding ln D / 0.02 changes; put the batches' budgets on both sides of it, 0.02% apart.
        double edge = Math.Exp(0.02 * (Math.Round(Math.Log(1 << 28) / 0.02) + 0.5));
        double lnLr = Math.Log(Lr0), lnB = Math.Log(B0);
        var runs = new List<TrainingRun>();
        foreach (double b in Batches)
        {
            int steps = b == Batches[0] ? (int)Math.Floor(edge / b) : (int)Math.Ceiling(edge / b);
            for (int i = 0; i < 5; i++)
            {
                double lr = Lr0 * 1.1 * Math.Pow(2, (i - 2) / 2.0);
                runs.Add(SyntheticRuns.SweepRun(lr, b, steps, Bowl(Math.Log(lr) - lnLr, Math.Log(b) - lnB)));
            }
        }
        Assert.True(Math.Abs(Math.Log(runs[0].Steps * Batches[0] / (runs[^1].Steps * Batches[^1]))) < 3e-4);
        var c = LrBatchCalibration.TryFit(runs, SyntheticRuns.N, out _)!;
        Assert.Single(c.Optima);
        Assert.Null(c.LearningRateExponent);
        Assert.Equal(1, c.LearningRate0 / Lr0, 8);
        Assert.Equal(1, c.BatchTokens0 / B0, 8);
    }

    private static RunReference Calibrated(LrBatchCalibration c, double momentum = 0.9) =>
        new(SyntheticRuns.N, c.BatchTokens0, (int)Math.Round(c.Tokens0 / c.BatchTokens0), c.LearningRate0, momentum, false, false, "calibrated");

    [Theory]
    [InlineData(0.3, 16.0)]
    [InlineData(0.15, 0.25)]
    [InlineData(0.45, 100.0)]
    public void With_a_calibration_the_batch_grows_as_r_to_the_c_and_the_lr_as_r_to_the_c_minus_three_quarters(double exponent, double ratio)
    {
        var c = LrBatchCalibration.TryFit(Sweep([28, 30], exponent), SyntheticRuns.N, out _)!;
        var reference = Calibrated(c);
        const int l = 2048;
        var request = new PlanRequest(SyntheticRuns.N, reference.Tokens * ratio, TrainingOptimizer.AdamW) { SequenceLength = l };
        var d = ScalingRules.Decide(request, reference, c, null, StepLawRule.Instance);
        var hp = d.Hyperparameters;

        // lmo-scaling.md, ridge path: b = b0 r^c, alpha = alpha0 r^(c - 1/2), eta = eta0 r^(c - 3/4); the batch rounded to whole
        // sequences with eta and alpha following the rounded batch (q = rounded / rule).
        double rule = reference.TokensPerStep / l * Math.Pow(ratio, exponent), seqs = Math.Max(1, Math.Round(rule, MidpointRounding.AwayFromZero)), q = seqs / rule;
        Assert.Equal(seqs, hp.BatchSequences);
        Assert.Equal(seqs * l, hp.BatchTokens);
        Assert.Equal(1, hp.RuleLearningRate / (c.LearningRate0 * Math.Pow(ratio, exponent - 0.75) * q), 8);
        Assert.Equal(1 - 0.1 * Math.Pow(ratio, exponent - 0.5) * q, hp.Momentum, 8);
        Assert.Equal((int)Math.Round(request.Tokens / hp.BatchTokens), hp.Steps);
        Assert.Equal("calibrated", hp.Source);

        // The same as the theory's own transfer.
        var transfer = BudgetTransfer.Transfer(new TransferRequest(TuningRegime.Ridge, reference.Tokens, reference.PeakLearningRate, 0.9, reference.TokensPerStep / l, request.Tokens)
        {
            RidgeExponent = exponent,
            SequenceLength = l,
        });
        Assert.Equal(transfer.Batch, hp.BatchSequences);
        Assert.Equal(transfer.LearningRate, hp.RuleLearningRate, 15);
        Assert.Equal(transfer.Momentum, hp.Momentum, 15);
        Assert.Contains(d.Reasons, r => r.Kind == ReasonKind.LrCalibrationCheck && r.Source == "calibration check" && PlanExplainer.Reason(r).Decides == "LR budget scaling");
    }

    [Fact]
    public void A_batch_exponent_above_one_half_is_clipped_and_said_so()
    {
        var c = LrBatchCalibration.TryFit(Sweep([28, 30], 0.7), SyntheticRuns.N, out _)!;
        Assert.Equal(0.7, c.BatchExponent!.Value, 8);
        var reference = Calibrated(c);
        var d = ScalingRules.Decide(new PlanRequest(SyntheticRuns.N, reference.Tokens * 10, TrainingOptimizer.AdamW), reference, c, null, StepLawRule.Instance);
        var batch = Assert.Single(d.Reasons, r => r.Kind == ReasonKind.BatchCalibrated);
        Assert.Equal(0.7, batch.Q("fittedExponent"), 8);
        Assert.Equal(0.5, batch.Q("c"));
        Assert.Contains("clipped", PlanExplainer.Reason(batch).Text, StringComparison.Ordinal);
        // c = 1/2: alpha = alpha0 r^0 = 0.1, times the rounding of the batch to whole sequences (q = rounded / rule).
        double rule = reference.TokensPerStep / 2048 * Math.Sqrt(10), q = Math.Round(rule) / rule;
        Assert.Equal(Math.Round(rule), d.Hyperparameters.BatchSequences);
        Assert.Equal(1 - 0.1 * q, d.Hyperparameters.Momentum, 12);
        Assert.Contains("c = 0.5", d.Hyperparameters.SourceName, StringComparison.Ordinal);
    }

    [Fact]
    public void A_calibrated_lr_is_carried_across_model_size_by_the_step_law_exponent()
    {
        var c = LrBatchCalibration.TryFit(Sweep([28, 30], 0.3), SyntheticRuns.N, out _)!;
        var reference = Calibrated(c);
        double t = reference.Tokens * 8;
        var same = ScalingRules.Decide(new PlanRequest(SyntheticRuns.N, t, TrainingOptimizer.AdamW), reference, c, null, StepLawRule.Instance).Hyperparameters;
        var d = ScalingRules.Decide(new PlanRequest(4 * SyntheticRuns.N, t, TrainingOptimizer.AdamW), reference, c, null, StepLawRule.Instance);
        Assert.Equal(Math.Pow(4, -0.713), d.Hyperparameters.RuleLearningRate / same.RuleLearningRate, 12);
        Assert.Equal(same.BatchTokens, d.Hyperparameters.BatchTokens);
        Assert.Equal(Math.Pow(4, -0.713), Assert.Single(d.Reasons, r => r.Kind == ReasonKind.LrAcrossSize).Q("factor"), 12);
    }
}
