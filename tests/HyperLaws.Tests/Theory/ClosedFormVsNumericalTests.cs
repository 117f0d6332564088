using CsCheck;
using HyperLaws.Theory;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Theory;

/// <summary>Every closed form against the independent numerical minimiser, over random constants.</summary>
public sealed class ClosedFormVsNumericalTests
{
    private static ScalingSolution Solve(ScalingProblem p, ProxyConstants c) => Scaling.Solve(p, c);

    [Fact]
    public void LrOnly_IsExact() =>
        ForAll(Gen.Select(Generators.FullProxy, LogUniform(1e4, 1e14), LogUniform(1, 1e3), LogUniform(1e-4, 1)), t =>
        {
            var (c, T, b, alpha) = t;
            var s = Solve(new ScalingProblem(TuningRegime.LrOnly, Math.Max(T, b)) { Batch = b, Alpha = alpha }, c);
            Near(s.ClosedForm.LearningRate, s.Numerical.LearningRate, 1e-6, "eta");
            Near(s.ClosedForm.Proxy, s.Numerical.Proxy, 1e-12, "proxy");
            Assert.True(s.ClosedFormExact);
        });

    [Fact]
    public void FixedMomentum_IsExactForTheFullProxy() =>
        ForAll(Gen.Select(Generators.FullProxy, LogUniform(1e3, 1e14), LogUniform(1e-4, 1)), t =>
        {
            var (c, T, alpha) = t;
            var s = Solve(new ScalingProblem(TuningRegime.FixedMomentum, T) { Alpha = alpha }, c);
            Near(s.ClosedForm.BatchSize, s.Numerical.BatchSize, 1e-6, "b");
            Near(s.ClosedForm.LearningRate, s.Numerical.LearningRate, 1e-6, "eta");
            Near(s.ClosedForm.Proxy, s.Numerical.Proxy, 1e-12, "proxy");
        });

    [Fact]
    public void FixedBatch_IsExactOnTheLargeHorizonProxy() =>
        ForAll(Gen.Select(Generators.LargeHorizon, LogUniform(1e3, 1e14), LogUniform(1, 1e4)), t =>
        {
            var (c, T, b) = t;
            var s = Solve(new ScalingProblem(TuningRegime.FixedBatch, Math.Max(T, b)) { Batch = b }, c);
            Near(s.ClosedForm.Alpha, s.Numerical.Alpha, 1e-6, "alpha");
            Near(s.ClosedForm.LearningRate, s.Numerical.LearningRate, 1e-6, "eta");
            Near(s.ClosedForm.Proxy, s.Numerical.Proxy, 1e-12, "proxy");
            Assert.Equal(s.ClosedForm.Alpha < 1, s.Valid);
        });

    [Fact]
    public void FixedBatch_IsLeadingOrderOnTheFullProxy_ConvergingAtLargeBudgets() =>
        ForAll(Gen.Select(Generators.FullProxy, LogUniform(1, 1e3)), t =>
        {
            var (c, b) = t;
            double T = 1e16 * b * b; // deep inside the valid range b << u*(T)
            var s = Solve(new ScalingProblem(TuningRegime.FixedBatch, T) { Batch = b }, c);
            Assert.False(s.ClosedFormExact);
            Near(s.Numerical.Proxy, s.ClosedForm.Proxy, 1e-3, "proxy");
            Assert.True(s.Numerical.Proxy <= s.ClosedForm.Proxy * (1 + 1e-12));
        });

