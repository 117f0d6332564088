using CsCheck;
using HyperLaws.Theory;
using Xunit;

namespace HyperLaws.Tests.Theory;

public sealed class NormFactorTests
{
    [Fact]
    public void RhoFollowsTheDualNormBounds()
    {
        ParameterShape[] shapes = [ParameterShape.Parse("768x3072*12"), ParameterShape.Parse("768")];
        Assert.Equal(1.0, NormFactor.Rho(LmoOptimizer.NormalizedSgd, shapes));
        Assert.Equal(Math.Sqrt(768.0 * 3072 * 12 + 768), NormFactor.Rho(LmoOptimizer.SignSgd, shapes), 9);
        Assert.Equal(Math.Sqrt(768.0 * 12 + 1), NormFactor.Rho(LmoOptimizer.Muon, shapes), 9);
        Assert.Equal(1.0, NormFactor.Rho(LmoOptimizer.SignSgd, []));
    }

    [Fact]
    public void SignSgdRhoBoundsTheL1NormByTheL2Norm() =>
        Property.ForAll(Gen.Double[-1, 1].Array[1, 50], v =>
        {
            double l1 = v.Sum(Math.Abs), l2 = Math.Sqrt(v.Sum(x => x * x));
            double rho = NormFactor.Rho(LmoOptimizer.SignSgd, [new ParameterShape(1, v.Length)]);
            Assert.True(l1 <= rho * l2 * (1 + 1e-12));
        });

    [Fact]
    public void ShapesParseAndRoundTrip() =>
        Property.ForAll(Gen.Select(Gen.Long[1, 100_000], Gen.Long[1, 100_000], Gen.Long[1, 1000]), t =>
        {
            var (r, c, n) = t;
            Assert.Equal(new ParameterShape(r, c, n), ParameterShape.Parse($"{r}x{c}*{n}"));
            Assert.Equal(new ParameterShape(1, c), ParameterShape.Parse($" {c} "));
        });

    [Theory]
    [InlineData("")]
    [InlineData("12xz")]
    [InlineData("0x5")]
    [InlineData("1x2x3")]
    [InlineData("4*-1")]
    public void BadShapesAreRejected(string text) => Assert.Throws<FormatException>(() => ParameterShape.Parse(text));
}
