using CsCheck;
using HyperLaws.Numerics;
using Xunit;

namespace HyperLaws.Tests.Numerics;

public sealed class PowerLawFitTests
{
    [Fact]
    public void RecoversExactPowerLaws() =>
        Property.ForAll(Gen.Select(Gen.Double[-2, 2], Property.LogUniform(1e-6, 1e6)), t =>
        {
            var (k, c) = t;
            double[] x = Enumerable.Range(0, 20).Select(i => Math.Pow(10, i * 0.5)).ToArray();
            var fit = PowerLawFit.Fit(x, x.Select(v => c * Math.Pow(v, k)).ToArray());
            Assert.Equal(k, fit.Exponent, 9);
            Property.Near(c, fit.Prefactor, 1e-8, "prefactor");
            if (Math.Abs(k) > 1e-3) Assert.True(fit.RSquared > 1 - 1e-9, $"R2 = {fit.RSquared}"); // R2 is undefined for a flat line
            Assert.Equal(20, fit.Points);
        });

    [Fact]
    public void NoiseGivesAStandardErrorAndSkipsNonPositivePoints()
    {
        double[] x = [1, 10, 100, 1000, 0, -5];
        double[] y = [1, 0.55, 0.33, 0.18, 1, 1];
        var fit = PowerLawFit.Fit(x, y);
        Assert.Equal(4, fit.Points);
        Assert.True(fit.ExponentStandardError > 0);
        Assert.InRange(fit.Exponent, -0.3, -0.2);
        Assert.InRange(fit.RSquared, 0.9, 1.0);
    }

    [Fact]
    public void RejectsTooFewPoints()
    {
        Assert.Throws<ArgumentException>(() => PowerLawFit.Fit([1.0], [2.0]));
        Assert.Throws<ArgumentException>(() => PowerLawFit.Fit([2.0, 2.0], [1.0, 3.0]));
        Assert.Throws<ArgumentException>(() => PowerLawFit.Fit([1.0, 2.0], [1.0]));
    }
}
