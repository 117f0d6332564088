namespace HyperLaws.SizeLaws;

/// <summary>
/// Robust fit of <see cref="ChinchillaLaw"/> as in Hoffmann et al. 2022 (approach 3) and Besiroglu et al. 2024:
/// minimise sum_i Huber_delta(LSE(a - alpha ln N_i, b - beta ln D_i, e) - ln L_i) with A = exp(a), B = exp(b),
/// E = exp(e), from every start of a grid, keeping the lowest objective. The local minimiser is BFGS with an
/// Armijo backtracking line search and the analytic gradient (Besiroglu et al. used SciPy's L-BFGS-B; on 5
/// parameters full BFGS is the same method without the memory limit). Deterministic: starts run in a fixed
/// order and ties keep the first.
/// </summary>
public static class ChinchillaFitter
{
    /// <summary>Fits the law to the points.</summary>
    public static ChinchillaFit Fit(IReadOnlyList<ScalingPoint> points, ChinchillaFitOptions? options = null)
    {
        options ??= new ChinchillaFitOptions();
        var data = Prepare(points);
        var grid = options.Grid ?? ChinchillaGrid.Coarse;
        // alpha held: every start at the fixed value (the grid's alpha values dropped) and its gradient component zeroed.
        if (options.FixedAlpha is { } fixedAlpha) grid = grid with { Alpha = [fixedAlpha] };
        var starts = grid.Starts().ToArray();
        var results = new (double[] X, double F)[starts.Length];
        Parallel.For(0, starts.Length, i => results[i] = Minimize(data, starts[i], options.Delta, options.MaxIterations, options.FixedAlpha is not null));
        int best = 0;
        for (int i = 1; i < results.Length; i++)
            if (results[i].F < results[best].F) best = i;
        return ToFit(data, results[best].X, results[best].F, starts.Length);
    }

    /// <summary>Fits from one start (log-space parameters e, ln A, ln B, alpha, beta).</summary>
    public static ChinchillaFit FitFrom(IReadOnlyList<ScalingPoint> points, ChinchillaLaw start, ChinchillaFitOptions? options = null)
    {
        options ??= new ChinchillaFitOptions();
        var data = Prepare(points);
        var (x, f) = Minimize(data, [Math.Log(start.E), Math.Log(start.A), Math.Log(start.B), options.FixedAlpha ?? start.Alpha, start.Beta], options.Delta, options.MaxIterations, options.FixedAlpha is not null);
        return ToFit(data, x, f, 1);
    }

    /// <summary>
    /// Bootstrap over runs: <paramref name="resamples"/> resamples of the points with replacement (seeded),
    /// each refitted from the full-data optimum (one start; a simplification of refitting from the grid)
    /// and percentile intervals at <paramref name="level"/>.
    /// </summary>
    public static ChinchillaBootstrap Bootstrap(IReadOnlyList<ScalingPoint> points, ChinchillaFit full, int resamples = 200, int seed = 20240418, double level = 0.8, ChinchillaFitOptions? options = null)
    {
        if (resamples < 10) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "at least 10 bootstrap resamples are needed.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "the interval level must be in (0, 1).");
        var rng = new Random(seed);
        var samples = new ScalingPoint[resamples][];
        for (int r = 0; r < resamples; r++)
        {
            samples[r] = new ScalingPoint[points.Count];
            for (int i = 0; i < points.Count; i++) samples[r][i] = points[rng.Next(points.Count)];
        }
        var laws = new ChinchillaLaw[resamples];
        Parallel.For(0, resamples, r => laws[r] = FitFrom(samples[r], full.Law, options).Law);
        double lo = (1 - level) / 2, hi = 1 - lo;
        var intervals = Enumerable.Range(0, 5).Select(k =>
        {
            var v = laws.Select(l => l.ToArray()[k]).ToArray();
            return (Quantile(v, lo), Quantile(v, hi));
        }).ToList();
        var nExp = laws.Select(l => l.NExponent).ToArray();
        return new ChinchillaBootstrap(resamples, seed, level, intervals, (Quantile(nExp, lo), Quantile(nExp, hi)));
    }

    /// <summary>Linear-interpolation quantile of a sample (type 7).</summary>
    private static double Quantile(double[] values, double q)
    {
        var s = values.OrderBy(v => v).ToArray();
        double h = (s.Length - 1) * q;
        int i = (int)Math.Floor(h);
        return i + 1 < s.Length ? s[i] + (h - i) * (s[i + 1] - s[i]) : s[i];
    }

    private sealed record Data(double[] LnN, double[] LnD, double[] LnL);

