using CsCheck;
using HyperLaws.Optimum;
using HyperLaws.Planning;
using Xunit;

namespace HyperLaws.Tests.Planning;

public sealed class ScalingRulesTests
{
    private const int L = 2048;

    private static RunReference Reference(double n, int seqs, int steps, double peak = 1e-3, double momentum = 0.9) =>
        new(n, seqs * (double)L, steps, peak, momentum, false, false, "ref");

    private static double LnEta(IOptimumRule rule, double n, double d) => rule.Predict(n, d).LnLearningRate;

    private static double LnB(IOptimumRule rule, double n, double d) => rule.Predict(n, d).LnBatchTokens;

    /// <summary>N_ref, N / N_ref, reference batch (sequences), reference steps, T / T_ref, anchor.</summary>
    private static readonly Gen<(double NRef, double SizeRatio, int Seqs, int Steps, double Ratio, int Rule)> Cases =
        Gen.Select(Property.LogUniform(1e7, 1e10), Property.LogUniform(0.3, 3), Gen.Int[8, 512], Gen.Int[1000, 20000], Property.LogUniform(0.3, 300), Gen.Int[0, 1]);

    [Fact]
    public void Without_calibration_the_reference_is_scaled_by_the_anchor_ratios() =>
        Property.ForAll(Cases, x =>
        {
            var rule = PublishedAnchors.Rules[x.Rule];
            var reference = Reference(x.NRef, x.Seqs, x.Steps, 2e-3, 0.9);
            double n = x.NRef * x.SizeRatio, t = reference.Tokens * x.Ratio;
            var d = ScalingRules.Decide(new PlanRequest(n, t, TrainingOptimizer.AdamW), reference, null, "no sweep", rule);
            var hp = d.Hyperparameters;

            // eta = eta_ref eta*(N, T) / eta*(N_ref, T_ref); B likewise, rounded to whole sequences.
            double eta = 2e-3 * Math.Exp(LnEta(rule, n, t) - LnEta(rule, x.NRef, reference.Tokens));
            double batch = reference.TokensPerStep * Math.Exp(LnB(rule, n, t) - LnB(rule, x.NRef, reference.Tokens));
            Property.Near(eta, hp.RuleLearningRate, 1e-12, "eta");
            Property.Near(eta / 2e-3, d.Scale, 1e-12, "scale");
            Assert.Equal(hp.BatchSequences * (double)L, hp.BatchTokens);
            Assert.True(Math.Abs(hp.BatchTokens - batch) <= L / 2.0 || (hp.BatchSequences == 1 && batch < L), $"batch {hp.BatchTokens} vs rule {batch}");
            Assert.Equal((int)Math.Round(t / hp.BatchTokens), hp.Steps);
            Assert.Equal("anchor", hp.Source);

            // Momentum on the ridge path of the anchor's batch exponent c (clipped to [0, 1/2]): alpha = alpha_ref r^(c - 1/2).
            double c = Math.Clamp(LnB(rule, n, t * Math.E) - LnB(rule, n, t), 0, 0.5);
            Property.Near(1 - 0.1 * Math.Pow(x.Ratio, c - 0.5), hp.Momentum, 1e-9, "momentum");
            Assert.Contains(d.Warnings, w => w.Kind == WarningKind.AnchorPrior && w.Detail == "no sweep" && PlanExplainer.Warning(w).Contains("no sweep", StringComparison.Ordinal));
        }, iterations: 150);

    [Fact]
    public void Step_law_keeps_the_momentum_because_its_batch_exponent_clips_to_one_half()
    {
        var reference = Reference(1e8, 32, 4000, momentum: 0.93);
        foreach (double ratio in new[] { 0.5, 3, 40 })
        {
            var hp = ScalingRules.Decide(new PlanRequest(1e8, reference.Tokens * ratio, TrainingOptimizer.AdamW), reference, null, null, StepLawRule.Instance).Hyperparameters;
            Assert.Equal(0.93, hp.Momentum, 12);
        }
    }

    [Fact]
    public void Deepseek_raises_the_momentum_with_the_budget_as_t_to_the_c_minus_one_half()
    {
        var reference = Reference(1e8, 32, 4000);
        double previous = 0.9;
        foreach (double ratio in new[] { 2.0, 10, 100 })
        {
            var hp = ScalingRules.Decide(new PlanRequest(1e8, reference.Tokens * ratio, TrainingOptimizer.AdamW), reference, null, null, DeepSeekRule.Instance).Hyperparameters;
            // DeepSeek's B* ~ (6 N D)^0.3271: c = 0.3271 < 1/2, alpha = 0.1 r^(0.3271 - 0.5).
            Assert.Equal(1 - 0.1 * Math.Pow(ratio, 0.3271 - 0.5), hp.Momentum, 9);
            Assert.True(hp.Momentum > previous, $"momentum {hp.Momentum} at {ratio}x does not rise above {previous}");
            previous = hp.Momentum;
        }
    }

    [Fact]
    public void The_reference_budget_and_size_give_back_the_reference() =>
        Property.ForAll(Cases, x =>
        {
            var rule = PublishedAnchors.Rules[x.Rule];
            var reference = Reference(x.NRef, x.Seqs, x.Steps, 3e-4, 0.95);
            var hp = ScalingRules.Decide(new PlanRequest(x.NRef, reference.Tokens, TrainingOptimizer.AdamW), reference, null, null, rule).Hyperparameters;
            Property.Near(3e-4, hp.RuleLearningRate, 1e-12, "eta");
            Assert.Equal(reference.TokensPerStep, hp.BatchTokens);
            Assert.Equal(x.Seqs, hp.BatchSequences);
            Assert.Equal(x.Steps, hp.Steps);
            Assert.Equal(0.95, hp.Momentum, 12);
        }, iterations: 100);

