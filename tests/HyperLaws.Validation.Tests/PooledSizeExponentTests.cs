using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// The size exponent pooled over sources (<see cref="PooledSizeExponent"/>; docs/VALIDATION.md, "Protocol 2 with a size exponent pooled
/// over sources"): the profile search on objectives of known minimum, so the search itself is checked without a law's fit.
/// </summary>
public sealed class PooledSizeExponentTests
{
    [Fact]
    public void The_search_finds_an_interior_minimum_to_its_tolerance()
    {
        var (beta, objective) = PooledSizeExponent.Minimize(b => (b - 0.2137) * (b - 0.2137) + 1);
        Assert.InRange(beta, 0.2137 - PooledSizeExponent.Tolerance, 0.2137 + PooledSizeExponent.Tolerance);
        Assert.InRange(objective, 1, 1 + 1e-6);
    }

    [Fact]
    public void The_pooled_exponent_minimises_the_sum_and_each_source_alone_keeps_its_own()
    {
        // O_a has its minimum at 0.20 with curvature 4, O_b at 0.40 with curvature 1: the sum's minimum is (4 * 0.2 + 0.4) / 5 = 0.24.
        var calls = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 };
        var sources = new[]
        {
            new PooledSource("a", b => { calls["a"]++; return 4 * (b - 0.20) * (b - 0.20); }),
            new PooledSource("b", b => { calls["b"]++; return (b - 0.40) * (b - 0.40) + 0.5; }),
        };
        var result = PooledSizeExponent.Fit(sources);
        Assert.InRange(result.Pooled.Beta, 0.24 - 1e-3, 0.24 + 1e-3);
        Assert.InRange(result.Alone[0].Beta, 0.20 - 1e-3, 0.20 + 1e-3);
        Assert.InRange(result.Alone[1].Beta, 0.40 - 1e-3, 0.40 + 1e-3);
        Assert.Equal(["a", "b"], result.Alone.Select(a => a.Source));
        // Each beta is fitted once per source (the cache): the grid's fits serve the pooled and the per-source searches.
        Assert.Equal(result.Profiles[0].Count, calls["a"]);
        Assert.Equal(result.Profiles[1].Count, calls["b"]);
        Assert.True(result.Profiles[0].Count < 2 * (PooledSizeExponent.Grid.Count + 20));
    }

    [Fact]
    public void A_flat_source_leaves_the_pooled_exponent_to_the_other()
    {
        // A source that cannot tell beta (two sizes: three unknowns of the offset from two levels) adds a constant to the sum.
        var result = PooledSizeExponent.Fit([new PooledSource("flat", _ => 0.3), new PooledSource("six sizes", b => (b - 0.31) * (b - 0.31))]);
        Assert.InRange(result.Pooled.Beta, 0.31 - 1e-3, 0.31 + 1e-3);
        Assert.Equal(0.3, result.Alone[0].Objective);
        // Its beta alone is a tie-break on a flat profile (max - min <= 1e-9 x level), reported as flat; the other's is not.
        Assert.True(result.Alone[0].Flat);
        Assert.False(result.Alone[1].Flat);
        Assert.True(PooledSizeExponent.IsFlat([7.5259e-7, 7.5259e-7 + 3e-20]));
        Assert.False(PooledSizeExponent.IsFlat([1.0, 1.0 + 1e-6]));
        Assert.False(PooledSizeExponent.IsFlat([1.0, double.PositiveInfinity]));
    }

    [Fact]
    public void A_source_without_a_fit_at_some_beta_counts_as_infinite_there_and_none_finite_is_an_error()
    {
        var result = PooledSizeExponent.Fit([new PooledSource("gap", b => b < 0.3 ? double.NaN : (b - 0.5) * (b - 0.5))]);
        Assert.InRange(result.Pooled.Beta, 0.5 - 1e-3, 0.5 + 1e-3);
        Assert.Contains(result.Profiles[0], p => double.IsPositiveInfinity(p.Objective));
        // No finite fit anywhere: a data error (exit 2 in the CLI) naming the source, whether alone or beside a source that fits.
        var e = Assert.Throws<ValidationDataException>(() => PooledSizeExponent.Fit([new PooledSource("none", _ => double.PositiveInfinity)]));
        Assert.Contains("none: no fit is finite at any beta of the grid", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ValidationDataException>(() => PooledSizeExponent.Fit([new PooledSource("fits", b => b * b), new PooledSource("never", _ => double.NaN)]));
        Assert.Contains("never: no fit is finite", e.Message, StringComparison.Ordinal);
        // Each finite somewhere but never together: the pooled objective is named.
        e = Assert.Throws<ValidationDataException>(() => PooledSizeExponent.Fit([new PooledSource("low", b => b < 0.3 ? b : double.NaN), new PooledSource("high", b => b > 0.5 ? b : double.NaN)]));
        Assert.Contains("pooled over low and high: no fit is finite", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PooledSizeExponent.Fit([]));
    }
}
