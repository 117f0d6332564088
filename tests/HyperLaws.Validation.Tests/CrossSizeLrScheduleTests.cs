using HyperLaws.Runs;
using HyperLaws.Validation;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 17c (<see cref="CrossSizeLrSchedule"/>) on a synthetic fixture with a known size law: curves of three training sizes and
/// two held-out sizes, drawn from L = E + b (N / 40M)^-beta + A S1^-alpha (S1 the LR sum, the LR-annealing law without its
/// annealing term), a constant and a cosine run per size. The fitted beta must come back, the held-out size must be predicted, and
/// the per-size scores must be the errors of the predictions.
/// </summary>
public sealed class CrossSizeLrScheduleTests
{
    private const double E = 2.0, B = 1.0, TrueBeta = 0.3, A = 0.5, Alpha = 0.5;

    /// <summary>A run of 1,000 steps at peak LR 1e-3 (constant, or cosine to 10%), validation losses every 50 steps from step 50.</summary>
    private static CrossDataRun Run(string set, double size, bool cosine)
    {
        var lrs = Enumerable.Range(1, 1000).Select(t => cosine ? 1e-4 + 0.5 * 9e-4 * (1 + Math.Cos(Math.PI * t / 1000)) : 1e-3).ToArray();
        var obs = new List<LossObservation>();
        double sum = 0;
        for (int t = 1; t <= 1000; t++)
        {
            sum += lrs[t - 1];
            if (t % 50 == 0) obs.Add(new LossObservation(t, E + B * Math.Pow(size / 40e6, -TrueBeta) + A * Math.Pow(sum, -Alpha), LossSplit.Validation));
        }
        string name = $"{set}-{(cosine ? "cos" : "const")}";
        return new CrossDataRun(set, name, new TrainingRun(new RunMetadata(name) { Parameters = size }, lrs, obs));
    }

    private static readonly (string Set, double Size)[] Sizes = [("s20", 20e6), ("s40", 40e6), ("s80", 80e6), ("s160", 160e6), ("s320", 320e6)];

    private static IReadOnlyList<CrossDataRun> Runs() => [.. Sizes.SelectMany(s => new[] { Run(s.Set, s.Size, false), Run(s.Set, s.Size, true) })];

    [Fact]
    public void The_fitted_size_exponent_comes_back_and_the_held_out_size_is_predicted()
    {
        var result = CrossSizeLrSchedule.Run(Runs(), ["tissue"], trainSets: ["s20", "s40", "s80"], testSets: ["s160"], baselineSet: "s80");
        Assert.Equal(6, result.Train.Count);
        Assert.Equal(2, result.Test.Count);
        var law = Assert.Single(result.Laws);
        Assert.Equal(CrossSizeLrSchedule.Variants.Count, law.Variants.Count);
        var headline = law.Headline;
        Assert.Equal("power, beta fitted", headline.Variant);
        Assert.Equal(TrueBeta, CrossSizeLrSchedule.Beta(headline.Fit), 2);
        var all = CrossSizeLrSchedule.Overall(headline, result.Test);
        Assert.True(all.FinalMean < 1e-3, $"final error {all.FinalMean}");
        Assert.Equal(0.34, CrossSizeLrSchedule.Beta(law.Variants[2].Fit), 12);  // the prior variant keeps its beta
        Assert.True(double.IsNaN(CrossSizeLrSchedule.Beta(law.Baseline.Fit)));    // one size, no size law
        // Without a size law the 80M fit predicts 160M at 80M's offset: too high by b (2^-0.3 - 4^-0.3) = 0.15, about 5% of the loss.
        var baseline = CrossSizeLrSchedule.Overall(law.Baseline, result.Test);
        Assert.True(baseline.FinalBias > 0.02 && baseline.FinalMean > 10 * all.FinalMean, $"baseline {baseline.FinalBias}, headline {all.FinalMean}");
    }

    [Fact]
    public void The_per_size_scores_are_the_prediction_errors()
    {
        var result = CrossSizeLrSchedule.Run(Runs(), ["tissue"], trainSets: ["s20", "s40", "s80"], testSets: ["s160", "s320"], baselineSet: "s80");
        var score = result.Laws[0].Baseline;
        var groups = CrossSizeLrSchedule.BySize(score, result.Test);
        Assert.Equal([160e6, 320e6], groups.Select(g => g.ModelSize));
        foreach (var g in groups)
        {
            var idx = Enumerable.Range(0, result.Test.Count).Where(i => result.Test[i].ModelSize == g.ModelSize).ToList();
            var rel = idx.Select(i => (score.Predictions[i][^1] - result.Test[i].Loss[^1]) / result.Test[i].Loss[^1]).ToList();
            Assert.Equal(2, g.Runs);
            Assert.Equal(rel.Average(Math.Abs), g.FinalMean, 12);
            Assert.Equal(rel.Max(Math.Abs), g.FinalMax, 12);
            Assert.Equal(rel.Average(), g.FinalBias, 12);
            Assert.Equal(idx.Average(i => score.Test[i].PredE), g.PredE, 12);
        }
        Assert.True(groups[1].FinalBias > groups[0].FinalBias);   // the farther size is predicted farther above (no size law)
    }

