using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Optimum;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Tests.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// One rule for the batch: where the user fixes the batch, the LR-axis prior's eta_ref moves by the factor the plan applies to the
/// rule's LR (<see cref="ScalingRules.FixedBatchLrFactor"/>, carried by <see cref="PlanHyperparameters.BatchLrFactor"/>), so the
/// prior's optimum and the rule's LR never disagree about the batch (before, eta_ref stayed at Step Law's own batch).
/// </summary>
public sealed class LrAxisPriorBatchTests
{
    private static readonly RunReference Reference = new(25e6, 5e5, 72000, 3e-4, 0.9, false, false, "ref");

    /// <summary>The reference schedule's loss (warmup min(2000, steps/10), cosine to 0: the calibration's) under <paramref name="q"/> at <paramref name="peak"/>.</summary>
    private static double Loss(JointLaw law, double[] q, int steps, double peak)
    {
        int stride = (int)Math.Ceiling(steps / (double)LrAxisCalibration.Entries), entries = (int)Math.Ceiling(steps / (double)stride);
        int warmup = Math.Min(2000, steps / 10);
        double[] lr = [.. Enumerable.Range(0, entries).Select(j =>
        {
            long t = Math.Min(steps, (long)j * stride + (stride + 1) / 2);
            return peak * (t < warmup ? (double)t / warmup : 0.5 * (1 + Math.Cos(Math.PI * (t - warmup) / (steps - warmup))));
        })];
        var y = new double[1];
        law.Predict(q, new ScheduleHistory(lr), double.NaN, double.NaN, [entries], y, stride);
        return y[0];
    }

    /// <summary>The calibrated law's argmin of the reference schedule's loss over ln(peak): a grid of x1/30..x30 around <paramref name="guess"/>, then golden section.</summary>
    private static double ArgMin(JointLaw law, double[] q, int steps, double guess)
    {
        double lo = Math.Log(guess / 30), hi = Math.Log(guess * 30);
        var grid = Enumerable.Range(0, 61).Select(i => lo + i * (hi - lo) / 60).ToArray();
        int best = Enumerable.Range(0, grid.Length).MinBy(i => Loss(law, q, steps, Math.Exp(grid[i])));
        Assert.InRange(best, 1, grid.Length - 2);
        double a = grid[best - 1], b = grid[best + 1], r = (Math.Sqrt(5) - 1) / 2;
        for (int i = 0; i < 60; i++)
        {
            double x1 = b - r * (b - a), x2 = a + r * (b - a);
            if (Loss(law, q, steps, Math.Exp(x1)) <= Loss(law, q, steps, Math.Exp(x2))) b = x2; else a = x1;
        }
        return Math.Exp(0.5 * (a + b));
    }

    [Theory]
    [InlineData(1.25e8, 5e9, 4.0)]
    [InlineData(4e8, 5.9e11, 2.0)]
    [InlineData(1.3e9, 2.6e10, 0.25)]
    [InlineData(7e9, 2e11, 9.0)]
    public void When_only_the_batch_changes_the_priors_optimum_moves_as_the_rules_LR(double n, double d, double times)
    {
        // The rule at its own batch, then the same target at `times` that batch: the rule's LR moves by sqrt(times) (Theorem 1).
        var request = new PlanRequest(n, d, TrainingOptimizer.AdamW);
        var atRule = ScalingRules.Decide(request, Reference, null, null, StepLawRule.Instance).Hyperparameters;
        var atFixed = ScalingRules.Decide(request with { BatchTokens = times * atRule.BatchTokens }, Reference, null, null, StepLawRule.Instance).Hyperparameters;
        Assert.Equal(1.0, atRule.BatchLrFactor);
        // sqrt(times) up to the rule batch's rounding to whole sequences (the factor is taken against the unrounded rule batch).
        Assert.InRange(atFixed.BatchLrFactor / Math.Sqrt(times), 1 - 1e-3, 1 + 1e-3);
        Assert.Equal(atFixed.BatchLrFactor, atFixed.RuleLearningRate / atRule.RuleLearningRate, 12);

        // The prior calibrated at each plan's batch and steps puts the joint law's optimum for the reference schedule (found
        // numerically, not read off the calibration) where the rule's LR says: the ratio of the two optima is the rules' ratio.
        var law = new JointLaw();
        var p = JointLawTests.Parameters(e: 2.5, a: 0.8, alpha: 0.5, sw: 0.05, kappa: 0, c: 0, timeNoise: 10, stepNoise: 10);
        var prior = LrAxisPlanTests.Shipped;
        var axisAtRule = LrAxisCalibration.Calibrate(law, p, prior, n, d, atRule.Steps, double.NaN, double.NaN, atRule.BatchLrFactor);
        var axisAtFixed = LrAxisCalibration.Calibrate(law, p, prior, n, d, atFixed.Steps, double.NaN, double.NaN, atFixed.BatchLrFactor);
        Assert.Equal(LrAxisPrior.ReferenceLr(n, d), axisAtRule.ReferenceLr);        // at the rule's batch: Step Law's eta_ref, bit for bit
        Assert.False(axisAtRule.CostClipped || axisAtFixed.CostClipped);
        double optimumAtRule = ArgMin(law, axisAtRule.Apply(p), atRule.Steps, axisAtRule.OptimalLr);
        double optimumAtFixed = ArgMin(law, axisAtFixed.Apply(p), atFixed.Steps, axisAtFixed.OptimalLr);
        double ruleRatio = atFixed.RuleLearningRate / atRule.RuleLearningRate;
        Assert.True(Math.Abs(Math.Log(optimumAtFixed / optimumAtRule / ruleRatio)) < 0.03,
            $"optimum {optimumAtRule} -> {optimumAtFixed} (x{optimumAtFixed / optimumAtRule}) against the rule's x{ruleRatio}");
        // And the prior's support moves with it.
        Assert.Equal(prior.Support(n, d).Low * atFixed.BatchLrFactor, prior.Support(n, d, atFixed.BatchLrFactor).Low, 15);
    }

    [Fact]
    public void A_plan_at_a_fixed_batch_states_the_priors_optimum_at_that_batch()
    {
        // The 25M Multi-Power-Law curves (one peak LR) at 10x their budget, the batch fixed at 4x theirs (the rule's here: the
        // anchor carries their batch by D^0.571, so the factor is read off the plan's own reason, not assumed).
        var request = new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW) { BatchTokens = 1 << 22 };
        var plan = Planner.Make(request, LrAxisPlanTests.Mpl25(), new PlanOptions { Laws = ["tissue"], Calibrate = false, LrPrior = LrAxisPlanTests.Shipped, LrPriorSource = "shipped" });
        double factor = plan.Reasons.Single(r => r.Kind == ReasonKind.BatchFixed).Q("lrFactor");
        Assert.NotEqual(1.0, factor);
        Assert.Equal(factor, plan.Hyperparameters.BatchLrFactor);
        var prior = plan.Reasons.Single(r => r.Kind == ReasonKind.LrAxisPrior);
        double etaRef = LrAxisPrior.ReferenceLr(request.Parameters, request.Tokens);
        Assert.Equal(factor, prior.Q("batchFactor"));
        Assert.Equal(etaRef * factor, prior.Q("etaRef"), 15);
        Assert.Equal(LrAxisPlanTests.Shipped.Ratio * etaRef * factor, prior.Chosen, 12);
        Assert.Equal(LrAxisPlanTests.Shipped.RatioLow * etaRef * factor, prior.Q("supportLow"), 15);
        Assert.Contains("the fixed batch's factor on the rule's LR", PlanExplainer.Reason(prior).Text, StringComparison.Ordinal);
    }
}
