namespace HyperLaws.Numerics;

/// <summary>
/// Robust linear regression with sign constraints: minimise F(x) = sum_i rho(a_i . x - b_i) over x with x_j &gt;= 0 for the
/// constrained columns, rho the Huber function rho(r) = r^2/2 for |r| &lt;= delta, delta (|r| - delta/2) beyond (Huber 1964).
/// F is convex and piecewise quadratic. Each iteration minimises, over the feasible set, the quadratic model of F at the
/// current x (Newton: gradient sum rho'(r_i) a_i, Hessian sum over the quadratic zone |r_i| &lt;= delta of a_i a_i'), where
/// that model is positive definite, with a backtracking line search on the segment to its minimiser (feasible: the set is
/// convex); where that step is shortened or fails, the minimiser of the weighted least-squares majoriser of iteratively
/// reweighted least squares (weights w_i = min(1, delta / |r_i|); it lies above F and touches it at x, so its minimiser
/// never raises F; Holland and Welsch 1977) is taken instead when it is lower. Once the zones stop changing the Newton model
/// is F itself, so a full Newton step lands on the exact minimiser. Stops when the optimality conditions hold to 1e-13 of
/// the gradient's scale sum_i |a_ij| delta, when a full Newton step changes F by rounding only, or when no step lowers F. Small problems only: the quadratic subproblems are solved over every subset
/// of bound constraints (2^k for k constrained columns) by Cholesky factorisation of unit-diagonal scaled normal equations.
/// </summary>
public static class HuberRegression
{
    /// <summary>The result: the minimiser, F there, and the iterations used.</summary>
    public readonly record struct Result(double[] X, double Objective, int Iterations);

