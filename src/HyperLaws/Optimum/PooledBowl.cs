using HyperLaws.Numerics;
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
/// <para>
/// With the curvature in tokens (<see cref="OptimumOptions.BowlCurvatureInTokens"/>; docs/VALIDATION.md, "Protocol 4 with the
/// bowl's curvature in D") the bowl of cell g is scaled as a whole: ln L_r = l_g + s(D_g) q(x - x*_g, y - y*_g),
/// s(D) = (D / D0)^-kappa, D0 = 1e10 tokens, kappa one number shared by the cells (the curvature of the Step Law cells' loss in
/// ln LR falls with D, from 0.013 at 4e9 tokens to 0.003 at 1e11: docs/VALIDATION.md, "The LR-axis prior"). A shared q fitted to
/// cells whose true curvature is s_g q reads each cell's linear term -s_g H (x*_g, y*_g) as the centre s_g (x*_g, y*_g): the
/// centres of cells far from D0 are pulled towards or pushed from the runs' mean. For a fixed kappa the model is the same nine
/// columns, each times s(D_g) (constant within a cell, so the within-cell centring commutes with it), solved exactly as above,
/// and M = -H^-1 K as before (H now the curvature at D0). kappa is the profile least-squares minimum over [-2, 2]: the sum of
/// squares of ln L (the same response for every kappa) on a 0.1 grid, refined by Brent's method within one grid step of the
/// grid's best. The centre and the LR at a fixed batch do not depend on s; <see cref="Value"/> does.
/// </para>
/// </summary>
/// <param name="Centre">The rule of the bowl's centre, ln eta* = a + b ln N + c ln D, ln B* = d + e ln N + f ln D.</param>
/// <param name="Alpha">q's coefficient of u^2 (u = ln lr - ln eta*).</param>
/// <param name="Beta">q's coefficient of u v (v = ln B - ln B*).</param>
/// <param name="Gamma">q's coefficient of v^2.</param>
/// <param name="Runs">Runs fitted (those in their cell's window).</param>
/// <param name="CurvatureExponent">kappa of the curvature's scale s(D) = (D / <see cref="CurvatureReferenceTokens"/>)^-kappa
/// (0: one curvature for all cells, the bowl as adopted); alpha, beta and gamma are the curvature at D0.</param>
public sealed record PooledBowl(FittedOptimumRule Centre, double Alpha, double Beta, double Gamma, int Runs, double CurvatureExponent = 0) : IOptimumRule
{
    /// <summary>D0 of the curvature's scale, 1e10 tokens (fixed, inside the Step Law cells' 4e9-1e11; the LR-axis prior's D0).</summary>
    public const double CurvatureReferenceTokens = 1e10;

    /// <summary>The bound on |kappa| searched by the fit with the curvature in tokens (the cells' own k(D) slope is about 0.4).</summary>
    public const double MaxCurvatureExponent = 2;

    /// <summary>s(D) = (D / D0)^-kappa, the factor on q at D tokens (1 when kappa = 0).</summary>
    public double CurvatureScale(double d) => CurvatureExponent == 0 ? 1 : Math.Pow(d / CurvatureReferenceTokens, -CurvatureExponent);

    /// <inheritdoc/>
    public string Name => "pooled bowl";

    /// <summary>The bowl's minimum at (N, D): its centre, (ln eta*, ln B*) = M (1, ln N, ln D).</summary>
    public (double LnLearningRate, double LnBatchTokens) Predict(double n, double d) => Centre.Predict(n, d);

    /// <summary>s(D) q at (ln lr, ln batch) for a cell of (N, D): ln L minus the cell's level (0 at the centre).</summary>
    public double Value(double n, double d, double lnLearningRate, double lnBatchTokens)
    {
        var (cx, cy) = Predict(n, d);
        double u = lnLearningRate - cx, v = lnBatchTokens - cy;
        return CurvatureScale(d) * (Alpha * u * u + Beta * u * v + Gamma * v * v);
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
    /// <param name="options">The loss column, window and <see cref="OptimumOptions.BowlCurvatureInTokens"/> (default
    /// <see cref="OptimumOptions.Default"/>; the estimator is not used).</param>
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

        // Per cell: the nine columns and ln L, centred within the cell (Frisch-Waugh-Lovell removes the level l'_g), and ln(D_g / D0).
        var blocks = new List<(double LnDRel, List<double[]> Rows, List<double> Ys)>(windows.Count);
        foreach (var (cell, runs) in windows)
        {
            double n = Math.Log(cell.N) - mn, d = Math.Log(cell.D) - md;
            var cellRows = runs.Select(p =>
            {
                double x = Math.Log(p.LearningRate) - mx, y = Math.Log(p.BatchTokens) - my;
                return new[] { x * x, x * y, y * y, x, x * n, x * d, y, y * n, y * d };
            }).ToList();
            var cellYs = runs.Select(p => Math.Log(SweepLosses.Of(p, options.Loss))).ToList();
            double yMean = cellYs.Average();
            var colMean = new double[9];
            foreach (var r in cellRows) for (int j = 0; j < 9; j++) colMean[j] += r[j] / cellRows.Count;
            blocks.Add((Math.Log(cell.D / CurvatureReferenceTokens),
                [.. cellRows.Select(r => r.Select((v, j) => v - colMean[j]).ToArray())], [.. cellYs.Select(v => v - yMean)]));
        }
        // The least squares at a given kappa: every cell's columns times s(D_g) = exp(-kappa ln(D_g / D0)); null when singular.
        (double[] K, double Sse)? Solve(double kappa)
        {
            var rows = new List<double[]>(used.Count);
            var ys = new List<double>(used.Count);
            foreach (var (lnDRel, cellRows, cellYs) in blocks)
            {
                double s = Math.Exp(-kappa * lnDRel);
                rows.AddRange(cellRows.Select(r => r.Select(v => s * v).ToArray()));
                ys.AddRange(cellYs);
            }
            if (LinearLeastSquares.Solve(rows, ys) is not { } coefficients) return null;
            double sse = 0;
            for (int i = 0; i < rows.Count; i++)
            {
                double fit = 0;
                for (int j = 0; j < 9; j++) fit += rows[i][j] * coefficients[j];
                sse += (ys[i] - fit) * (ys[i] - fit);
            }
            return (coefficients, sse);
        }
        double kappa = 0;
        if (options.BowlCurvatureInTokens)
        {
            // Profile least squares in kappa: a 0.1 grid over [-2, 2], then Brent within one step of its best.
            double Sse(double t) => Solve(t)?.Sse ?? double.PositiveInfinity;
            const double step = 0.1;
            double bestGrid = 0, bestSse = double.PositiveInfinity;
            for (int i = 0; i <= (int)Math.Round(2 * MaxCurvatureExponent / step); i++)
            {
                double t = -MaxCurvatureExponent + i * step, sse = Sse(t);
                if (sse < bestSse) (bestGrid, bestSse) = (t, sse);
            }
            var refined = BrentMinimizer.Minimize(Sse, Math.Max(-MaxCurvatureExponent, bestGrid - step), Math.Min(MaxCurvatureExponent, bestGrid + step), 1e-8, 1e-10);
            kappa = refined.Value <= bestSse ? refined.X : bestGrid;
        }
        var k = Solve(kappa)?.K
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
        return new PooledBowl(rule, alpha, beta, gamma, used.Count, kappa);
    }
}
