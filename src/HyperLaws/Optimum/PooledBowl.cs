using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>
/// The pooled bowl (docs/VALIDATION.md, "Protocol 4 with a pooled bowl"): the optimum rule fitted in one stage on every
/// run of the cells instead of on per-cell optima. For run r of cell g (N_g, D_g), x = ln lr, y = ln(batch tokens):
/// <code>
/// ln L_r = l_g + q(x - x*_g, y - y*_g),   q(u, v) = alpha u^2 + beta u v + gamma v^2,
/// x*_g = a + b ln N_g + c ln D_g,          y*_g = d + e ln N_g + f ln D_g,
/// </code>
/// one level l_g per cell, the centre's rule (a..f) and the curvature (alpha, beta, gamma) shared by all cells.
/// <para>
/// Nonlinear least squares of ln L, solved exactly: expanding q,
/// ln L_r = l'_g + alpha x^2 + beta x y + gamma y^2 + (K z_g)_1 x + (K z_g)_2 y with z_g = (1, ln N_g, ln D_g),
/// l'_g = l_g + q's constant and K = -H M, where H = [[2 alpha, beta], [beta, 2 gamma]] is q's Hessian and M the 2x3 matrix
/// of (a..f) (the gradient of q(x - x*, y - y*) at the origin is -H (x*, y*)). For invertible H the map (M, H) -> (K, H)
/// is one to one, so the least-squares bowl is the ordinary least squares of ln L on the nine columns plus the cell
/// levels, and M = -H^-1 K. The levels are removed by centring every column and ln L within its cell (Frisch-Waugh-Lovell:
/// the same solution); x, y, ln N and ln D are centred globally first to keep the normal equations well conditioned. The
/// result is the global minimum (no start, no iteration); it is a bowl only when H is positive definite.
/// </para>
/// </summary>
/// <param name="Centre">The rule of the bowl's centre, ln eta* = a + b ln N + c ln D, ln B* = d + e ln N + f ln D.</param>
/// <param name="Alpha">q's coefficient of u^2 (u = ln lr - ln eta*).</param>
/// <param name="Beta">q's coefficient of u v (v = ln B - ln B*).</param>
/// <param name="Gamma">q's coefficient of v^2.</param>
/// <param name="Runs">Runs fitted (those in their cell's window).</param>
public sealed record PooledBowl(FittedOptimumRule Centre, double Alpha, double Beta, double Gamma, int Runs) : IOptimumRule
{
    /// <inheritdoc/>
    public string Name => "pooled bowl";

    /// <summary>The bowl's minimum at (N, D): its centre, (ln eta*, ln B*) = M (1, ln N, ln D).</summary>
    public (double LnLearningRate, double LnBatchTokens) Predict(double n, double d) => Centre.Predict(n, d);

    /// <summary>q at (ln lr, ln batch) for a cell of (N, D): ln L minus the cell's level (0 at the centre).</summary>
    public double Value(double n, double d, double lnLearningRate, double lnBatchTokens)
    {
        var (cx, cy) = Predict(n, d);
        double u = lnLearningRate - cx, v = lnBatchTokens - cy;
        return Alpha * u * u + Beta * u * v + Gamma * v * v;
    }

    /// <summary>
    /// The LR minimising the bowl at a fixed batch: dq/du = 2 alpha u + beta v = 0, so
    /// ln eta = ln eta* - beta / (2 alpha) (ln B - ln B*).
    /// </summary>
    public double ConditionalLnLearningRate(double n, double d, double lnBatchTokens)
    {
        var (cx, cy) = Predict(n, d);
        return cx - Beta / (2 * Alpha) * (lnBatchTokens - cy);
    }

