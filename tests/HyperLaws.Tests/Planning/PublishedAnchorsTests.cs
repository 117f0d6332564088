using CsCheck;
using HyperLaws.Optimum;
using HyperLaws.Planning;
using Xunit;

namespace HyperLaws.Tests.Planning;

public sealed class PublishedAnchorsTests
{
    private static readonly Gen<(double N, double D)> Budgets = Gen.Select(Property.LogUniform(1e6, 1e12), Property.LogUniform(1e8, 1e14));

    [Fact]
    public void Step_law_is_the_primary_anchor_and_gives_its_published_formulas_for_adamw() =>
        Property.ForAll(Budgets, x =>
        {
            Assert.Same(StepLawRule.Instance, PublishedAnchors.Primary);
            var a = PublishedAnchors.At(PublishedAnchors.Primary, x.N, x.D, TrainingOptimizer.AdamW);
            // Li et al. 2025: eta* = 1.79 N^-0.713 D^0.307, B* = 0.58 D^0.571 tokens.
            Property.Near(1.79 * Math.Pow(x.N, -0.713) * Math.Pow(x.D, 0.307), a.LearningRate, 1e-12, "eta");
            Property.Near(0.58 * Math.Pow(x.D, 0.571), a.BatchTokens, 1e-12, "B");
            Assert.Equal(0.9, a.Momentum);
            Assert.Equal("Step Law", a.Rule);
            Assert.Equal("", a.Note);
        }, iterations: 100);

    [Fact]
    public void Deepseek_gives_its_compute_formulas_with_c_equal_6_n_d() =>
        Property.ForAll(Budgets, x =>
        {
            var a = PublishedAnchors.At(DeepSeekRule.Instance, x.N, x.D, TrainingOptimizer.AdamW);
            double c = 6 * x.N * x.D;
            // DeepSeek LLM 2024: eta* = 0.3118 C^-0.125, B* = 0.292 C^0.3271.
            Property.Near(0.3118 * Math.Pow(c, -0.125), a.LearningRate, 1e-12, "eta");
            Property.Near(0.292 * Math.Pow(c, 0.3271), a.BatchTokens, 1e-12, "B");
        }, iterations: 100);

    [Fact]
    public void Normalized_sgd_scales_the_adamw_lr_by_sqrt_n_and_the_others_keep_it() =>
        Property.ForAll(Budgets, x =>
        {
            foreach (var rule in PublishedAnchors.Rules)
            {
                var adam = PublishedAnchors.At(rule, x.N, x.D, TrainingOptimizer.AdamW);
                var nsgd = PublishedAnchors.At(rule, x.N, x.D, TrainingOptimizer.NormalizedSgd);
                Property.Near(adam.LearningRate * Math.Sqrt(x.N), nsgd.LearningRate, 1e-12, "nsgd eta");
                Assert.Equal(adam.BatchTokens, nsgd.BatchTokens);
                Assert.Contains("sqrt(N)", nsgd.Note, StringComparison.Ordinal);
                foreach (var same in new[] { TrainingOptimizer.SignSgd, TrainingOptimizer.Muon })
                {
                    var o = PublishedAnchors.At(rule, x.N, x.D, same);
                    Assert.Equal(adam.LearningRate, o.LearningRate);
                    Assert.Equal(adam.BatchTokens, o.BatchTokens);
                    Assert.NotEqual("", o.Note);
                }
                Assert.Equal(0.95, PublishedAnchors.At(rule, x.N, x.D, TrainingOptimizer.Muon).Momentum);
            }
        }, iterations: 50);

    [Theory]
    [InlineData(0, 1e9, "model size")]
    [InlineData(-1, 1e9, "model size")]
    [InlineData(double.NaN, 1e9, "model size")]
    [InlineData(1e8, 0, "token budget")]
    [InlineData(1e8, double.PositiveInfinity, "token budget")]
    public void Non_positive_or_non_finite_sizes_are_rejected(double n, double d, string what)
    {
        var e = Assert.Throws<ArgumentException>(() => PublishedAnchors.At(PublishedAnchors.Primary, n, d, TrainingOptimizer.AdamW));
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
    }
}