    [Fact]
    public void Joint_LargeHorizon_FlatRidgeValuesAgree() =>
        ForAll(Gen.Select(Generators.LargeHorizon, LogUniform(1e6, 1e14)), t =>
        {
            var (c, T) = t;
            var s = Solve(new ScalingProblem(TuningRegime.Joint, T), c);
            Assert.True(s.Conditions.HasFlag(SolutionConditions.FlatRidge));
            Near(new LmoProxy(c).LargeHorizonOptimum(T), s.ClosedForm.Proxy, 1e-9, "closed-form proxy");
            Near(s.ClosedForm.Proxy, s.Numerical.Proxy, 1e-9, "numerical proxy");
            // The representative point lies on the ridge b/alpha = u*(T).
            Near(new LmoProxy(c).CriticalRatio(T), s.ClosedForm.BatchSize / s.ClosedForm.Alpha, 1e-9, "b/alpha");
            Assert.Same(s.ClosedForm, s.Recommended);
        });

    [Fact]
    public void Joint_FullProxy_ValuesAgreeTightlyAndArgminsLoosely() =>
        ForAll(Gen.Select(Generators.FullProxy, LogUniform(1e10, 1e16)), t =>
        {
            var (c, T) = t;
            var s = Solve(new ScalingProblem(TuningRegime.Joint, T), c);
            if (s.Conditions != SolutionConditions.None) return; // constraints active: covered elsewhere
            Near(s.Numerical.Proxy, s.ClosedForm.Proxy, 1e-4, "proxy");
            Near(s.Numerical.BatchSize, s.ClosedForm.BatchSize, 0.05, "b");
            Near(s.Numerical.Alpha, s.ClosedForm.Alpha, 0.05, "alpha");
            Assert.True(s.Numerical.Proxy <= s.ClosedForm.Proxy * (1 + 1e-12));
        }, iterations: 100);

    [Fact]
    public void Ridge_IsExactOnTheLargeHorizonProxy() =>
        ForAll(Gen.Select(Generators.LargeHorizon, LogUniform(1e4, 1e14), Gen.Double[0, 0.5]), t =>
        {
            var (c, T, ridge) = t;
            var s = Solve(new ScalingProblem(TuningRegime.Ridge, T) { RidgeExponent = ridge }, c);
            Near(s.ClosedForm.Alpha, s.Numerical.Alpha, 1e-6, "alpha");
            Near(s.ClosedForm.Proxy, s.Numerical.Proxy, 1e-12, "proxy");
            if (s.Valid) Near(new LmoProxy(c).LargeHorizonOptimum(T), s.ClosedForm.Proxy, 1e-9, "on-ridge value");
        });

    [Fact]
    public void FixedLearningRate_IsExact() =>
        ForAll(Gen.Select(Generators.FullProxy, LogUniform(1e3, 1e14), LogUniform(1e-7, 1e-1), LogUniform(1e-4, 1)), t =>
        {
            var (c, T, eta, alpha) = t;
            var s = Solve(new ScalingProblem(TuningRegime.FixedLearningRate, T) { LearningRate = eta, Alpha = alpha }, c);
            Near(s.ClosedForm.BatchSize, s.Numerical.BatchSize, 1e-6, "b");
            Near(s.ClosedForm.Proxy, s.Numerical.Proxy, 1e-12, "proxy");
        });

    [Fact]
    public void IntegerBatch_PicksTheBestWholeBatch() =>
        ForAll(Gen.Select(Generators.FullProxy, LogUniform(1e5, 1e12), LogUniform(1e-3, 0.5)), t =>
        {
            var (c, T, alpha) = t;
            var p = new ScalingProblem(TuningRegime.FixedMomentum, T) { Alpha = alpha, IntegerBatch = true };
            var s = Solve(p, c);
            var proxy = new LmoProxy(c);
            foreach (var point in new[] { s.ClosedForm, s.Numerical })
            {
                Assert.Equal(Math.Floor(point.BatchSize), point.BatchSize);
                double b = point.BatchSize;
                foreach (double other in new[] { b - 1, b + 1 }.Where(x => x >= 1 && x <= T))
                    Assert.True(point.Proxy <= proxy.EvaluateAtOptimalLearningRate(alpha, other, T) * (1 + 1e-12), $"b = {b} beaten by {other}");
            }
        });
}