    /// <summary>
    /// Fits the bowl on the runs of <paramref name="cells"/> within <paramref name="options"/>' window of their cell's best
    /// loss (see the type's remarks). Null when the fitted curvature is not positive definite (no minimum).
    /// </summary>
    /// <param name="cells">The cells (at least 4, spread in N and D as <see cref="FittedOptimumRule.Fit"/> asks).</param>
    /// <param name="options">The loss column and window (default <see cref="OptimumOptions.Default"/>; the estimator is not used).</param>
    /// <exception cref="ArgumentException">Too few cells, too narrow a spread, a run without a usable loss, or a singular design.</exception>
    public static PooledBowl? Fit(IReadOnlyList<SweepCell> cells, OptimumOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        options ??= OptimumOptions.Default;
        options.Validate();
        if (cells.Count < 4) throw new ArgumentException($"fitting the pooled bowl needs at least 4 (N, D) cells, found {cells.Count}.");
        FittedOptimumRule.RequireSpread("model sizes N", cells.Select(c => c.N));
        FittedOptimumRule.RequireSpread("token budgets D", cells.Select(c => c.D));
        var windows = cells.Select(c =>
        {
            if (c.Points.Count == 0) throw new ArgumentException($"cell N={c.N}, D={c.D} has no runs.");
            double best = SweepLosses.Best(c, options.Loss);
            return (Cell: c, Runs: c.Points.Where(p => SweepLosses.Of(p, options.Loss) <= best * (1 + options.Window)).ToList());
        }).ToList();
        var used = windows.SelectMany(w => w.Runs).ToList();
        double mx = used.Average(p => Math.Log(p.LearningRate)), my = used.Average(p => Math.Log(p.BatchTokens));
        double mn = cells.Average(c => Math.Log(c.N)), md = cells.Average(c => Math.Log(c.D));

        var rows = new List<double[]>(used.Count);
        var ys = new List<double>(used.Count);
        foreach (var (cell, runs) in windows)
        {
            double n = Math.Log(cell.N) - mn, d = Math.Log(cell.D) - md;
            var cellRows = runs.Select(p =>
            {
                double x = Math.Log(p.LearningRate) - mx, y = Math.Log(p.BatchTokens) - my;
                return new[] { x * x, x * y, y * y, x, x * n, x * d, y, y * n, y * d };
            }).ToList();
            var cellYs = runs.Select(p => Math.Log(SweepLosses.Of(p, options.Loss))).ToList();
            // Within-cell centring removes the level l'_g (Frisch-Waugh-Lovell).
            double yMean = cellYs.Average();
            var colMean = new double[9];
            foreach (var r in cellRows) for (int j = 0; j < 9; j++) colMean[j] += r[j] / cellRows.Count;
            for (int i = 0; i < cellRows.Count; i++)
            {
                rows.Add([.. cellRows[i].Select((v, j) => v - colMean[j])]);
                ys.Add(cellYs[i] - yMean);
            }
        }
        var k = LinearLeastSquares.Solve(rows, ys)
            ?? throw new ArgumentException("the runs in the cells' windows do not determine the pooled bowl (singular design: too few cells with several LRs and batches in the window).");
        double alpha = k[0], beta = k[1], gamma = k[2];
        double det = 4 * alpha * gamma - beta * beta;
        if (!(alpha > 0 && det > 0)) return null;
        // M = -H^-1 K, H^-1 = [[2 gamma, -beta], [-beta, 2 alpha]] / det; K's rows (k3, k4, k5) and (k6, k7, k8) in centred units.
        var centre = new double[2, 3];
        for (int j = 0; j < 3; j++)
        {
            double k1 = k[3 + j], k2 = k[6 + j];
            centre[0, j] = -(2 * gamma * k1 - beta * k2) / det;
            centre[1, j] = -(-beta * k1 + 2 * alpha * k2) / det;
        }
        // Back from centred (x - mx = a' + b (ln N - mn) + c (ln D - md)) to raw logs.
        var rule = new FittedOptimumRule(RuleForm.Full,
            centre[0, 0] + mx - centre[0, 1] * mn - centre[0, 2] * md, centre[0, 1], centre[0, 2],
            centre[1, 0] + my - centre[1, 1] * mn - centre[1, 2] * md, centre[1, 1], centre[1, 2], cells.Count);
        return new PooledBowl(rule, alpha, beta, gamma, used.Count);
    }
}
