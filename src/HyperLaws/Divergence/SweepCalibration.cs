namespace HyperLaws.Divergence;

/// <summary>
/// Calibrates a fitted critical-LR rule (the prior) on the labelled runs of one sweep (a cell: one N and D, several batch
/// rows and peak LRs): ln eta_crit(run) = ln eta_prior(run) + d_g + d_gb (<see cref="CalibratedBoundary"/>). The offsets are
/// the MAP estimate under independent Gaussian priors d_g ~ N(0, tau_c^2), d_gb ~ N(0, tau_r^2) and the prior's logistic
/// likelihood with its slope k, i.e. they minimise
/// <code>
/// sum_i [ log(1 + exp(m_i)) - y_i m_i ] + d_g^2 / (2 tau_c^2) + sum_b d_gb^2 / (2 tau_r^2),
/// m_i = k (ln peak_i - ln eta_prior_i - d_g - d_g,b(i)),   y_i = 1 for a diverged run
/// </code>
/// (a logistic regression with a fixed offset and a ridge on the random effects, as in a Laplace / penalised-quasi-likelihood
/// fit of a random-intercept model). The objective is strictly convex: Newton's method with step halving, deterministic.
/// Declared in docs/VALIDATION.md (protocols 4-D2 and 4-D3) with the two scales below, set before any score:
/// tau_c = ln 2 (a cell's edge within x2 of the smooth rule at one sd), tau_r = ln sqrt 2 (one Step Law grid step, the
/// move of the edge between batch rows).
/// </summary>
public static class SweepCalibration
{
    /// <summary>tau_c = ln 2: the prior sd of the cell's offset of ln eta_crit.</summary>
    public const double CellScale = 0.69314718055994531;

    /// <summary>tau_r = ln sqrt 2: the prior sd of a batch row's offset of ln eta_crit.</summary>
    public const double RowScale = 0.34657359027997264;

    /// <summary>
    /// The MAP offsets of <paramref name="prior"/> on <paramref name="seen"/> (see the type's remarks). No runs: zero offsets
    /// (the prior). <paramref name="rowScale"/> = 0 fits the cell offset alone (no row term).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A scale is negative or not finite, or the cell scale is 0.</exception>
    public static CalibratedBoundary Fit(CriticalLrRule prior, IReadOnlyList<DivergenceExample> seen, double cellScale = CellScale, double rowScale = RowScale)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(seen);
        if (!(cellScale > 0) || !double.IsFinite(cellScale)) throw new ArgumentOutOfRangeException(nameof(cellScale), cellScale, "the cell offset's prior sd must be positive and finite.");
        if (!(rowScale >= 0) || !double.IsFinite(rowScale)) throw new ArgumentOutOfRangeException(nameof(rowScale), rowScale, "the row offset's prior sd must be >= 0 and finite.");
        var rows = rowScale > 0 ? seen.Select(x => x.BatchTokens).Distinct().Order().ToArray() : [];
        if (seen.Count == 0) return new CalibratedBoundary(prior, 0, new Dictionary<double, double>(), 0);
        int p = 1 + rows.Length;
        var rowIndex = new int[seen.Count];
        var baseMargin = new double[seen.Count];   // ln peak - ln eta_prior
        for (int i = 0; i < seen.Count; i++)
        {
            rowIndex[i] = rows.Length == 0 ? -1 : 1 + Array.BinarySearch(rows, seen[i].BatchTokens);
            baseMargin[i] = Math.Log(seen[i].PeakLr) - prior.LnCritical(seen[i]);
        }
        double k = prior.Slope;
        var precision = new double[p];
        precision[0] = 1 / (cellScale * cellScale);
        for (int j = 1; j < p; j++) precision[j] = 1 / (rowScale * rowScale);

        double Objective(double[] d)
        {
            double f = 0;
            for (int i = 0; i < seen.Count; i++)
            {
                double m = k * (baseMargin[i] - d[0] - (rowIndex[i] > 0 ? d[rowIndex[i]] : 0));
                // log(1 + e^m) - y m, computed without overflow.
                f += (m > 0 ? m + Math.Log(1 + Math.Exp(-m)) : Math.Log(1 + Math.Exp(m))) - (seen[i].Diverged ? m : 0);
            }
            for (int j = 0; j < p; j++) f += 0.5 * precision[j] * d[j] * d[j];
            return f;
        }

        var delta = new double[p];
        double value = Objective(delta);
        for (int iter = 0; iter < 100; iter++)
        {
            var g = new double[p];
            var h = new double[p, p];
            for (int j = 0; j < p; j++) { g[j] = precision[j] * delta[j]; h[j, j] = precision[j]; }
            for (int i = 0; i < seen.Count; i++)
            {
                int r = rowIndex[i];
                double m = k * (baseMargin[i] - delta[0] - (r > 0 ? delta[r] : 0));
                double mu = 1 / (1 + Math.Exp(-m));
                // d/d(delta_j) of [log(1 + e^m) - y m] = (mu - y) dm/d(delta_j), dm/d(delta_j) = -k for the cell and the run's row.
                double gi = -k * (mu - (seen[i].Diverged ? 1 : 0)), hi = k * k * mu * (1 - mu);
                g[0] += gi; h[0, 0] += hi;
                if (r > 0) { g[r] += gi; h[r, r] += hi; h[0, r] += hi; h[r, 0] += hi; }
            }
            var step = CholeskySolve(h, g);
            double t = 1, next = double.PositiveInfinity;
            double[] trial = delta;
            for (int half = 0; half < 30; half++, t /= 2)
            {
                trial = [.. delta.Select((d, j) => d - t * step[j])];
                next = Objective(trial);
                if (next <= value) break;
            }
            if (!(next <= value)) break;
            double moved = trial.Select((d, j) => Math.Abs(d - delta[j])).Max();
            (delta, value) = (trial, next);
            if (moved < 1e-12) break;
        }
        var offsets = new Dictionary<double, double>(rows.Length);
        for (int j = 0; j < rows.Length; j++) offsets[rows[j]] = delta[j + 1];
        return new CalibratedBoundary(prior, delta[0], offsets, seen.Count);
    }

    // Solves H x = g for a symmetric positive definite H (the penalty makes it so) by Cholesky.
    private static double[] CholeskySolve(double[,] h, double[] g)
    {
        int n = g.Length;
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = h[i, j];
                for (int q = 0; q < j; q++) s -= l[i, q] * l[j, q];
                l[i, j] = i == j ? Math.Sqrt(Math.Max(s, 1e-300)) : s / l[j, j];
            }
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = g[i];
            for (int q = 0; q < i; q++) s -= l[i, q] * y[q];
            y[i] = s / l[i, i];
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int q = i + 1; q < n; q++) s -= l[q, i] * x[q];
            x[i] = s / l[i, i];
        }
        return x;
    }
}
