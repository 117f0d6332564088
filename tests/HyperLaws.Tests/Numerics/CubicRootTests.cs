using CsCheck;
using HyperLaws.Numerics;
using Xunit;

namespace HyperLaws.Tests.Numerics;

public sealed class CubicRootTests
{
    [Fact]
    public void RootSolvesTheCubicAndMatchesBisection() =>
        Property.ForAll(Gen.Select(Property.LogUniform(1e-12, 1e6), Gen.Double[0, 1].Select(u => u < 0.2 ? 0 : Math.Exp(-30 + 40 * u)), Property.LogUniform(1e-8, 1e8)), t =>
        {
            var (a, c, d) = t;
            double s = CubicRoot.PositiveRootOfMonotoneCubic(a, c, d);
            Assert.True(s > 0);
            // Bisection on the increasing f(s) = a s^3 + c s^2 - d.
            double lo = 0, hi = 1;
            while ((a * hi + c) * hi * hi < d) hi *= 2;
            for (int i = 0; i < 200; i++)
            {
                double mid = 0.5 * (lo + hi);
                if ((a * mid + c) * mid * mid < d) lo = mid; else hi = mid;
            }
            Property.Near(lo, s, 1e-9, "root");
        });

    [Fact]
    public void RejectsCubicsOutsideItsDomain()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CubicRoot.PositiveRootOfMonotoneCubic(0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => CubicRoot.PositiveRootOfMonotoneCubic(1, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => CubicRoot.PositiveRootOfMonotoneCubic(1, 1, 0));
    }
}
