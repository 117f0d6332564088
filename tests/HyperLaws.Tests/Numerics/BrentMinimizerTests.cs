using CsCheck;
using HyperLaws.Numerics;
using Xunit;

namespace HyperLaws.Tests.Numerics;

public sealed class BrentMinimizerTests
{
    [Fact]
    public void FindsInteriorMinimumOfParabolasAnywhereInTheInterval() =>
        Property.ForAll(Gen.Select(Gen.Double[-50, 50], Gen.Double[0.01, 100]), t =>
        {
            var (c, k) = t;
            var m = BrentMinimizer.Minimize(x => k * (x - c) * (x - c) + 3, -60, 60);
            Assert.True(Math.Abs(m.X - c) < 1e-6, $"x = {m.X}, c = {c}");
            Assert.True(m.Converged);
            Assert.False(m.AtBound);
        });

    [Fact]
    public void SnapsToTheBoundWhenTheMinimumIsOutside()
    {
        var m = BrentMinimizer.Minimize(x => (x - 5) * (x - 5), 0, 2);
        Assert.Equal(2.0, m.X);
        Assert.True(m.AtBound);
        var n = BrentMinimizer.Minimize(x => Math.Exp(x), -3, 1);
        Assert.Equal(-3.0, n.X);
    }

    [Fact]
    public void HandlesNonSmoothUnimodalFunctions()
    {
        var m = BrentMinimizer.Minimize(x => Math.Abs(x - 0.3) + 2, -1, 1);
        Assert.True(Math.Abs(m.X - 0.3) < 1e-8);
        Assert.Equal(2.0, m.Value, 8);
    }

    [Fact]
    public void DegenerateIntervalAndBadInput()
    {
        Assert.Equal(1.5, BrentMinimizer.Minimize(x => x, 1.5, 1.5).X);
        Assert.Throws<ArgumentException>(() => BrentMinimizer.Minimize(x => x, 2, 1));
        Assert.Throws<ArgumentException>(() => BrentMinimizer.Minimize(x => x, double.NaN, 1));
    }
}
