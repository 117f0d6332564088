using CsCheck;
using HyperLaws.Numerics;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Numerics;

/// <summary>OptLaw's normal equations take eight dot products per pass, two weighted columns by four others (issue 12): each must be the one-at-a-time sum, bit for bit.</summary>
public sealed class DotProductsTests
{
    /// <summary>The normal equations' two-by-four kernel: each of its eight results is the single dot product, bit for bit.</summary>
    [Fact]
    public void Dot2x4_is_eight_single_dot_products_bit_for_bit() =>
        ForAll(Gen.Select(Gen.Int[0, 70], Gen.ULong), t =>
        {
            var (length, seed) = t;
            var random = new Random((int)(seed % int.MaxValue));
            // Values over many binades and of both signs, so the order of the additions shows in the last bits.
            double[] Draw() => [.. Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-8, 9)))];
            var x = new[] { Draw(), Draw() };
            var ys = new[] { Draw(), Draw(), Draw(), Draw() };
            var results = new[] { new double[4], new double[4] };
            DotProducts.Dot2x4(x[0], x[1], ys[0], ys[1], ys[2], ys[3], results[0], results[1]);
            for (int j = 0; j < 2; j++)
                for (int k = 0; k < 4; k++) Assert.Equal(DotProducts.Dot(x[j], ys[k]), results[j][k]);
        }, iterations: 300);

    [Fact]
    public void A_short_vector_is_refused() =>
        Assert.Throws<ArgumentException>(() => DotProducts.Dot2x4(new double[5], new double[5], new double[5], new double[4], new double[5], new double[5], new double[4], new double[4]));
}
