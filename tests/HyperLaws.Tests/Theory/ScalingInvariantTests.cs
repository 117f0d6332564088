using CsCheck;
using HyperLaws.Theory;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Theory;

/// <summary>Scaling a budget by r scales each optimum by r^exponent; optima really are optima.</summary>
public sealed class ScalingInvariantTests
{
    private static readonly Gen<double> Ratio = LogUniform(1.5, 1e4);

    [Fact]
    public void Theorem1_ScalesAsPowersOfTheBudget_AfterBurnIn() =>
        ForAll(Gen.Select(Generators.LargeHorizon, LogUniform(1e-4, 0.5), Ratio), t =>
        {
            var (c, alpha, r) = t;
            double T = Math.Max(10 * new LmoProxy(c).BurnInTokens(alpha), 1e6); // past burn-in, and b* well below T
            var e = ScalingExponents.For(TuningRegime.FixedMomentum);
            var a = Scaling.Solve(new ScalingProblem(TuningRegime.FixedMomentum, T) { Alpha = alpha }, c).Numerical;
            var b = Scaling.Solve(new ScalingProblem(TuningRegime.FixedMomentum, r * T) { Alpha = alpha }, c).Numerical;
            Near(Math.Pow(r, e.Batch), b.BatchSize / a.BatchSize, 1e-6, "b ratio");
            Near(Math.Pow(r, e.LearningRate), b.LearningRate / a.LearningRate, 1e-6, "eta ratio");
            Near(Math.Pow(r, e.Proxy), b.Proxy / a.Proxy, 1e-9, "proxy ratio");
        });

    [Fact]
    public void Theorem2_ScalesAsPowersOfTheBudget_InsideItsValidRange() =>
        ForAll(Gen.Select(Generators.LargeHorizon, LogUniform(1, 1e4), Ratio), t =>
        {
            var (c, batch, r) = t;
            double T = Math.Max(10 * new LmoProxy(c).FixedBatchValidityTokens(batch), batch);
            var e = ScalingExponents.For(TuningRegime.FixedBatch);
            var a = Scaling.Solve(new ScalingProblem(TuningRegime.FixedBatch, T) { Batch = batch }, c).Numerical;
            var b = Scaling.Solve(new ScalingProblem(TuningRegime.FixedBatch, r * T) { Batch = batch }, c).Numerical;
            Near(Math.Pow(r, e.Alpha), b.Alpha / a.Alpha, 1e-6, "alpha ratio");
            Near(Math.Pow(r, e.LearningRate), b.LearningRate / a.LearningRate, 1e-6, "eta ratio");
            Near(Math.Pow(r, e.Proxy), b.Proxy / a.Proxy, 1e-9, "proxy ratio");
        });

    [Fact]
    public void RegimeA_LearningRateScalesAsInverseSquareRootOfIterations() =>
        ForAll(Gen.Select(Generators.FullProxy, LogUniform(1e3, 1e10), LogUniform(1, 1e3), LogUniform(1e-4, 1), Ratio), t =>
        {
            var (c, T, batch, alpha, r) = t;
            var a = Scaling.Solve(new ScalingProblem(TuningRegime.LrOnly, T * batch) { Batch = batch, Alpha = alpha }, c).Numerical;
            var b = Scaling.Solve(new ScalingProblem(TuningRegime.LrOnly, r * T * batch) { Batch = batch, Alpha = alpha }, c).Numerical;
            Near(Math.Pow(r, -0.5), b.LearningRate / a.LearningRate, 1e-5, "eta ratio");
        });

