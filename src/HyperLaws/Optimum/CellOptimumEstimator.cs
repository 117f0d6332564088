using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>Per-cell optimum estimation (see <see cref="OptimumEstimator"/>).</summary>
public static class CellOptimumEstimator
{
    /// <summary>Estimates the optimum (LR, batch) of one (N, D) cell from its runs, by the estimator and loss window of <paramref name="options"/>
    /// (<see cref="OptimumEstimator.PooledBowl"/>, a rule across cells, reads each cell by the windowed quadratic).</summary>
    /// <param name="cell">The cell's runs.</param>
    /// <param name="options">The estimation options (default <see cref="OptimumOptions.Default"/>).</param>
    /// <exception cref="ArgumentException">The cell has no runs, or a run has no usable loss.</exception>
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
