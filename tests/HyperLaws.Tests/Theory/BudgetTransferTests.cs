using CsCheck;
using HyperLaws.Theory;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Theory;

/// <summary>The transfer rules carry an optimum at T0 onto the optimum at T.</summary>
public sealed class BudgetTransferTests
{
    private static TransferResult FromOptimum(HyperparameterPoint p, TuningRegime regime, double to, double? multiple = null) =>
        BudgetTransfer.Transfer(new TransferRequest(regime, p.Tokens, p.LearningRate, p.Momentum, p.BatchSize, to) { BatchMultiple = multiple });

    [Fact]
    public void Theorem1_TransferLandsOnTheOptimum() =>
        ForAll(Gen.Select(Generators.LargeHorizon, LogUniform(1e-4, 0.5), LogUniform(1, 1e3)), t =>
        {
            var (c, alpha, r) = t;
            double T0 = Math.Max(10 * new LmoProxy(c).BurnInTokens(alpha), 1e6); // past burn-in, and b* well below T
            var at0 = Scaling.Solve(new ScalingProblem(TuningRegime.FixedMomentum, T0) { Alpha = alpha }, c).ClosedForm;
            var at1 = Scaling.Solve(new ScalingProblem(TuningRegime.FixedMomentum, r * T0) { Alpha = alpha }, c).ClosedForm;
            var moved = FromOptimum(at0, TuningRegime.FixedMomentum, r * T0);
            Near(at1.BatchSize, moved.Batch, 1e-9, "b");
            Near(at1.LearningRate, moved.LearningRate, 1e-9, "eta");
            Near(at1.Alpha, moved.Alpha, 1e-9, "alpha");
            Assert.True(moved.Valid);
        });

    [Fact]
    public void Theorem1_RoundedBatchGetsItsOwnOptimalLearningRate() =>
        ForAll(Gen.Select(Generators.LargeHorizon, LogUniform(1e-4, 0.5), LogUniform(1, 1e3), Gen.Int[2, 64]), t =>
        {
            var (c, alpha, r, m) = t;
            double T0 = Math.Max(10 * new LmoProxy(c).BurnInTokens(alpha), 1e6); // past burn-in, and b* well below T
            var at0 = Scaling.Solve(new ScalingProblem(TuningRegime.FixedMomentum, T0) { Alpha = alpha }, c).ClosedForm;
            var moved = FromOptimum(at0, TuningRegime.FixedMomentum, r * T0, m);
            Assert.Equal(0, moved.Batch % m);
            Near(new LmoProxy(c).OptimalLearningRate(moved.Alpha, moved.Batch, r * T0), moved.LearningRate, 1e-9, "eta at the rounded batch");
        });

    [Fact]
    public void Theorem2_TransferLandsOnTheOptimum() =>
        ForAll(Gen.Select(Generators.LargeHorizon, LogUniform(1, 1e4), LogUniform(1, 1e3)), t =>
        {
            var (c, batch, r) = t;
            double T0 = Math.Max(2 * new LmoProxy(c).FixedBatchValidityTokens(batch), batch);
            var at0 = Scaling.Solve(new ScalingProblem(TuningRegime.FixedBatch, T0) { Batch = batch }, c).ClosedForm;
            var at1 = Scaling.Solve(new ScalingProblem(TuningRegime.FixedBatch, r * T0) { Batch = batch }, c).ClosedForm;
            var moved = FromOptimum(at0, TuningRegime.FixedBatch, r * T0);
            Near(at1.Alpha, moved.Alpha, 1e-9, "alpha");
            Near(at1.LearningRate, moved.LearningRate, 1e-9, "eta");
            Assert.Equal(batch, moved.Batch);
        });

    [Fact]
    public void Theorem3_TransferLandsOnTheClosedFormOptimum() =>
        ForAll(Gen.Select(Generators.FullProxy, LogUniform(1e10, 1e13), LogUniform(1, 1e3)), t =>
        {
            var (c, T0, r) = t;
            var at0 = Scaling.Solve(new ScalingProblem(TuningRegime.Joint, T0), c);
            var at1 = Scaling.Solve(new ScalingProblem(TuningRegime.Joint, r * T0), c);
            if (at0.Conditions != SolutionConditions.None || at1.Conditions != SolutionConditions.None) return;
            var moved = FromOptimum(at0.ClosedForm, TuningRegime.Joint, r * T0);
            Near(at1.ClosedForm.BatchSize, moved.Batch, 1e-9, "b");
            Near(at1.ClosedForm.Alpha, moved.Alpha, 1e-9, "alpha");
            // eta*(alpha, b) carries the cb term, so its T^(-7/12) is asymptotic.
            Near(at1.ClosedForm.LearningRate, moved.LearningRate, 1e-3, "eta");
        }, iterations: 100);

    [Fact]
    public void FlagsRulesLeavingTheirValidityRange()
    {
        // Going down in budget under Theorem 2 raises alpha past 1 (b > u*(T)).
        var down = BudgetTransfer.Transfer(new TransferRequest(TuningRegime.FixedBatch, 1e10, 1e-3, 0.5, 512, 1e8) { BatchMultiple = null });
        Assert.False(down.Valid);
        Assert.Equal(1.0, down.Alpha);
        Assert.Contains(down.Warnings, w => w.Contains("alpha"));

        var burnIn = BudgetTransfer.Transfer(new TransferRequest(TuningRegime.FixedMomentum, 1e6, 1e-3, 0.9, 1, 1e8));
        Assert.Contains(burnIn.Warnings, w => w.Contains("burn-in"));

        var far = BudgetTransfer.Transfer(new TransferRequest(TuningRegime.Joint, 1e6, 1e-3, 0.9, 32, 1e12));
        Assert.Contains(far.Warnings, w => w.Contains("decades"));
    }

    [Fact]
    public void RejectsBadRequests()
    {
        Assert.Throws<ArgumentException>(() => BudgetTransfer.Transfer(new TransferRequest(TuningRegime.Joint, 0, 1e-3, 0.9, 32, 1e9)));
        Assert.Throws<ArgumentException>(() => BudgetTransfer.Transfer(new TransferRequest(TuningRegime.Joint, 1e6, -1, 0.9, 32, 1e9)));
        Assert.Throws<ArgumentException>(() => BudgetTransfer.Transfer(new TransferRequest(TuningRegime.Joint, 1e6, 1e-3, 1.0, 32, 1e9)));
        Assert.Throws<ArgumentException>(() => BudgetTransfer.Transfer(new TransferRequest(TuningRegime.Joint, 1e6, 1e-3, 0.9, 0.5, 1e9)));
        var missing = Assert.Throws<MissingQuantityException>(() => BudgetTransfer.Transfer(new TransferRequest(TuningRegime.Ridge, 1e6, 1e-3, 0.9, 32, 1e9)));
        Assert.Equal(ScalingQuantity.RidgeExponent, missing.Quantity);
        Assert.Throws<ArgumentException>(() => BudgetTransfer.Transfer(new TransferRequest(TuningRegime.FixedLearningRate, 1e6, 1e-3, 0.9, 32, 1e9)));
    }
}
