using CsCheck;
using HyperLaws.Numerics;
using Xunit;

namespace HyperLaws.Tests.Numerics;

/// <summary>
/// The exact Huber solve of a linear model's relative residuals (the inner minimum of OptLaw's variable projection):
/// the optimality conditions hold at its answer, reweighting run to convergence reaches the same minimum and never a
/// lower one, and the answer does not depend on the starting point.
/// </summary>
public sealed class RelativeHuberRegressionTests
{
    private const double Delta = 1e-3;

    /// <summary>A random problem: a column of ones and 1-5 more, y = 1 + x . phi times (1 + noise), some rows far off.</summary>
    private static readonly Gen<(double[][] Columns, double[] Y, bool[] Constrained)> Problem = ProblemOf(Gen.Int[20, 400]);

    /// <summary><see cref="Problem"/> with the number of rows drawn from <paramref name="rows"/>.</summary>
    private static Gen<(double[][] Columns, double[] Y, bool[] Constrained)> ProblemOf(Gen<int> rows) =>
        Gen.Select(rows, Gen.Int[1, 5], Gen.Int[0, int.MaxValue]).Select((rows, extra, seed) =>
        {
            var random = new Random(seed);
            int n = extra + 1;
            var columns = new double[n][];
            columns[0] = [.. Enumerable.Repeat(1.0, rows)];
            for (int k = 1; k < n; k++) columns[k] = [.. Enumerable.Range(0, rows).Select(_ => random.NextDouble() * 2 - (k % 2 == 0 ? 1 : 0))];
            var truth = Enumerable.Range(0, n).Select(k => k == 0 ? 3.0 : random.NextDouble() < 0.3 ? -0.2 : 0.5 * random.NextDouble()).ToArray();
            double noise = Math.Exp(random.NextDouble() * Math.Log(100)) * 1e-4;   // 1e-4..1e-2: from mostly inliers to mostly outliers
            var y = new double[rows];
            for (int i = 0; i < rows; i++)
            {
                double clean = 0;
                for (int k = 0; k < n; k++) clean += truth[k] * columns[k][i];
                double far = random.NextDouble() < 0.05 ? 0.1 * (random.NextDouble() - 0.3) : 0;
                y[i] = clean * (1 + noise * (random.NextDouble() * 2 - 1) + far);
            }
            bool[] constrained = [false, .. Enumerable.Range(1, n - 1).Select(_ => random.NextDouble() < 0.7)];
            return (columns, y, constrained);
        });

    private static double Objective(double[][] columns, double[] y, double[] x) => Objective(columns, y, x, Delta);