    private static Data Prepare(IReadOnlyList<ScalingPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 5) throw new ArgumentException($"a Chinchilla fit needs at least 5 runs (have {points.Count}).", nameof(points));
        foreach (var p in points)
            if (!(p.N > 0 && p.D > 0 && p.Loss > 0) || double.IsInfinity(p.N + p.D + p.Loss))
                throw new ArgumentException($"every run needs positive finite N, D and loss (found N {p.N}, D {p.D}, loss {p.Loss}).", nameof(points));
        return new Data([.. points.Select(p => Math.Log(p.N))], [.. points.Select(p => Math.Log(p.D))], [.. points.Select(p => Math.Log(p.Loss))]);
    }

    private static ChinchillaFit ToFit(Data data, double[] x, double f, int starts)
    {
        var law = new ChinchillaLaw(Math.Exp(x[0]), Math.Exp(x[1]), Math.Exp(x[2]), x[3], x[4]);
        double ss = 0;
        for (int i = 0; i < data.LnN.Length; i++)
        {
            double r = Math.Log(law.Loss(Math.Exp(data.LnN[i]), Math.Exp(data.LnD[i]))) - data.LnL[i];
            ss += r * r;
        }
        return new ChinchillaFit(law, f, starts, data.LnN.Length) { RmsLogResidual = Math.Sqrt(ss / data.LnN.Length) };
    }

    /// <summary>Huber objective and its gradient in (e, ln A, ln B, alpha, beta).</summary>
    private static double Objective(Data d, double[] x, double[]? grad, double delta)
    {
        if (grad is not null) Array.Clear(grad);
        double f = 0;
        for (int i = 0; i < d.LnN.Length; i++)
        {
            // ln L_hat = LSE(a - alpha ln N, b - beta ln D, e), computed stably.
            double u = x[1] - x[3] * d.LnN[i], v = x[2] - x[4] * d.LnD[i], w = x[0];
            double m = Math.Max(u, Math.Max(v, w));
            double eu = Math.Exp(u - m), ev = Math.Exp(v - m), ew = Math.Exp(w - m), s = eu + ev + ew;
            double r = m + Math.Log(s) - d.LnL[i];
            double ar = Math.Abs(r);
            // Huber: r^2/2 inside |r| <= delta, delta (|r| - delta/2) outside.
            f += ar <= delta ? 0.5 * r * r : delta * (ar - 0.5 * delta);
            if (grad is null) continue;
            double h = ar <= delta ? r : delta * Math.Sign(r);
            double pu = h * eu / s, pv = h * ev / s, pw = h * ew / s;
            grad[0] += pw;
            grad[1] += pu;
            grad[2] += pv;
            grad[3] -= pu * d.LnN[i];
            grad[4] -= pv * d.LnD[i];
        }
        return f;
    }

    /// <summary>
    /// BFGS (Nocedal and Wright, algorithm 6.1) with Armijo backtracking. With <paramref name="fixAlpha"/> the gradient's alpha
    /// component is zeroed: the steps then never move alpha (the inverse Hessian's alpha row stays a multiple of the unit vector,
    /// since s and y have no alpha component), so the search runs over the other four parameters.
    /// </summary>
    private static (double[] X, double F) Minimize(Data d, double[] start, double delta, int maxIterations, bool fixAlpha = false)
    {
        const int n = 5;
        var x = (double[])start.Clone();
        var g = new double[n];
        double Eval(Data data, double[] at, double[] grad, double dl)
        {
            double value = ChinchillaFitter.Objective(data, at, grad, dl);
            if (fixAlpha) grad[3] = 0;
            return value;
        }
        double f = Eval(d, x, g, delta);
        var h = Identity(n);
        var xNew = new double[n];
        var gNew = new double[n];
        var p = new double[n];
        for (int iter = 0; iter < maxIterations; iter++)
        {
            for (int i = 0; i < n; i++)
            {
                p[i] = 0;
                for (int j = 0; j < n; j++) p[i] -= h[i, j] * g[j];
            }
            double slope = Dot(p, g);
            if (!(slope < 0))
            {
                // Not a descent direction: reset to steepest descent.
                h = Identity(n);
                for (int i = 0; i < n; i++) p[i] = -g[i];
                slope = -Dot(g, g);
                if (!(slope < 0)) break;
            }
            double step = 1, fNew = double.NaN;
            bool accepted = false;
            for (int k = 0; k < 60; k++)
            {
                for (int i = 0; i < n; i++) xNew[i] = x[i] + step * p[i];
                fNew = Eval(d, xNew, gNew, delta);
                if (double.IsFinite(fNew) && fNew <= f + 1e-4 * step * slope) { accepted = true; break; }
                step *= 0.5;
            }
            if (!accepted) break;
            var s = new double[n];
            var y = new double[n];
            for (int i = 0; i < n; i++) { s[i] = xNew[i] - x[i]; y[i] = gNew[i] - g[i]; }
            double fOld = f;
            Array.Copy(xNew, x, n);
            Array.Copy(gNew, g, n);
            f = fNew;
            double sy = Dot(s, y);
            if (sy > 1e-300)
            {
                // First step: scale H0 = (s^T y / y^T y) I (Nocedal and Wright, eq. 6.20).
                if (iter == 0) h = Scaled(n, sy / Dot(y, y));
                UpdateInverseHessian(h, s, y, sy);
            }
            if (fOld - f <= 1e-15 * Math.Max(f, 1e-300) && Math.Sqrt(Dot(g, g)) < 1e-12) break;
            if (fOld - f == 0) break;
        }
        return (x, f);
    }

    /// <summary>H &lt;- (I - rho s y^T) H (I - rho y s^T) + rho s s^T, rho = 1 / (y^T s).</summary>
    private static void UpdateInverseHessian(double[,] h, double[] s, double[] y, double sy)
    {
        int n = s.Length;
        double rho = 1 / sy;
        var hy = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) hy[i] += h[i, j] * y[j];
        double yhy = Dot(y, hy);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                h[i, j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
    }

    private static double[,] Identity(int n) => Scaled(n, 1);

    private static double[,] Scaled(int n, double c)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++) m[i, i] = c;
        return m;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