    /// <summary>
    /// A run whose loss is a function of tokens, not steps: L = E + b (N/40M)^-beta + A (k S1)^-alpha with k its tokens per step over
    /// <see cref="UnitTokens"/> (1,000 steps, validation every 50).
    /// </summary>
    private static CrossDataRun TokenRun(string set, double size, bool cosine, int k)
    {
        var run = Run(set, size, cosine).Run;
        var lrs = run.LearningRates;
        var obs = new List<LossObservation>();
        double sum = 0;
        for (int t = 1; t <= lrs.Length; t++)
        {
            sum += lrs[t - 1];
            if (t % 50 == 0) obs.Add(new LossObservation(t, E + B * Math.Pow(size / 40e6, -TrueBeta) + A * Math.Pow(k * sum, -Alpha), LossSplit.Validation));
        }
        var meta = run.Metadata with { TokensPerStep = k * UnitTokens };
        return new CrossDataRun(set, meta.Name, run with { Metadata = meta, Observations = obs });
    }

    private const double UnitTokens = 102_400;

    /// <summary>Three training sizes at one batch, the held-out size at twice it (as protocol 17c's 360M runs).</summary>
    private static IReadOnlyList<CrossDataRun> TokenRuns() =>
        [.. Sizes.Take(3).SelectMany(s => new[] { TokenRun(s.Set, s.Size, false, 1), TokenRun(s.Set, s.Size, true, 1) }),
         TokenRun("s160", 160e6, false, 2), TokenRun("s160", 160e6, true, 2)];

    [Fact]
    public void On_the_tokens_axis_a_run_of_twice_the_batch_is_stretched_twofold_and_the_others_are_unchanged()
    {
        var runs = TokenRuns();
        string[] all = ["s20", "s40", "s80", "s160"];
        Assert.Equal(UnitTokens, CrossSizeLrSchedule.UnitTokens(runs, all));
        Assert.Equal(2, CrossSizeLrSchedule.StepsPerUnit(runs.First(r => r.Set == "s160"), UnitTokens));
        var steps = CrossSizeLrSchedule.Targets(runs, all);
        var tokens = CrossSizeLrSchedule.Targets(runs, all, UnitTokens);
        for (int i = 0; i < steps.Count; i++)
        {
            int k = steps[i].ModelSize == 160e6 ? 2 : 1;
            Assert.Equal(k * steps[i].History.Steps, tokens[i].History.Steps);
            Assert.Equal(steps[i].Steps.Select(s => k * s), tokens[i].Steps);
            Assert.Equal(steps[i].Loss, tokens[i].Loss);
            Assert.Equal(k * steps[i].History.S1(steps[i].Steps[^1]), tokens[i].History.S1(tokens[i].Steps[^1]), 12);
        }
    }

    [Fact]
    public void Counted_in_tokens_the_twice_the_batch_size_is_predicted_and_counted_in_steps_it_is_not()
    {
        var runs = TokenRuns();
        var onSteps = CrossSizeLrSchedule.Run(runs, ["tissue"], trainSets: ["s20", "s40", "s80"], testSets: ["s160"], baselineSet: "s80");
        var onTokens = CrossSizeLrSchedule.Run(runs, ["tissue"], trainSets: ["s20", "s40", "s80"], testSets: ["s160"], baselineSet: "s80", axis: TimeAxis.Tokens);
        var steps = CrossSizeLrSchedule.Overall(onSteps.Laws[0].Headline, onSteps.Test);
        var tokens = CrossSizeLrSchedule.Overall(onTokens.Laws[0].Headline, onTokens.Test);
        // On tokens the held-out runs are the law's own curves; on steps they are predicted at half their LR sum, too high.
        Assert.True(tokens.FinalMean < 1e-3, $"tokens axis final error {tokens.FinalMean}");
        Assert.True(steps.FinalBias > 0.01, $"steps axis final bias {steps.FinalBias}");
        // The training runs are the same on both axes: the same fit.
        Assert.Equal(onSteps.Laws[0].Headline.Fit.Parameters, onTokens.Laws[0].Headline.Fit.Parameters);
    }

