using HyperLaws.Theory;
using Xunit;

namespace HyperLaws.Tests.Theory;

public sealed class ProblemValidationTests
{
    [Theory]
    [InlineData(TuningRegime.Joint, 0.0, null, null, "budget")]
    [InlineData(TuningRegime.Joint, double.PositiveInfinity, null, null, "budget")]
    [InlineData(TuningRegime.Joint, 1e31, null, null, "absurd")]
    [InlineData(TuningRegime.FixedBatch, 1e9, 0.5, null, "at least 1")]
    [InlineData(TuningRegime.FixedBatch, 1e3, 1e4, null, "exceeds the budget")]
    [InlineData(TuningRegime.FixedMomentum, 1e9, null, 0.0, "momentum")]
    public void IllPosedProblemsSayWhy(TuningRegime regime, double tokens, double? batch, double? alpha, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => new ScalingProblem(regime, tokens) { Batch = batch, Alpha = alpha }.Validate());
        Assert.Contains(fragment, e.Message);
    }

    [Theory]
    [InlineData(TuningRegime.FixedBatch, ScalingQuantity.Batch, "regime fixed-batch needs a fixed batch size.")]
    [InlineData(TuningRegime.FixedMomentum, ScalingQuantity.Momentum, "regime fixed-momentum needs a fixed momentum.")]
    [InlineData(TuningRegime.LrOnly, ScalingQuantity.Batch, "regime lr-only needs a fixed batch size.")]
    [InlineData(TuningRegime.Ridge, ScalingQuantity.RidgeExponent, "regime ridge needs a ridge exponent (the batch-growth exponent c).")]
    [InlineData(TuningRegime.FixedLearningRate, ScalingQuantity.LearningRate, "regime fixed-lr needs a fixed learning rate.")]
    public void AMissingQuantityIsNamedAsAQuantity_NotAsAnOption(TuningRegime regime, ScalingQuantity missing, string message)
    {
        var e = Assert.Throws<MissingQuantityException>(() => new ScalingProblem(regime, 1e9).Validate());
        Assert.Equal(regime, e.Regime);
        Assert.Equal(missing, e.Quantity);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void TheRemainingMissingQuantityIsNamed_WhenOneOfTwoIsGiven()
    {
        var lrOnly = Assert.Throws<MissingQuantityException>(() => new ScalingProblem(TuningRegime.LrOnly, 1e9) { Batch = 64 }.Validate());
        Assert.Equal(ScalingQuantity.Momentum, lrOnly.Quantity);
        var fixedLr = Assert.Throws<MissingQuantityException>(() => new ScalingProblem(TuningRegime.FixedLearningRate, 1e9) { LearningRate = 1e-3 }.Validate());
        Assert.Equal(ScalingQuantity.Momentum, fixedLr.Quantity);
        new ScalingProblem(TuningRegime.FixedLearningRate, 1e9) { LearningRate = 1e-3, Alpha = 0.1 }.Validate(); // nothing missing: no throw
    }

    [Fact]
    public void ATransferAlongTheRidgeNeedsItsExponent()
    {
        var request = new TransferRequest(TuningRegime.Ridge, 1e9, 3e-3, 0.9, 256, 1e11);
        var e = Assert.Throws<MissingQuantityException>(request.Validate);
        Assert.Equal(ScalingQuantity.RidgeExponent, e.Quantity);
        (request with { RidgeExponent = 0.25 }).Validate();
    }

    [Fact]
    public void ConstantsAreChecked()
    {
        Assert.Throws<ArgumentException>(() => new LmoProxy(new ProxyConstants(C1: 0)));
        Assert.Throws<ArgumentException>(() => new LmoProxy(new ProxyConstants(Cb: -1)));
        Assert.Throws<ArgumentException>(() => new LmoProxy(new ProxyConstants(C3: double.NaN)));
        Assert.True(ProxyConstants.Unit.AsLargeHorizon().IsLargeHorizon);
        Assert.Equal(3.0, ProxyConstants.Unit.WithNormFactor(3).C3);
    }
}
