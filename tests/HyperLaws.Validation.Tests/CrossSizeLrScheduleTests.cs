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
