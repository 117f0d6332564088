namespace HyperLaws.Optimum;

/// <summary>
/// Ordinary least squares min ||X b - y||^2 through the normal equations X'X b = X'y, solved by Gaussian
/// elimination with partial pivoting. Meant for the small, centred designs here (at most nine columns: <see cref="PooledBowl"/>).
/// </summary>
internal static class LinearLeastSquares
{
    /// <summary>The coefficients, or null when X'X is singular (relative pivot below 1e-12).</summary>
    public static double[]? Solve(IReadOnlyList<double[]> rows, IReadOnlyList<double> y)
    {
        int p = rows[0].Length;
        var a = new double[p, p + 1];
        for (int i = 0; i < rows.Count; i++)
        {
            var x = rows[i];
            for (int j = 0; j < p; j++)
            {
                for (int k = 0; k < p; k++) a[j, k] += x[j] * x[k];
                a[j, p] += x[j] * y[i];
            }
        }
        double scale = 0;
        for (int j = 0; j < p; j++) scale = Math.Max(scale, Math.Abs(a[j, j]));
        if (!(scale > 0)) return null;
        for (int col = 0; col < p; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < p; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            if (Math.Abs(a[pivot, col]) < 1e-12 * scale) return null;
            if (pivot != col)
                for (int k = 0; k <= p; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            for (int r = 0; r < p; r++)
            {
                if (r == col) continue;
                double f = a[r, col] / a[col, col];
                if (f == 0) continue;
                for (int k = col; k <= p; k++) a[r, k] -= f * a[col, k];
            }
        }
        var b = new double[p];
        for (int j = 0; j < p; j++) b[j] = a[j, p] / a[j, j];
        return b;
    }
}