    [Fact]
    public void The_lr_moves_with_the_budget_in_the_direction_of_the_anchor() =>
        Property.ForAll(Gen.Select(Property.LogUniform(0.5, 50), Property.LogUniform(1.01, 10)), x =>
        {
            var reference = Reference(3e8, 64, 5000);
            double t1 = reference.Tokens * x.Item1, t2 = t1 * x.Item2;
            double Eta(IOptimumRule rule, double t) => ScalingRules.Decide(new PlanRequest(3e8, t, TrainingOptimizer.AdamW), reference, null, null, rule).Hyperparameters.RuleLearningRate;
            // Step Law: eta* ~ D^0.307 rises; DeepSeek: eta* ~ C^-0.125 falls.
            Assert.True(Eta(StepLawRule.Instance, t2) > Eta(StepLawRule.Instance, t1));
            Assert.True(Eta(DeepSeekRule.Instance, t2) < Eta(DeepSeekRule.Instance, t1));
        }, iterations: 50);

    [Fact]
    public void The_batch_is_rounded_to_the_batch_multiple()
    {
        var reference = Reference(1e8, 30, 4000);
        var request = new PlanRequest(1e8, reference.Tokens * 7, TrainingOptimizer.AdamW) { BatchMultiple = 8, SequenceLength = L };
        var hp = ScalingRules.Decide(request, reference, null, null, StepLawRule.Instance).Hyperparameters;
        Assert.Equal(0, hp.BatchSequences % 8);
        double rule = 30 * Math.Pow(7, 0.571);
        Assert.True(Math.Abs(hp.BatchSequences - rule) <= 4, $"{hp.BatchSequences} sequences vs the rule's {rule}");
        Assert.Equal(hp.BatchSequences * (double)L, hp.BatchTokens);
    }

    [Fact]
    public void A_budget_of_fewer_than_ten_steps_is_an_argument_error()
    {
        var reference = Reference(1e8, 32, 4000);
        // At 16,384 tokens per sequence the smallest batch is one sequence: 1e5 tokens is 6 steps.
        var request = new PlanRequest(1e8, 1e5, TrainingOptimizer.AdamW) { SequenceLength = 16384 };
        var e = Assert.Throws<ArgumentException>(() => ScalingRules.Decide(request, reference, null, null, StepLawRule.Instance));
        Assert.Contains("steps", e.Message, StringComparison.Ordinal);
        Assert.Contains("too small", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ScalingRules.Decide(new PlanRequest(0, 1e10, TrainingOptimizer.AdamW), reference, null, null, StepLawRule.Instance));
    }

    [Fact]
    public void Assumptions_are_warned_and_every_decision_has_a_reason()
    {
        var reference = new RunReference(double.NaN, 65536, 2000, 1e-3, 0.9, true, true, "bare");
        var d = ScalingRules.Decide(new PlanRequest(2e8, 1e10, TrainingOptimizer.AdamW), reference, null, "why not", StepLawRule.Instance);
        Assert.Contains(d.Warnings, w => w.Kind == WarningKind.SizeUnknown && PlanExplainer.Warning(w).Contains("model size", StringComparison.Ordinal));
        // The runs' batch was assumed: the warning carries the assumed batch; the core's words name no command-line option.
        var assumed = Assert.Single(d.Warnings, w => w.Kind == WarningKind.RunsBatchAssumed);
        Assert.Equal(65536, assumed.Q("batchTokens"));
        Assert.DoesNotContain("--", PlanExplainer.Warning(assumed), StringComparison.Ordinal);
        Assert.Contains(d.Warnings, w => PlanExplainer.Warning(w).Contains("why not", StringComparison.Ordinal));
        foreach (var kind in new[] { ReasonKind.BatchAnchor, ReasonKind.LrAnchor, ReasonKind.Momentum, ReasonKind.Steps })
            Assert.Contains(d.Reasons, r => r.Kind == kind && double.IsFinite(r.Chosen) && PlanExplainer.Reason(r).Text.Length > 0);
        // The steps reason holds the numbers it was decided by: K = T / B.
        var steps = Assert.Single(d.Reasons, r => r.Kind == ReasonKind.Steps);
        Assert.Equal(d.Hyperparameters.Steps, steps.Chosen);
        Assert.Equal(Math.Round(steps.Q("tokens") / steps.Q("batchTokens")), steps.Q("steps"));
        // The figure marks the plan at (T, eta) and the runs at their budget, and follows one chosen rule.
        Assert.Equal(new ScalingPoint("plan", 1e10, d.Hyperparameters.RuleLearningRate), d.Figure.LearningRatePoints[0]);
        Assert.Equal(new ScalingPoint("your runs", reference.Tokens, 1e-3), d.Figure.LearningRatePoints[1]);
        Assert.Single(d.Figure.LearningRate, c => c.Chosen);
        Assert.All(d.Figure.LearningRate, c => Assert.Equal(c.Tokens.Length, c.Values.Length));
    }
}