    /// <summary>The mean Huber loss of the relative residuals (the objective the solver minimises), summed directly.</summary>
    internal static double Objective(double[][] columns, double[] y, double[] x, double delta)
    {
        double total = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double p = 0;
            for (int k = 0; k < columns.Length; k++) p += x[k] * columns[k][i];
            double a = Math.Abs((p - y[i]) / y[i]);
            total += a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
        }
        return total / y.Length;
    }

    /// <summary>Iteratively reweighted least squares (weights min(1, delta/|r|), NNLS each time) for a fixed number of steps.</summary>
    public static double[] Reweighted(double[][] columns, double[] y, bool[] constrained, int iterations)
    {
        int rows = y.Length, n = columns.Length;
        var weights = Enumerable.Repeat(1.0, rows).ToArray();
        double[] x = [];
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            var a = new double[rows, n];
            var b = new double[rows];
            for (int i = 0; i < rows; i++)
            {
                double s = Math.Sqrt(weights[i]) / y[i];
                for (int k = 0; k < n; k++) a[i, k] = columns[k][i] * s;
                b[i] = y[i] * s;
            }
            x = NonNegativeLeastSquares.Solve(a, b, constrained);
            for (int i = 0; i < rows; i++)
            {
                double p = 0;
                for (int k = 0; k < n; k++) p += x[k] * columns[k][i];
                double r = Math.Abs((p - y[i]) / y[i]);
                weights[i] = r <= Delta ? 1 : Delta / r;
            }
        }
        return x;
    }

    [Fact]
    public void Solve_MeetsTheOptimalityConditions_OnRandomProblems() => Property.ForAll(Problem, AssertOptimal, iterations: 150);

    /// <summary>More rows than one block of the residuals' pass (512) and the normal equations' chunk (2048), any remainder.</summary>
    [Fact]
    public void Solve_MeetsTheOptimalityConditions_OnProblemsOfSeveralBlocks() =>
        Property.ForAll(ProblemOf(Gen.Int[513, 4500]), AssertOptimal, iterations: 12);

    private static void AssertOptimal((double[][] Columns, double[] Y, bool[] Constrained) c)
    {
        {
            var (objective, x) = new RelativeHuberRegression(c.Columns, c.Y, c.Constrained, Delta).Solve(null);
            Assert.Equal(Objective(c.Columns, c.Y, x), objective, 1e-15);
            for (int k = 0; k < x.Length; k++)
            {
                if (c.Constrained[k]) Assert.True(x[k] >= 0, $"x[{k}] = {x[k]} is constrained to be >= 0");
                // dF/dx_k = (1/n) sum psi(r_i) phi_ik / y_i, psi(r) = clamp(r, -delta, delta); its scale: the same sum of |psi| bounds.
                double gradient = 0, scale = 0;
                for (int i = 0; i < c.Y.Length; i++)
                {
                    double p = 0;
                    for (int j = 0; j < x.Length; j++) p += x[j] * c.Columns[j][i];
                    double r = (p - c.Y[i]) / c.Y[i];
                    gradient += Math.Clamp(r, -Delta, Delta) * c.Columns[k][i] / c.Y[i];
                    scale += Delta * Math.Abs(c.Columns[k][i] / c.Y[i]);
                }
                // Free or positive: the gradient vanishes; held at zero by its constraint: it points into the feasible side.
                if (!c.Constrained[k] || x[k] > 0) Assert.True(Math.Abs(gradient) <= 1e-9 * scale, $"column {k}: dF/dx = {gradient:G3} (scale {scale:G3}), x = {x[k]:G6}");
                else Assert.True(gradient >= -1e-9 * scale, $"column {k} at its bound: dF/dx = {gradient:G3} (scale {scale:G3})");
            }
        }
    }

    [Fact]
    public void Solve_ReachesTheMinimumOfReweightingToConvergence_AndNoLowerOne()
    {
        Property.ForAll(Problem, c =>
        {
            var (objective, _) = new RelativeHuberRegression(c.Columns, c.Y, c.Constrained, Delta).Solve(null);
            double reference = Objective(c.Columns, c.Y, Reweighted(c.Columns, c.Y, c.Constrained, 400));
            // The minimum is unique (F is convex); reweighting approaches it from above (linearly, slowly where many rows
            // sit near +-delta: after 400 iterations it is still up to a few 1e-6 above on these draws), so ours is at most
            // its value and close to it.
            Assert.True(objective <= reference * (1 + 1e-12), $"Newton {objective:R} above reweighting {reference:R}");
            Property.Near(reference, objective, 1e-4, "the minimum");
        }, iterations: 40);
    }

    [Fact]
    public void Solve_DoesNotDependOnTheStart()
    {
        Property.ForAll(Problem, c =>
        {
            var regression = new RelativeHuberRegression(c.Columns, c.Y, c.Constrained, Delta);
            var (cold, x) = regression.Solve(null);
            var random = new Random(c.Y.Length);
            double[] start = [.. x.Select((v, k) => c.Constrained[k] ? Math.Abs(v) * 3 * random.NextDouble() : v + random.NextDouble() - 0.5)];
            var (warm, _) = regression.Solve(start);
            Property.Near(cold, warm, 1e-12, "objective from another start");
        }, iterations: 60);
    }

    [Fact]
    public void Constructor_RefusesInconsistentInput()
    {
        double[][] columns = [[1, 1], [0.5, 0.7]];
        Assert.Throws<ArgumentException>(() => new RelativeHuberRegression(columns, [1, 2], [false], Delta));
        Assert.Throws<ArgumentException>(() => new RelativeHuberRegression(columns, [1, 2, 3], [false, true], Delta));
        Assert.Throws<ArgumentException>(() => new RelativeHuberRegression(columns, [1, -2], [false, true], Delta));
        Assert.Throws<ArgumentException>(() => new RelativeHuberRegression(columns, [1, 2], [false, true], 0));
    }
}
