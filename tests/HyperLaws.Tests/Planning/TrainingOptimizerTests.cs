using HyperLaws.Planning;
using HyperLaws.Theory;
using Xunit;

namespace HyperLaws.Tests.Planning;

public sealed class TrainingOptimizerTests
{
    [Fact]
    public void Every_name_parses_back_to_its_optimizer_in_any_case()
    {
        Assert.Equal(Enum.GetValues<TrainingOptimizer>().Length, TrainingOptimizers.Names.Count);
        foreach (var o in Enum.GetValues<TrainingOptimizer>())
        {
            Assert.Equal(o, TrainingOptimizers.Parse(o.Name()));
            Assert.Equal(o, TrainingOptimizers.Parse("  " + o.Name().ToUpperInvariant() + " "));
        }
        Assert.Equal(TrainingOptimizer.NormalizedSgd, TrainingOptimizers.Parse("NSGD"));
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_name_is_an_argument_error_listing_the_names(string? text)
    {
        var e = Assert.Throws<ArgumentException>(() => TrainingOptimizers.Parse(text!));
        foreach (string name in TrainingOptimizers.Names) Assert.Contains(name, e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lion", "Lion", "1/8-1/4 x AdamW's at the same size and data: use")]
    [InlineData(" NAdamW ", "NAdamW", "1/2-1 x AdamW's at the same size and data (2x at 1.2B): use")] // the 1.2b tables' ratio (docs/VALIDATION.md)
    [InlineData("soap", "SOAP", "1/2-2 x AdamW's at the same size and data (2x at 1.2B): use")]
    [InlineData("Adam-Mini", "Adam-Mini", "1/2-1 x AdamW's at the same size and data: use")]
    public void An_optimizer_Marin_measured_without_a_rule_here_is_refused_with_its_measured_LR_ratio_to_AdamW(string text, string display, string ratio)
    {
        var e = Assert.Throws<ArgumentException>(() => TrainingOptimizers.Parse(text));
        Assert.StartsWith($"'{text}' ({display}) has no LR rule here: the rules are for adamw, muon, signsgd, nsgd.", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{display}'s best peak LR was {ratio}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("is not an optimizer", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--", e.Message, StringComparison.Ordinal); // the core names no option
        // Every measured name is refused so, and none is a name with a rule.
        foreach (var (names, _, _, _) in TrainingOptimizers.MeasuredWithoutRule)
            foreach (string n in names)
            {
                Assert.DoesNotContain(n, TrainingOptimizers.Names);
                Assert.Contains("has no LR rule here", Assert.Throws<ArgumentException>(() => TrainingOptimizers.Parse(n)).Message, StringComparison.Ordinal);
            }
    }

    [Fact]
    public void Adam_is_modelled_by_sign_descent_and_muon_keeps_its_own_momentum()
    {
        Assert.Equal(LmoOptimizer.SignSgd, TrainingOptimizer.AdamW.Lmo());
        Assert.Equal(LmoOptimizer.SignSgd, TrainingOptimizer.SignSgd.Lmo());
        Assert.Equal(LmoOptimizer.Muon, TrainingOptimizer.Muon.Lmo());
        Assert.Equal(LmoOptimizer.NormalizedSgd, TrainingOptimizer.NormalizedSgd.Lmo());
        Assert.Equal(0.95, TrainingOptimizer.Muon.AnchorMomentum());
        foreach (var o in new[] { TrainingOptimizer.AdamW, TrainingOptimizer.SignSgd, TrainingOptimizer.NormalizedSgd })
            Assert.Equal(0.9, o.AnchorMomentum());
    }
}
