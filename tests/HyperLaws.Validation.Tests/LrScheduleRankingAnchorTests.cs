using HyperLaws.Evaluation;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>Protocol 17r's anchor (<see cref="LrScheduleRanking.Anchor"/>): computed apart from the plain prediction, 0 where it fails.</summary>
public sealed class LrScheduleRankingAnchorTests
{
    private static readonly LawFit Fit = new(new AnnealingLaw(), [2.9, 0.6, 0.45, 0.5], 0, 0, 0, true, "test");
    private static readonly ScheduleHistory History = new([.. Enumerable.Repeat(1e-3, 100)]);
    private static readonly int[] Steps = [.. Enumerable.Range(1, 10).Select(k => 10 * k)];

    [Fact]
    public void The_anchor_is_the_mean_residual_over_the_prefix_s_last_points()
    {
        var law = Fit.Predict(History, Steps);
        var target = new FitTarget("run", History, Steps, [.. law.Select(y => y + 0.03)]);
        Assert.Equal(AnchoredPrediction.Residual(Steps, target.Loss, law, Steps[^1]), LrScheduleRanking.Anchor(Fit, History, target, double.NaN), 15);
        Assert.Equal(0.03, LrScheduleRanking.Anchor(Fit, History, target, double.NaN), 12);
    }

    [Fact]
    public void An_anchor_that_cannot_be_computed_is_zero_instead_of_failing_the_prediction()
    {
        // Fewer losses than steps: AnchoredPrediction.Residual throws; the anchor is 0, so the anchored prediction is the plain one.
        var target = new FitTarget("run", History, Steps, [.. Enumerable.Repeat(3.0, Steps.Length - 1)]);
        Assert.Throws<ArgumentException>(() => AnchoredPrediction.Residual(Steps, target.Loss, Fit.Predict(History, Steps), Steps[^1]));
        Assert.Equal(0, LrScheduleRanking.Anchor(Fit, History, target, double.NaN));
    }
}
