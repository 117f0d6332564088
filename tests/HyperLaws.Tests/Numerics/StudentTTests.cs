using CsCheck;
using HyperLaws.Numerics;
using Xunit;

namespace HyperLaws.Tests.Numerics;

/// <summary>
/// <see cref="StudentT"/>: the closed-form two-sided probability (Abramowitz and Stegun 26.7.3/26.7.4) against a numerical integral of
/// the t density, and the quantile against published table values and as the probability's inverse.
/// </summary>
public sealed class StudentTTests
{
    // Gamma((nu + 1) / 2) / Gamma(nu / 2) by the recurrence Gamma(x + 1) = x Gamma(x) from Gamma(1/2) = sqrt(pi), Gamma(1) = 1.
    private static double GammaHalf(int twice)
    {
        double g = twice % 2 == 1 ? Math.Sqrt(Math.PI) : 1;
        for (int m = twice % 2 == 1 ? 1 : 2; m < twice; m += 2) g *= m / 2.0;
        return g;
    }

    // P(|T| <= t) = 2 int_0^t f, f(x) = Gamma((nu+1)/2) / (sqrt(nu pi) Gamma(nu/2)) (1 + x^2/nu)^(-(nu+1)/2), by composite Simpson.
    private static double Integral(double t, int nu)
    {
        double c = GammaHalf(nu + 1) / (Math.Sqrt(nu * Math.PI) * GammaHalf(nu));
        double F(double x) => c * Math.Pow(1 + x * x / nu, -(nu + 1) / 2.0);
        const int m = 4000;
        double h = t / m, sum = F(0) + F(t);
        for (int i = 1; i < m; i++) sum += (i % 2 == 1 ? 4 : 2) * F(i * h);
        return 2 * sum * h / 3;
    }

    [Fact]
    public void The_closed_form_matches_the_integral_of_the_density()
    {
        Property.ForAll(Gen.Select(Gen.Int[1, 40], Gen.Double[0, 8]), x =>
            Assert.Equal(Integral(x.Item2, x.Item1), StudentT.TwoSidedProbability(x.Item2, x.Item1), 9));
    }

    [Theory]
    [InlineData(1, 6.313752)]
    [InlineData(2, 2.919986)]
    [InlineData(3, 2.353363)]
    [InlineData(4, 2.131847)]
    [InlineData(5, 2.015048)]
    [InlineData(8, 1.859548)]
    [InlineData(30, 1.697261)]
    public void The_90_percent_two_sided_quantile_is_the_published_t_0_95(int nu, double table) =>
        Assert.Equal(table, StudentT.TwoSidedQuantile(0.9, nu), 5);

    [Fact]
    public void The_quantile_inverts_the_probability()
    {
        Property.ForAll(Gen.Select(Gen.Int[1, 60], Gen.Double[0.01, 0.995]), x =>
            Assert.InRange(StudentT.TwoSidedProbability(StudentT.TwoSidedQuantile(x.Item2, x.Item1), x.Item1) - x.Item2, -1e-9, 1e-9));
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.TwoSidedProbability(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.TwoSidedQuantile(1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.TwoSidedQuantile(0.9, 0));
        Assert.Equal(1, StudentT.TwoSidedProbability(double.PositiveInfinity, 3));
    }
}