    [Fact]
    public void The_tokens_axis_refuses_unknown_or_fractional_tokens_per_step_naming_the_run()
    {
        var runs = TokenRuns().ToList();
        var unknown = runs.Select(r => r.Set == "s40" ? r with { Run = r.Run with { Metadata = r.Run.Metadata with { TokensPerStep = null } } } : r).ToList();
        var ex = Assert.Throws<ValidationDataException>(() => CrossSizeLrSchedule.Run(unknown, ["tissue"], trainSets: ["s20", "s40", "s80"], testSets: ["s160"], baselineSet: "s80", axis: TimeAxis.Tokens));
        Assert.Contains("s40-const", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tokens per step are unknown", ex.Message, StringComparison.Ordinal);
        var fractional = runs.Select(r => r.Set == "s160" ? r with { Run = r.Run with { Metadata = r.Run.Metadata with { TokensPerStep = 1.5 * UnitTokens } } } : r).ToList();
        var ex2 = Assert.Throws<ValidationDataException>(() => CrossSizeLrSchedule.Run(fractional, ["tissue"], trainSets: ["s20", "s40", "s80"], testSets: ["s160"], baselineSet: "s80", axis: TimeAxis.Tokens));
        Assert.Contains("s160-const", ex2.Message, StringComparison.Ordinal);
        Assert.Contains("not a whole multiple", ex2.Message, StringComparison.Ordinal);
        // On steps the tokens per step are not read.
        Assert.Equal(2, CrossSizeLrSchedule.Run(unknown, ["tissue"], trainSets: ["s20", "s40", "s80"], testSets: ["s160"], baselineSet: "s80").Test.Count);
    }

    [Fact]
    public void On_the_critical_batch_axis_a_run_of_twice_the_batch_is_stretched_by_w_between_steps_and_tokens_and_the_others_are_unchanged()
    {
        var runs = TokenRuns();
        string[] all = ["s20", "s40", "s80", "s160"];
        var twice = runs.First(r => r.Set == "s160");
        double w = CrossSizeLrSchedule.CriticalBatchFactor(twice, UnitTokens);
        // w = (1 + B_noise / B_r) / (1 + B_noise / 2 B_r), B_noise protocol 5's at the run's 1,000 x 204,800 tokens.
        Assert.Equal(HyperLaws.Laws.StepEquivalence.Factor(2 * UnitTokens, UnitTokens, HyperLaws.Laws.CriticalBatchLaw.Protocol5.BNoise(1000 * 2 * UnitTokens)), w, 12);
        Assert.InRange(w, 1.5, 2);
        Assert.Equal(1, CrossSizeLrSchedule.CriticalBatchFactor(runs.First(r => r.Set == "s20"), UnitTokens));
        var steps = CrossSizeLrSchedule.Targets(runs, all);
        var critical = CrossSizeLrSchedule.Targets(runs, all, UnitTokens, TimeAxis.CriticalBatch);
        for (int i = 0; i < steps.Count; i++)
        {
            if (steps[i].ModelSize != 160e6)
            {
                // w = 1 exactly: the curve itself.
                Assert.Equal(steps[i].History.Steps, critical[i].History.Steps);
                Assert.Equal(steps[i].Steps, critical[i].Steps);
                Assert.Equal(steps[i].History.S1(steps[i].History.Steps), critical[i].History.S1(critical[i].History.Steps));
                continue;
            }
            Assert.Equal((int)Math.Round(w * 1000, MidpointRounding.AwayFromZero), critical[i].History.Steps);
            Assert.Equal(steps[i].Steps.Select(s => (int)Math.Round(w * s, MidpointRounding.AwayFromZero)), critical[i].Steps);
            Assert.Equal(steps[i].Loss, critical[i].Loss);
            critical[i].Validate();
        }
        // The fit is the steps axis's (the training runs are unchanged); the held-out bias lies between the steps and tokens axes'.
        var run = (TimeAxis axis) => CrossSizeLrSchedule.Run(runs, ["tissue"], trainSets: ["s20", "s40", "s80"], testSets: ["s160"], baselineSet: "s80", variants: [CrossSizeLrSchedule.Variants[0]], axis: axis);
        var (onSteps, onTokens, onCritical) = (run(TimeAxis.Steps), run(TimeAxis.Tokens), run(TimeAxis.CriticalBatch));
        Assert.Equal(onSteps.Laws[0].Headline.Fit.Parameters, onCritical.Laws[0].Headline.Fit.Parameters);
        double Bias(CrossSizeResult r) => CrossSizeLrSchedule.Overall(r.Laws[0].Headline, r.Test).FinalBias;
        Assert.InRange(Bias(onCritical), Bias(onTokens), Bias(onSteps));
    }

    [Fact]
    public void The_critical_batch_law_in_the_core_is_protocol_5s_fit_across_the_horizon()
    {
        var fit = CriticalBatch.Run(CriticalBatch.Load(HyperLaws.Tests.DataFolders.Shared)).InHorizon;
        var law = HyperLaws.Laws.CriticalBatchLaw.Protocol5;
        Assert.Equal(fit.Exponent, law.Exponent, 4);
        Assert.Equal(1, law.Prefactor / fit.Prefactor, 3);
    }

    [Fact]
    public void A_missing_set_or_model_size_is_a_data_error_naming_it()
    {
        var ex = Assert.Throws<ValidationDataException>(() => CrossSizeLrSchedule.Targets(Runs(), ["s20", "sp-999m"]));
        Assert.Contains("sp-999m", ex.Message, StringComparison.Ordinal);
        var unsized = Runs().Select(r => r with { Run = r.Run with { Metadata = new RunMetadata(r.Name) } }).ToList();
        var ex2 = Assert.Throws<ValidationDataException>(() => CrossSizeLrSchedule.Targets(unsized, ["s20"]));
        Assert.Contains("model size", ex2.Message, StringComparison.Ordinal);
    }
}
