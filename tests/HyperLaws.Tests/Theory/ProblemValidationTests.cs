using HyperLaws.Theory;
using Xunit;

namespace HyperLaws.Tests.Theory;

public sealed class ProblemValidationTests
{
    [Theory]
    [InlineData(TuningRegime.Joint, 0.0, null, null, "budget")]
    [InlineData(TuningRegime.Joint, double.PositiveInfinity, null, null, "budget")]
    [InlineData(TuningRegime.Joint, 1e31, null, null, "absurd")]
    [InlineData(TuningRegime.FixedBatch, 1e9, null, null, "--batch")]
    [InlineData(TuningRegime.FixedMomentum, 1e9, null, null, "--momentum")]
    [InlineData(TuningRegime.FixedBatch, 1e9, 0.5, null, "at least 1")]
    [InlineData(TuningRegime.FixedBatch, 1e3, 1e4, null, "exceeds the budget")]
    [InlineData(TuningRegime.FixedMomentum, 1e9, null, 0.0, "momentum")]
    public void IllPosedProblemsSayWhy(TuningRegime regime, double tokens, double? batch, double? alpha, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => new ScalingProblem(regime, tokens) { Batch = batch, Alpha = alpha }.Validate());
        Assert.Contains(fragment, e.Message);
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
