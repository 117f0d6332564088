using HyperLaws.Numerics;
using Xunit;

namespace HyperLaws.Tests.Numerics;

public sealed class NelderMeadTests
{
    [Fact]
    public void FindsTheMinimumOfRosenbrock()
    {
        static double Rosenbrock(double[] x) => 100 * Math.Pow(x[1] - x[0] * x[0], 2) + Math.Pow(1 - x[0], 2);
        var r = NelderMead.Minimize(Rosenbrock, [-1.2, 1], [0.5, 0.5], 1e-14, 5000);
        Assert.Equal(1, r.X[0], 4);
        Assert.Equal(1, r.X[1], 4);
        Assert.True(r.Value < 1e-8);
    }

    [Fact]
    public void TreatsNaNAsInfinitelyBadAndStaysInTheFeasibleRegion()
    {
        // Undefined for x < 0 (NaN); the minimum is at x = 2 on the boundary side that is defined.
        var r = NelderMead.Minimize(x => x[0] < 0 ? double.NaN : Math.Pow(Math.Sqrt(x[0]) - Math.Sqrt(2), 2), [5], [1]);
        Assert.Equal(2, r.X[0], 5);
    }

    [Fact]
    public void IsDeterministic()
    {
        static double F(double[] x) => Math.Pow(x[0] - 3, 2) + 10 * Math.Pow(x[1] + 1, 2) + x[0] * x[1];
        var a = NelderMead.Minimize(F, [0, 0], [1, 1]);
        var b = NelderMead.Minimize(F, [0, 0], [1, 1]);
        Assert.Equal(a.X, b.X);
        Assert.Equal(a.Evaluations, b.Evaluations);
    }
}
