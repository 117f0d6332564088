using CsCheck;
using HyperLaws.Numerics;
using Xunit;

namespace HyperLaws.Tests.Numerics;

public sealed class NonNegativeLeastSquaresTests
{
    private static double Residual(double[,] a, double[] b, double[] x)
    {
        double s = 0;
        for (int i = 0; i < b.Length; i++)
        {
            double r = -b[i];
            for (int j = 0; j < x.Length; j++) r += a[i, j] * x[j];
            s += r * r;
        }
        return s;
    }

    /// <summary>Brute force: unconstrained least squares on every subset of the constrained columns, kept when feasible.</summary>
    private static double BruteForce(double[,] a, double[] b, bool[] constrained)
    {
        int n = constrained.Length, m = b.Length;
        double best = double.PositiveInfinity;
        for (int mask = 0; mask < 1 << n; mask++)
        {
            bool ok = true;
            for (int j = 0; j < n; j++) if (!constrained[j] && (mask & (1 << j)) == 0) ok = false;
            if (!ok) continue;
            var cols = Enumerable.Range(0, n).Where(j => (mask & (1 << j)) != 0).ToArray();
            var x = new double[n];
            if (cols.Length > 0)
            {
                // Normal equations of the subset by Gaussian elimination (tiny, well-conditioned problems).
                int p = cols.Length;
                var g = new double[p, p + 1];
                for (int r = 0; r < p; r++)
                {
                    for (int c = 0; c < p; c++)
                        for (int i = 0; i < m; i++) g[r, c] += a[i, cols[r]] * a[i, cols[c]];
                    for (int i = 0; i < m; i++) g[r, p] += a[i, cols[r]] * b[i];
                }
                for (int c = 0; c < p; c++)
                {
                    int piv = c;
                    for (int r = c + 1; r < p; r++) if (Math.Abs(g[r, c]) > Math.Abs(g[piv, c])) piv = r;
                    for (int k = 0; k <= p; k++) (g[c, k], g[piv, k]) = (g[piv, k], g[c, k]);
                    for (int r = 0; r < p; r++)
                    {
                        if (r == c) continue;
                        double f = g[r, c] / g[c, c];
                        for (int k = 0; k <= p; k++) g[r, k] -= f * g[c, k];
                    }
                }
                for (int r = 0; r < p; r++) x[cols[r]] = g[r, p] / g[r, r];
            }
            if (Enumerable.Range(0, n).Any(j => constrained[j] && x[j] < -1e-12)) continue;
            best = Math.Min(best, Residual(a, b, x));
        }
        return best;
    }

    [Fact]
    public void MatchesBruteForceOverActiveSets()
    {
        var gen = Gen.Select(Gen.Int[2, 5], Gen.Int[0, int.MaxValue], (n, seed) => (n, seed));
        Property.ForAll(gen, t =>
        {
            var rng = new Random(t.seed);
            int m = 12, n = t.n;
            var a = new double[m, n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) a[i, j] = rng.NextDouble() * 2 - 1;
            var b = Enumerable.Range(0, m).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            var constrained = Enumerable.Range(0, n).Select(j => j > 0 || rng.NextDouble() < 0.5).ToArray();
            var x = NonNegativeLeastSquares.Solve(a, b, constrained);
            for (int j = 0; j < n; j++) if (constrained[j]) Assert.True(x[j] >= 0, $"x[{j}] = {x[j]}");
            double expected = BruteForce(a, b, constrained);
            Assert.True(Residual(a, b, x) <= expected * (1 + 1e-9) + 1e-12, $"residual {Residual(a, b, x)} vs brute force {expected}");
        }, iterations: 150);
    }

    [Fact]
    public void ReturnsTheUnconstrainedSolutionWhenItIsFeasible()
    {
        // y = 2 + 3 u exactly: both coefficients positive.
        double[] u = [0, 1, 2, 3, 4];
        var a = new double[5, 2];
        for (int i = 0; i < 5; i++) { a[i, 0] = 1; a[i, 1] = u[i]; }
        var x = NonNegativeLeastSquares.Solve(a, [.. u.Select(v => 2 + 3 * v)], [true, true]);
        Assert.Equal(2, x[0], 9);
        Assert.Equal(3, x[1], 9);
    }

    [Fact]
    public void ClampsANegativeCoefficientToZeroAndRefitsTheRest()
    {
        // y = 1 - u: with the slope constrained >= 0 the best fit is the constant mean.
        double[] u = [0, 1, 2, 3];
        var a = new double[4, 2];
        for (int i = 0; i < 4; i++) { a[i, 0] = 1; a[i, 1] = u[i]; }
        var x = NonNegativeLeastSquares.Solve(a, [.. u.Select(v => 1 - v)], [false, true]);
        Assert.Equal(0, x[1]);
        Assert.Equal(-0.5, x[0], 12);
    }
}