    /// <summary>
    /// Minimises F for the rows <paramref name="a"/> (row-major, <paramref name="columns"/> a row) and targets <paramref name="b"/>,
    /// from <paramref name="start"/> (projected onto the constraints first).
    /// </summary>
    public static Result Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int columns, ReadOnlySpan<bool> constrained, double delta,
        ReadOnlySpan<double> start, int maxIterations = 500)
    {
        int n = columns, m = b.Length;
        if (n < 1 || a.Length != m * n) throw new ArgumentException("a must hold rows x columns values.");
        if (constrained.Length != n || start.Length != n) throw new ArgumentException("constrained and start must have one value a column.");
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta));
        var x = new double[n];
        for (int j = 0; j < n; j++) x[j] = constrained[j] && !(start[j] >= 0) ? 0 : double.IsFinite(start[j]) ? start[j] : 0;
        var r = new double[m];
        double f = Objective(a, b, n, x, delta, r);
        var h = new double[n * n];
        var g = new double[n];
        var trial = new double[n];
        var newton = new double[n];
        // The gradient's scale per column, sum_i |a_ij| delta: the optimality test below is relative to it.
        var scale = new double[n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) scale[j] += Math.Abs(a[i * n + j]) * delta;
        int iteration = 0;
        for (; iteration < maxIterations; iteration++)
        {
            // Newton model on the current zones; stop where the optimality conditions hold to rounding.
            Model(a, r, n, delta, newton: true, h, g);
            if (Optimal(g, x, constrained, scale)) break;
            double fNewton = double.PositiveInfinity;
            bool full = false;
            if (MinimiseModel(h, g, x, constrained, trial))
            {
                // Backtrack on x + t (trial - x), t = 1, 1/2, ...: F is convex, so the first t that lowers F is taken.
                var step = new double[n];
                for (int j = 0; j < n; j++) step[j] = trial[j] - x[j];
                double t = 1;
                for (int k = 0; k < 40; k++, t *= 0.5)
                {
                    for (int j = 0; j < n; j++) newton[j] = x[j] + t * step[j];
                    for (int j = 0; j < n; j++) if (constrained[j] && newton[j] < 0) newton[j] = 0;
                    double ft = Objective(a, b, n, newton, delta, null);
                    if (ft < f) { fNewton = ft; full = k == 0; break; }
                }
            }
            double fNext = fNewton;
            if (fNewton < f) Array.Copy(newton, trial, n);
            if (!full)
            {
                // The IRLS majoriser (its minimiser never raises F), taken when it beats a shortened or failed Newton step.
                Model(a, r, n, delta, newton: false, h, g);
                var majoriser = new double[n];
                if (MinimiseModel(h, g, x, constrained, majoriser))
                {
                    double fm = Objective(a, b, n, majoriser, delta, null);
                    if (fm < fNext) { fNext = fm; Array.Copy(majoriser, trial, n); }
                }
            }
            if (!(fNext < f)) break;
            // A full Newton step that changes F by rounding only: the zones are settled and x is their exact minimiser.
            bool settled = full && fNext == fNewton && f - fNext <= 1e-15 * f;
            f = fNext;
            Array.Copy(trial, x, n);
            Objective(a, b, n, x, delta, r);
            if (settled) { iteration++; break; }
        }
        return new Result(x, f, iteration);
    }

    /// <summary>
    /// The optimality conditions to rounding: |g_j| at most 1e-13 of its scale on a free coordinate, g_j at least -1e-13 of it
    /// on a coordinate held at its bound 0.
    /// </summary>
    private static bool Optimal(double[] g, double[] x, ReadOnlySpan<bool> constrained, double[] scale)
    {
        for (int j = 0; j < g.Length; j++)
        {
            double tolerance = 1e-13 * scale[j];
            if (constrained[j] && x[j] == 0 ? g[j] < -tolerance : Math.Abs(g[j]) > tolerance) return false;
        }
        return true;
    }

    /// <summary>F(x); the residuals a_i . x - b_i into <paramref name="residuals"/> when given.</summary>
    public static double Objective(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int n, ReadOnlySpan<double> x, double delta, double[]? residuals)
    {
        double f = 0;
        for (int i = 0; i < b.Length; i++)
        {
            var row = a.Slice(i * n, n);
            double r = -b[i];
            for (int j = 0; j < n; j++) r += row[j] * x[j];
            if (residuals is not null) residuals[i] = r;
            double abs = Math.Abs(r);
            f += abs <= delta ? 0.5 * r * r : delta * (abs - 0.5 * delta);
        }
        return f;
    }

    /// <summary>
    /// The quadratic model's Hessian and gradient at the residuals r: gradient sum rho'(r_i) a_i; Hessian sum w_i a_i a_i' with
    /// w_i = 1 in the quadratic zone and, outside, 0 (Newton) or delta / |r_i| (the IRLS majoriser).
    /// </summary>
    private static void Model(ReadOnlySpan<double> a, double[] r, int n, double delta, bool newton, double[] h, double[] g)
    {
        Array.Clear(h);
        Array.Clear(g);
        for (int i = 0; i < r.Length; i++)
        {
            var row = a.Slice(i * n, n);
            double abs = Math.Abs(r[i]);
            bool quadratic = abs <= delta;
            double slope = quadratic ? r[i] : delta * Math.Sign(r[i]);   // rho'(r)
            double w = quadratic ? 1 : newton ? 0 : delta / abs;
            for (int j = 0; j < n; j++)
            {
                g[j] += slope * row[j];
                if (w == 0) continue;
                double wa = w * row[j];
                for (int k = j; k < n; k++) h[j * n + k] += wa * row[k];
            }
        }
        for (int j = 0; j < n; j++)
            for (int k = 0; k < j; k++) h[j * n + k] = h[k * n + j];
    }

    /// <summary>
    /// The minimiser of g' d + 1/2 d' H d over x + d feasible, into <paramref name="result"/> (as x + d): every subset of the
    /// constrained columns held at 0, the others solved, the feasible solution of smallest model value kept (the model is
    /// convex, so its constrained minimiser is the free minimiser on one face). False when no face has a solvable system.
    /// </summary>
    private static bool MinimiseModel(double[] h, double[] g, double[] x, ReadOnlySpan<bool> constrained, double[] result)
    {
        int n = g.Length;
        var bounded = new List<int>();
        for (int j = 0; j < n; j++) if (constrained[j]) bounded.Add(j);
        double best = double.PositiveInfinity;
        var d = new double[n];
        var fixedAt = new bool[n];
        bool found = false;
        for (int mask = 0; mask < 1 << bounded.Count; mask++)
        {
            Array.Clear(fixedAt);
            for (int b = 0; b < bounded.Count; b++) fixedAt[bounded[b]] = (mask & (1 << b)) != 0;
            if (!SolveFace(h, g, x, fixedAt, d)) continue;
            bool feasible = true;
            for (int j = 0; j < n; j++)
                if (constrained[j] && !fixedAt[j] && x[j] + d[j] < 0) feasible = false;
            if (!feasible) continue;
            double value = 0;
            for (int j = 0; j < n; j++)
            {
                value += g[j] * d[j];
                for (int k = 0; k < n; k++) value += 0.5 * d[j] * h[j * n + k] * d[k];
            }
            if (value < best)
            {
                best = value;
                found = true;
                for (int j = 0; j < n; j++) result[j] = fixedAt[j] ? 0 : x[j] + d[j];
            }
        }
        return found;
    }

    /// <summary>d with d_j = -x_j on the fixed columns and the model's minimiser on the free ones (H's free block solved by Cholesky after unit-diagonal scaling).</summary>
    private static bool SolveFace(double[] h, double[] g, double[] x, bool[] fixedAt, double[] d)
    {
        int n = g.Length;
        var free = new List<int>();
        for (int j = 0; j < n; j++)
        {
            if (fixedAt[j]) d[j] = -x[j];
            else free.Add(j);
        }
        int f = free.Count;
        if (f == 0) return true;
        // Free block: H_ff d_f = -(g_f + H_fc d_c).
        var s = new double[f];
        var l = new double[f * f];
        var rhs = new double[f];
        for (int p = 0; p < f; p++)
        {
            double hpp = h[free[p] * n + free[p]];
            if (!(hpp > 0) || !double.IsFinite(hpp)) return false;
            s[p] = Math.Sqrt(hpp);
        }
        for (int p = 0; p < f; p++)
        {
            int jp = free[p];
            double v = -g[jp];
            for (int j = 0; j < n; j++) if (fixedAt[j]) v -= h[jp * n + j] * d[j];
            rhs[p] = v / s[p];
            for (int q = 0; q < f; q++) l[p * f + q] = h[jp * n + free[q]] / (s[p] * s[q]);
        }
        // Cholesky of the scaled block (unit diagonal); a pivot below 1e-14 is treated as singular.
        for (int p = 0; p < f; p++)
        {
            for (int q = 0; q <= p; q++)
            {
                double sum = l[p * f + q];
                for (int k = 0; k < q; k++) sum -= l[p * f + k] * l[q * f + k];
                if (p == q)
                {
                    if (!(sum > 1e-14)) return false;
                    l[p * f + p] = Math.Sqrt(sum);
                }
                else l[p * f + q] = sum / l[q * f + q];
            }
        }
        var y = new double[f];
        for (int p = 0; p < f; p++)
        {
            double sum = rhs[p];
            for (int k = 0; k < p; k++) sum -= l[p * f + k] * y[k];
            y[p] = sum / l[p * f + p];
        }
        for (int p = f - 1; p >= 0; p--)
        {
            double sum = y[p];
            for (int k = p + 1; k < f; k++) sum -= l[k * f + p] * y[k];
            y[p] = sum / l[p * f + p];
        }
        for (int p = 0; p < f; p++)
        {
            d[free[p]] = y[p] / s[p];
            if (!double.IsFinite(d[free[p]])) return false;
        }
        return true;
    }
}
