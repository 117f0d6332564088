using HyperLaws.Theory;
using Xunit;

namespace HyperLaws.Tests.Theory;

/// <summary>The test vectors of ../shared/docs/lmo-scaling.md (all constants 1).</summary>
public sealed class TestVectorTests
{
    private static void Near(double expected, double actual, double relTol) =>
        Assert.True(Math.Abs(actual - expected) <= relTol * Math.Abs(expected), $"expected {expected:G6}, got {actual:G6}");

    [Theory]
    [InlineData(1e10, 2.925e-4, 14.62, 6.537e-7, 8.946e-3)]
    [InlineData(1e12, 6.302e-5, 31.51, 4.456e-8, 2.829e-3)]
    public void Joint_5TermProxy(double tokens, double alpha, double batch, double eta, double proxy)
    {
        var s = Scaling.Solve(new ScalingProblem(TuningRegime.Joint, tokens));
        var p = s.Numerical;
        Near(alpha, p.Alpha, 2e-3);
        Near(batch, p.BatchSize, 2e-3);
        Near(eta, p.LearningRate, 2e-3);
        Near(proxy, p.Proxy, 2e-4);
        // The leading-order closed form lands on the same value (argmins compared loosely: flat ridge).
        Near(p.Proxy, s.ClosedForm.Proxy, 1e-5);
        Near(p.Alpha, s.ClosedForm.Alpha, 1e-2);
    }

    [Fact]
    public void FixedMomentum_LargeHorizon()
    {
        var s = Scaling.Solve(new ScalingProblem(TuningRegime.FixedMomentum, 1e8) { Alpha = 1e-3 }, ProxyConstants.Unit.AsLargeHorizon());
        foreach (var p in new[] { s.ClosedForm, s.Numerical })
        {
            Near(5, p.BatchSize, 1e-6);
            Near(7.071e-6, p.LearningRate, 1e-4);
            Near(2 * Math.Sqrt(2) * Math.Pow(1e8, -0.25), p.Proxy, 1e-9);
            Near(0.028284, p.Proxy, 1e-4);
        }
        Assert.True(s.ClosedFormExact);
    }

    [Fact]
    public void FixedBatch_LargeHorizon()
    {
        var s = Scaling.Solve(new ScalingProblem(TuningRegime.FixedBatch, 64 * 1e6) { Batch = 64 }, ProxyConstants.Unit.AsLargeHorizon());
        foreach (var p in new[] { s.ClosedForm, s.Numerical })
        {
            Near(0.016, p.Alpha, 1e-6);
            Near(1.265e-4, p.LearningRate, 1e-3);
            Near(0.031623, p.Proxy, 1e-4);
            Near(1e6, p.Iterations, 1e-12);
        }
        Assert.True(s.Valid);
    }

    [Fact]
    public void Theorem3_UnitConstantClosedForm()
    {
        // alpha* = 2^(-2/3) T^(-1/3), b* = 2^(-5/3) T^(1/6), eta* = 2^(-7/6) T^(-7/12) to leading order.
        const double T = 1e14;
        var cf = Scaling.Solve(new ScalingProblem(TuningRegime.Joint, T)).ClosedForm;
        Near(Math.Pow(2, -2.0 / 3) * Math.Pow(T, -1.0 / 3), cf.Alpha, 1e-12);
        Near(Math.Pow(2, -5.0 / 3) * Math.Pow(T, 1.0 / 6), cf.BatchSize, 1e-12);
        Near(Math.Pow(2, -7.0 / 6) * Math.Pow(T, -7.0 / 12), cf.LearningRate, 1e-4);
    }

    [Fact]
    public void BurnIn_WithUnitConstants_Is4e6AtAlpha1e3()
    {
        var proxy = new LmoProxy(ProxyConstants.Unit.AsLargeHorizon());
        Near(4e6, proxy.BurnInTokens(1e-3), 1e-12);
        var before = Scaling.Solve(new ScalingProblem(TuningRegime.FixedMomentum, 1e6) { Alpha = 1e-3 }, proxy.Constants);
        Assert.Equal(1.0, before.ClosedForm.BatchSize);
        Assert.Equal(1.0, before.Numerical.BatchSize);
        Assert.True(before.Conditions.HasFlag(SolutionConditions.BurnIn));
        Assert.Contains(before.Warnings, w => w.Contains("burn-in"));
    }
}
