using CsCheck;
using HyperLaws.Numerics;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Numerics;

/// <summary>OptLaw's normal equations take four dot products per pass (issue 12): each must be the one-at-a-time sum, bit for bit.</summary>
public sealed class DotProductsTests
{
    [Fact]
    public void Four_at_once_are_each_the_single_dot_product_bit_for_bit() =>
        ForAll(Gen.Select(Gen.Int[0, 70], Gen.ULong), t =>
        {
            var (length, seed) = t;
            var random = new Random((int)(seed % int.MaxValue));
            // Values over many binades and of both signs, so the order of the additions shows in the last bits.
            double[] Draw() => [.. Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-8, 9)))];
            var x = Draw();
            var ys = new[] { Draw(), Draw(), Draw(), Draw() };
            var four = new double[4];
            DotProducts.Dot4(x, ys[0], ys[1], ys[2], ys[3], four);
            for (int k = 0; k < 4; k++) Assert.Equal(DotProducts.Dot(x, ys[k]), four[k]);
        }, iterations: 300);

    [Fact]
    public void A_short_vector_is_refused() =>
        Assert.Throws<ArgumentException>(() => DotProducts.Dot4(new double[5], new double[5], new double[4], new double[5], new double[5], new double[4]));
}