    [Fact]
    public void Theorem3_ClosedFormScalesExactly_AndTheNumericalOptimumAsymptotically() =>
        ForAll(Gen.Select(Generators.FullProxy, LogUniform(1e12, 1e16)), t =>
        {
            var (c, T) = t;
            const double r = 10;
            var s0 = Scaling.Solve(new ScalingProblem(TuningRegime.Joint, T), c);
            var s1 = Scaling.Solve(new ScalingProblem(TuningRegime.Joint, r * T), c);
            if (s0.Conditions != SolutionConditions.None || s1.Conditions != SolutionConditions.None) return;
            var e = ScalingExponents.For(TuningRegime.Joint);
            Near(Math.Pow(r, e.Alpha), s1.ClosedForm.Alpha / s0.ClosedForm.Alpha, 1e-9, "closed-form alpha ratio");
            Near(Math.Pow(r, e.Batch), s1.ClosedForm.BatchSize / s0.ClosedForm.BatchSize, 1e-9, "closed-form b ratio");
            Assert.InRange(Math.Log10(s1.Numerical.Alpha / s0.Numerical.Alpha), e.Alpha - 0.02, e.Alpha + 0.02);
            Assert.InRange(Math.Log10(s1.Numerical.BatchSize / s0.Numerical.BatchSize), e.Batch - 0.02, e.Batch + 0.02);
            Assert.InRange(Math.Log10(s1.Numerical.LearningRate / s0.Numerical.LearningRate), e.LearningRate - 0.02, e.LearningRate + 0.02);
            Assert.InRange(Math.Log10(s1.Numerical.Proxy / s0.Numerical.Proxy), e.Proxy - 0.01, e.Proxy + 0.01);
        }, iterations: 60);

    [Fact]
    public void NumericalOptimum_BeatsRandomPerturbations() =>
        ForAll(Gen.Select(Generators.FullProxy, LogUniform(1e4, 1e14), Gen.Double[-1, 1], Gen.Double[-1, 1], Gen.Double[-1, 1]), t =>
        {
            var (c, T, dEta, dAlpha, dB) = t;
            var proxy = new LmoProxy(c);
            var p = Scaling.Solve(new ScalingProblem(TuningRegime.Joint, T), c).Numerical;
            double alpha = Math.Min(1, p.Alpha * Math.Exp(dAlpha));
            double b = Math.Clamp(p.BatchSize * Math.Exp(dB), 1, T);
            Assert.True(p.Proxy <= proxy.Evaluate(p.LearningRate * Math.Exp(dEta), alpha, b, T) * (1 + 1e-12));
        }, iterations: 300);

    [Fact]
    public void BestJointProxyFallsWithTheBudget_AndTheorem1BatchNeverShrinks() =>
        ForAll(Gen.Select(Generators.FullProxy, LogUniform(1e3, 1e13), Ratio, LogUniform(1e-4, 0.5)), t =>
        {
            var (c, T, r, alpha) = t;
            Assert.True(Scaling.Solve(new ScalingProblem(TuningRegime.Joint, r * T), c).Numerical.Proxy
                        < Scaling.Solve(new ScalingProblem(TuningRegime.Joint, T), c).Numerical.Proxy);
            Assert.True(Scaling.Solve(new ScalingProblem(TuningRegime.FixedMomentum, r * T) { Alpha = alpha }, c).ClosedForm.BatchSize
                        >= Scaling.Solve(new ScalingProblem(TuningRegime.FixedMomentum, T) { Alpha = alpha }, c).ClosedForm.BatchSize);
        }, iterations: 100);

    [Fact]
    public void JointRespectsTheBatchLimit_ByTuningMomentum()
    {
        var free = Scaling.Solve(new ScalingProblem(TuningRegime.Joint, 1e14));
        var capped = Scaling.Solve(new ScalingProblem(TuningRegime.Joint, 1e14) { MaxBatch = 8 });
        Assert.True(free.Numerical.BatchSize > 8);
        Assert.Equal(8, capped.Numerical.BatchSize, 9);
        Assert.Equal(8, capped.ClosedForm.BatchSize, 9);
        Assert.True(capped.Conditions.HasFlag(SolutionConditions.BatchCapped));
        Assert.Contains(capped.Warnings, w => w.Contains("Corollary 1"));
        Assert.True(capped.Numerical.Alpha < free.Numerical.Alpha); // momentum rises to average the noise
        Assert.True(capped.Numerical.Proxy > free.Numerical.Proxy);
    }
}
