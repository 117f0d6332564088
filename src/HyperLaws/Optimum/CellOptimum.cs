using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>How a cell's optimum (learning rate, batch) is read off its grid.</summary>
public enum OptimumEstimator
{
    /// <summary>
    /// The minimiser of a quadratic in (ln lr, ln batch) fitted by least squares to the runs whose loss is
    /// within <see cref="OptimumOptions.Window"/> of the cell's best, constrained to the box those runs
    /// span; falls back to the best run when the fit is not convex or the runs are too few.
    /// </summary>
    Quadratic,

    /// <summary>The run with the lowest loss.</summary>
    BestRun,
}

/// <summary>Options of the optimum estimation.</summary>
/// <param name="Loss">The loss column the grid is judged on (default smooth, as Step Law does).</param>
/// <param name="Estimator">How a cell's optimum is estimated (default the windowed quadratic).</param>
/// <param name="Window">
/// Relative loss window of the quadratic: runs with loss &lt;= best (1 + Window) enter the fit (default 0.02,
/// set before any held-out gap was computed). It excludes diverged runs (loss &gt; 2x best) and the far
/// walls of the basin, where a quadratic in logs no longer describes the loss.
/// </param>
public sealed record OptimumOptions(SweepLoss Loss = SweepLoss.Smooth, OptimumEstimator Estimator = OptimumEstimator.Quadratic, double Window = 0.02)
{
    public static OptimumOptions Default { get; } = new();

    internal void Validate()
    {
        if (!(Window > 0) || !double.IsFinite(Window)) throw new ArgumentException($"the quadratic's loss window must be a positive fraction, found {Window}.");
    }
}

/// <summary>The estimated optimum of one (N, D) cell.</summary>
/// <param name="N">Model size.</param>
/// <param name="D">Training tokens.</param>
/// <param name="LnLearningRate">ln of the optimal peak learning rate.</param>
/// <param name="LnBatchTokens">ln of the optimal batch size in tokens.</param>
/// <param name="Method">"quadratic", "best run", or "best run (...)" saying why the quadratic was not used.</param>
/// <param name="PointsUsed">Runs that entered the estimate.</param>
/// <param name="BestLoss">The cell's best loss (of the chosen kind).</param>
/// <param name="Best">The cell's best run.</param>
public sealed record CellOptimum(double N, double D, double LnLearningRate, double LnBatchTokens, string Method, int PointsUsed, double BestLoss, SweepPoint Best)
{
    public double LearningRate => Math.Exp(LnLearningRate);

    public double BatchTokens => Math.Exp(LnBatchTokens);
}

/// <summary>Per-cell optimum estimation (see <see cref="OptimumEstimator"/>).</summary>
public static class CellOptimumEstimator
{
    public static CellOptimum Estimate(SweepCell cell, OptimumOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cell);
        options ??= OptimumOptions.Default;
        options.Validate();
        if (cell.Points.Count == 0) throw new ArgumentException($"cell N={cell.N}, D={cell.D} has no runs.");
        var best = cell.Points.MinBy(p => SweepLosses.Of(p, options.Loss))!;
        double bestLoss = SweepLosses.Of(best, options.Loss);
        CellOptimum BestRun(string method, int used) =>
            new(cell.N, cell.D, Math.Log(best.LearningRate), Math.Log(best.BatchTokens), method, used, bestLoss, best);
        if (options.Estimator == OptimumEstimator.BestRun) return BestRun("best run", 1);

        var window = cell.Points.Where(p => SweepLosses.Of(p, options.Loss) <= bestLoss * (1 + options.Window)).ToList();
        int lrs = window.Select(p => p.LearningRate).Distinct().Count(), batches = window.Select(p => p.BatchTokens).Distinct().Count();
        if (window.Count < 6 || lrs < 3 || batches < 3)
            return BestRun($"best run ({window.Count} runs, {lrs} LRs, {batches} batches in the window: too few for a quadratic)", window.Count);

        // L(x, y) = c0 + c1 x + c2 y + c3 x^2 + c4 x y + c5 y^2 in centred x = ln lr - mx, y = ln B - my.
        double mx = window.Average(p => Math.Log(p.LearningRate)), my = window.Average(p => Math.Log(p.BatchTokens));
        var rows = window.Select(p =>
        {
            double x = Math.Log(p.LearningRate) - mx, y = Math.Log(p.BatchTokens) - my;
            return new[] { 1, x, y, x * x, x * y, y * y };
        }).ToList();
        var c = LinearLeastSquares.Solve(rows, window.Select(p => SweepLosses.Of(p, options.Loss)).ToList());
        if (c is null) return BestRun("best run (singular quadratic fit)", window.Count);
        var q = new Quadratic2(c[1], c[2], c[3], c[4], c[5]);
        if (!q.IsConvex) return BestRun("best run (fitted quadratic not convex)", window.Count);
        double x0 = window.Min(p => Math.Log(p.LearningRate)) - mx, x1 = window.Max(p => Math.Log(p.LearningRate)) - mx;
        double y0 = window.Min(p => Math.Log(p.BatchTokens)) - my, y1 = window.Max(p => Math.Log(p.BatchTokens)) - my;
        var (bx, by) = q.MinimizeOnBox(x0, x1, y0, y1);
        return new CellOptimum(cell.N, cell.D, bx + mx, by + my, "quadratic", window.Count, bestLoss, best);
    }

    /// <summary>The optimum of every cell of a table, in the table's order.</summary>
    public static IReadOnlyList<CellOptimum> EstimateAll(SweepTable table, OptimumOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        return [.. table.Cells.Select(c => Estimate(c, options))];
    }
}

/// <summary>q(x, y) = g1 x + g2 y + a x^2 + b x y + c y^2 (the constant does not move the minimiser).</summary>
internal sealed record Quadratic2(double G1, double G2, double A, double B, double C)
{
    /// <summary>Positive definite Hessian [[2a, b], [b, 2c]].</summary>
    public bool IsConvex => A > 0 && 4 * A * C - B * B > 0;

    public double Value(double x, double y) => G1 * x + G2 * y + A * x * x + B * x * y + C * y * y;

    /// <summary>
    /// The minimiser of a convex q over [x0, x1] x [y0, y1]: the stationary point when inside, else the
    /// best of the four edges (each a 1-D convex quadratic minimised on its segment).
    /// </summary>
    public (double X, double Y) MinimizeOnBox(double x0, double x1, double y0, double y1)
    {
        double det = 4 * A * C - B * B;
        double sx = (B * G2 - 2 * C * G1) / det, sy = (B * G1 - 2 * A * G2) / det;
        if (sx >= x0 && sx <= x1 && sy >= y0 && sy <= y1) return (sx, sy);
        var candidates = new List<(double X, double Y)>();
        foreach (double x in new[] { x0, x1 }) candidates.Add((x, Math.Clamp(-(G2 + B * x) / (2 * C), y0, y1)));
        foreach (double y in new[] { y0, y1 }) candidates.Add((Math.Clamp(-(G1 + B * y) / (2 * A), x0, x1), y));
        return candidates.MinBy(p => Value(p.X, p.Y));
    }
}
