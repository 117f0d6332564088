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
