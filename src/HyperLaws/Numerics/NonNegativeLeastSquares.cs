namespace HyperLaws.Numerics;

/// <summary>
/// Least squares with sign constraints: minimise ||A x - b||^2 subject to x_j &gt;= 0 for the
/// constrained columns (the others are free). The active-set method of Lawson and Hanson
/// ("Solving Least Squares Problems", 1974, ch. 23), with free columns kept in the passive set from
/// the start. It works on the normal equations G = A'A, c = A'b (so a problem with many rows and a few
/// columns costs one pass over the rows); the columns are scaled to unit norm first, and each
/// subproblem is solved by a Cholesky factorisation with a relative jitter of 1e-13 on the diagonal,
/// which keeps nearly collinear features (smoothed LR histories are) solvable.
/// </summary>
public static class NonNegativeLeastSquares
{
    /// <summary>The solution for A (rows x columns) and b; <paramref name="constrained"/>[j] marks the columns that must stay &gt;= 0.</summary>
    public static double[] Solve(double[,] a, double[] b, bool[] constrained)
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        if (b.Length != m) throw new ArgumentException("b and A differ in rows.");
        var g = new double[n, n];
        var c = new double[n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double aij = a[i, j];
                if (aij == 0) continue;
                c[j] += aij * b[i];
                for (int k = j; k < n; k++) g[j, k] += aij * a[i, k];
            }
        for (int j = 0; j < n; j++)
            for (int k = 0; k < j; k++) g[j, k] = g[k, j];
        return SolveNormal(g, c, constrained);
    }

    /// <summary>The same problem given by its normal equations G = A'A and c = A'b.</summary>
    public static double[] SolveNormal(double[,] gram, double[] c, bool[] constrained)
    {
        int n = c.Length;
        if (gram.GetLength(0) != n || gram.GetLength(1) != n) throw new ArgumentException("G must be n x n for n = length of c.");
        if (constrained.Length != n) throw new ArgumentException("constrained and c differ in length.");

        // Unit-norm columns: G_jk / (s_j s_k), c_j / s_j with s_j = sqrt(G_jj); x_j = y_j / s_j.
        var s = new double[n];
        for (int j = 0; j < n; j++) s[j] = gram[j, j] > 0 ? Math.Sqrt(gram[j, j]) : 1;
        var g = new double[n, n];
        var d = new double[n];
        for (int j = 0; j < n; j++)
        {
            d[j] = c[j] / s[j];
            for (int k = 0; k < n; k++) g[j, k] = gram[j, k] / (s[j] * s[k]);
        }

        var y = new double[n];
        var passive = new bool[n];
        for (int j = 0; j < n; j++) passive[j] = !constrained[j];
        if (passive.Any(p => p)) y = SolvePassive(g, d, passive);

        for (int iteration = 0; iteration < 3 * n + 10; iteration++)
        {
            // w = A'(b - A y): the descent direction of each column; enter the constrained column with the largest w > 0.
            int enter = -1;
            double best = 1e-12 * Math.Max(d.Max(Math.Abs), 1e-300);
            for (int j = 0; j < n; j++)
            {
                if (passive[j]) continue;
                double w = d[j];
                for (int k = 0; k < n; k++) w -= g[j, k] * y[k];
                if (w > best) { best = w; enter = j; }
            }
            if (enter < 0) break;
            passive[enter] = true;

            // Inner loop: move towards the unconstrained solution on the passive set, dropping columns that reach zero.
            for (int inner = 0; inner <= n; inner++)
            {
                var z = SolvePassive(g, d, passive);
                double step = 1;
                int leaving = -1;
                for (int j = 0; j < n; j++)
                    if (passive[j] && constrained[j] && z[j] <= 0)
                    {
                        double t = y[j] / (y[j] - z[j]);
                        if (t < step) { step = t; leaving = j; }
                    }
                if (leaving < 0 && z.Where((v, j) => passive[j] && constrained[j]).All(v => v > 0))
                {
                    y = z;
                    break;
                }
                for (int j = 0; j < n; j++)
                {
                    y[j] = passive[j] ? y[j] + step * (z[j] - y[j]) : 0;
                    if (passive[j] && constrained[j] && (j == leaving || y[j] <= 0))
                    {
                        y[j] = 0;
                        passive[j] = false;
                    }
                }
            }
        }
        for (int j = 0; j < n; j++) y[j] /= s[j];
        return y;
    }

    /// <summary>Solves G_PP z_P = d_P by Cholesky (z = 0 off the passive set).</summary>
    private static double[] SolvePassive(double[,] g, double[] d, bool[] passive)
    {
        int n = d.Length;
        var idx = Enumerable.Range(0, n).Where(j => passive[j]).ToArray();
        int p = idx.Length;
        var l = new double[p, p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = g[idx[i], idx[j]];
                if (i == j) sum += 1e-13;
                for (int k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                l[i, j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-300)) : sum / l[j, j];
            }
        var v = new double[p];
        for (int i = 0; i < p; i++)
        {
            double sum = d[idx[i]];
            for (int k = 0; k < i; k++) sum -= l[i, k] * v[k];
            v[i] = sum / l[i, i];
        }
        var z = new double[n];
        for (int i = p - 1; i >= 0; i--)
        {
            double sum = v[i];
            for (int k = i + 1; k < p; k++) sum -= l[k, i] * z[idx[k]];
            z[idx[i]] = sum / l[i, i];
        }
        return z;
    }
}
