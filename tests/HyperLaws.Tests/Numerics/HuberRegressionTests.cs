using CsCheck;
using HyperLaws.Numerics;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Numerics;

/// <summary>
/// HuberRegression minimises a convex function, so its answer is the minimum exactly when the Karush-Kuhn-Tucker conditions
/// hold: the gradient sum rho'(r_i) a_i is 0 on the free coordinates and &gt;= 0 on those held at their bound 0.
/// </summary>
public sealed class HuberRegressionTests
{
    private static (double[] A, double[] B, bool[] Constrained, double Delta) Problem(int m, int n, int seed, double delta)
    {
        var rng = new Random(seed);
        var a = new double[m * n];
        var b = new double[m];
        var truth = new double[n];
        for (int j = 0; j < n; j++) truth[j] = rng.NextDouble() * 4 - 2;   // some negative: their bound binds
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++) a[i * n + j] = j == 0 ? 1 : rng.NextDouble() * 3 - 1;
            double y = 0;
            for (int j = 0; j < n; j++) y += a[i * n + j] * truth[j];
            // Mostly small noise, some gross outliers (the linear zone).
            b[i] = y + (rng.NextDouble() < 0.15 ? 5 * (rng.NextDouble() - 0.5) : 0.02 * (rng.NextDouble() - 0.5));
        }
        var constrained = new bool[n];
        for (int j = 1; j < n; j++) constrained[j] = rng.NextDouble() < 0.6;
        return (a, b, constrained, delta);
    }

    private static double[] Gradient(double[] a, double[] b, int n, double[] x, double delta)
    {
        var g = new double[n];
        for (int i = 0; i < b.Length; i++)
        {
            double r = -b[i];
            for (int j = 0; j < n; j++) r += a[i * n + j] * x[j];
            double slope = Math.Abs(r) <= delta ? r : delta * Math.Sign(r);
            for (int j = 0; j < n; j++) g[j] += slope * a[i * n + j];
        }
        return g;
    }

    [Fact]
    public void The_solution_satisfies_the_optimality_conditions_and_its_bounds() =>
        ForAll(Gen.Select(Gen.Int[4, 80], Gen.Int[1, 4], Gen.Int[0, 100000], LogUniform(1e-3, 10)), t =>
        {
            var (m, n, seed, delta) = t;
            if (m < n + 1) return;
            var (a, b, constrained, _) = Problem(m, n, seed, delta);
            var start = new double[n];
            var result = HuberRegression.Solve(a, b, n, constrained, delta, start);
            var g = Gradient(a, b, n, result.X, delta);
            double scale = 0;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) scale += Math.Abs(a[i * n + j]) * Math.Min(delta, 10);
            for (int j = 0; j < n; j++)
            {
                if (constrained[j]) Assert.True(result.X[j] >= 0, $"x[{j}] = {result.X[j]} below its bound");
                if (constrained[j] && result.X[j] == 0) Assert.True(g[j] >= -1e-9 * scale, $"g[{j}] = {g[j]} at the bound");
                else Assert.True(Math.Abs(g[j]) <= 1e-9 * scale, $"g[{j}] = {g[j]} on a free coordinate (scale {scale})");
            }
            Assert.Equal(HuberRegression.Objective(a, b, n, result.X, delta, null), result.Objective);
            Assert.True(result.Objective <= HuberRegression.Objective(a, b, n, start, delta, null));
        }, iterations: 300);

    [Fact]
    public void With_every_residual_in_the_quadratic_zone_it_is_least_squares_with_sign_constraints() =>
        ForAll(Gen.Select(Gen.Int[6, 40], Gen.Int[1, 4], Gen.Int[0, 100000]), t =>
        {
            var (m, n, seed) = t;
            var (a, b, constrained, _) = Problem(m, n, seed, 1);
            var matrix = new double[m, n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) matrix[i, j] = a[i * n + j];
            var expected = NonNegativeLeastSquares.Solve(matrix, b, constrained);
            var result = HuberRegression.Solve(a, b, n, constrained, 1e6, new double[n]);
            double fExpected = HuberRegression.Objective(a, b, n, expected, 1e6, null);
            Near(fExpected, result.Objective, 1e-9, "least-squares objective");
            Assert.True(result.Objective <= fExpected * (1 + 1e-12) + 1e-300);
        }, iterations: 200);

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentException>(() => HuberRegression.Solve(new double[5], new double[2], 2, new bool[2], 1, new double[2]));
        Assert.Throws<ArgumentException>(() => HuberRegression.Solve(new double[4], new double[2], 2, new bool[1], 1, new double[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => HuberRegression.Solve(new double[4], new double[2], 2, new bool[2], 0, new double[2]));
    }
}
