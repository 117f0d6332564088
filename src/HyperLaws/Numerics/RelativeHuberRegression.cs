using System.Numerics;

namespace HyperLaws.Numerics;

/// <summary>
/// A linear model fitted by the mean Huber loss of its relative residuals, with sign constraints:
/// <code>
/// minimise F(x) = (1/n) sum_i rho(r_i),  r_i = (sum_k x_k phi_ik - y_i) / y_i,  subject to x_k &gt;= 0 for the constrained k,
/// rho(r) = r^2/2 for |r| &lt;= delta, delta (|r| - delta/2) beyond
/// </code>
/// (the objective of <see cref="HyperLaws.Laws.LawFitter"/> for a law that is linear in these parameters). F is convex and
/// piecewise quadratic, so the minimum value is unique. The method is Newton's on the piecewise quadratic, as in Madsen and
/// Nielsen, "Finite algorithms for robust linear regression" (BIT 30, 1990, 682-699): with the residuals split into the
/// inliers I (|r_i| &lt;= delta) and the outliers (sign s_i), F equals on that split
/// <code>
/// Q(x) = sum_{i in I} (a_i . x - 1)^2 / 2 + sum_{i not in I} delta s_i a_i . x + const,   a_i = phi_i / y_i,
/// </code>
/// whose constrained minimiser comes from the normal equations G = sum_{i in I} a_i a_i', c = sum_{i in I} a_i -
/// delta sum_{i not in I} s_i a_i by <see cref="NonNegativeLeastSquares.SolveNormal"/>. When the minimiser x^ keeps the split
/// it minimises F itself (F = Q near x^, and F is convex): the exact optimum, reached after finitely many splits. Otherwise
/// the step x + t (x^ - x) takes the t in (0, 1] that minimises F on the segment (a root of the monotone, piecewise linear
/// dF/dt, by regula falsi), which keeps the constraints. A step that does not lower F is replaced by one of iteratively
/// reweighted least squares (weights min(1, delta/|r_i|): a majoriser of F, so never uphill); when neither lowers F the
/// current point is returned.
/// <para>
/// The design is held by columns (one array of n rows per parameter) and read at every
/// <see cref="Solve"/>, so a caller may rewrite columns between solves (variable projection: the nonlinear parameters change
/// some columns). Sums over rows are taken over chunks of <see cref="Chunk"/> rows in parallel and added in chunk order, so
/// results do not depend on the threads.
/// </para>
/// </summary>
internal sealed class RelativeHuberRegression
{
    /// <summary>Rows per chunk of the normal equations.</summary>
    public const int Chunk = 2048;

    private const int MaxIterations = 60;

    private readonly double[][] _columns;
    private readonly double[] _y, _inverseY, _inverseY2;
    private readonly bool[] _constrained;
    private readonly double _delta;
    private readonly int _rows, _n;
    // Per row: the residuals at the current point, at the model's minimiser, their difference, the weights and the right-hand side.
    private readonly double[] _step, _w, _u;
    // Per row: the side of the split the current normal equations were summed with (0 inlier, +-1 the outlier's sign).
    private readonly sbyte[] _code;
    private double[] _r, _trial;

    /// <summary>The problem: <paramref name="columns"/>[k][i] = phi_ik (all of length y's), y_i &gt; 0, and which x_k must be &gt;= 0.</summary>
    /// <exception cref="ArgumentException">Columns of another length, a y not positive and finite, or constraints not one per column.</exception>
    public RelativeHuberRegression(double[][] columns, double[] y, bool[] constrained, double delta)
    {
        if (constrained.Length != columns.Length) throw new ArgumentException("One constraint flag per column.");
        if (columns.Any(c => c.Length != y.Length)) throw new ArgumentException("Every column has one value per row.");
        if (y.Any(v => !(v > 0) || !double.IsFinite(v))) throw new ArgumentException("Relative residuals need positive, finite y.");
        if (!(delta > 0)) throw new ArgumentException("The Huber delta must be positive.");
        _columns = columns;
        _y = y;
        _constrained = constrained;
        _delta = delta;
        _rows = y.Length;
        _n = columns.Length;
        _inverseY = [.. y.Select(v => 1 / v)];
        _inverseY2 = [.. y.Select(v => 1 / (v * v))];
        _r = new double[_rows];
        _trial = new double[_rows];
        _step = new double[_rows];
        _w = new double[_rows];
        _u = new double[_rows];
        _code = new sbyte[_rows];
    }

    private sbyte Code(double r) => r > _delta ? (sbyte)1 : r < -_delta ? (sbyte)-1 : (sbyte)0;

    /// <summary>
    /// The Newton normal equations moved to the split of the current residuals: each row that changed sides has its old
    /// terms (w phi phi' with w = 1/y^2 for an inlier, u phi with u = 1/y or -delta s/y) taken out and its new ones put in.
    /// </summary>
    private void UpdateNormalEquations(double[,] gram, double[] rhs)
    {
        var phi = new double[_n];
        for (int i = 0; i < _rows; i++)
        {
            sbyte code = Code(_r[i]), old = _code[i];
            if (code == old) continue;
            for (int k = 0; k < _n; k++) phi[k] = _columns[k][i];
            double du = (code == 0 ? _inverseY[i] : -_delta * code * _inverseY[i]) - (old == 0 ? _inverseY[i] : -_delta * old * _inverseY[i]);
            double dw = (code == 0 ? _inverseY2[i] : 0) - (old == 0 ? _inverseY2[i] : 0);
            for (int a = 0; a < _n; a++)
            {
                rhs[a] += du * phi[a];
                if (dw == 0) continue;
                double wa = dw * phi[a];
                for (int b = a; b < _n; b++) gram[a, b] += wa * phi[b];
            }
            _code[i] = code;
        }
        for (int a = 0; a < _n; a++)
            for (int b = 0; b < a; b++) gram[a, b] = gram[b, a];
    }

    /// <summary>
    /// The minimiser and F at it, from <paramref name="start"/> (a feasible point, e.g. the previous solve's minimiser) or,
    /// when null, from the least-squares fit (every row an inlier).
    /// </summary>
    public (double Objective, double[] X) Solve(double[]? start)
    {
        double[] x;
        if (start is null || start.Length != _n || !start.All(double.IsFinite) || start.Where((v, k) => _constrained[k] && v < 0).Any())
        {
            for (int i = 0; i < _rows; i++) { _w[i] = _inverseY2[i]; _u[i] = _inverseY[i]; }
            x = SolveModel();
        }
        else x = (double[])start.Clone();
        double objective = Residuals(x, _r);
        if (!double.IsFinite(objective)) return (objective, x);
        double[,]? gram = null;
        double[]? rhs = null;
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            // Newton: the model Q of F on the current split. The first split of a solve (the design may have changed) and
            // any split after a reweighted step is summed over every row; later splits update the sums by the rows that
            // changed sides (few, once the split nearly settles), each row's terms added or removed as in the full sum.
            int changed = 0;
            if (gram is not null) for (int i = 0; i < _rows; i++) if (Code(_r[i]) != _code[i]) changed++;
            if (gram is null || rhs is null || changed > _rows / 8)
            {
                for (int i = 0; i < _rows; i++)
                {
                    sbyte code = _code[i] = Code(_r[i]);
                    _w[i] = code == 0 ? _inverseY2[i] : 0;
                    _u[i] = code == 0 ? _inverseY[i] : -_delta * code * _inverseY[i];
                }
                (gram, rhs) = NormalEquations();
            }
            else if (changed > 0) UpdateNormalEquations(gram, rhs);
            var model = NonNegativeLeastSquares.SolveNormal(gram, rhs, _constrained);
            double trialObjective = Residuals(model, _trial);
            bool sameSplit = true;
            for (int i = 0; i < _rows && sameSplit; i++) sameSplit = Code(_trial[i]) == _code[i];
            if (sameSplit && trialObjective <= objective)
                return (trialObjective, model);   // x^ minimises F: done.
            var (next, nextObjective) = LineStep(x, model, trialObjective);   // its residuals in _trial
            if (!(nextObjective < objective))
            {
                // No progress along the Newton direction: one reweighted least-squares step (never uphill), else stop.
                for (int i = 0; i < _rows; i++)
                {
                    double a = Math.Abs(_r[i]), weight = a <= _delta ? 1 : _delta / a;
                    _w[i] = weight * _inverseY2[i];
                    _u[i] = weight * _inverseY[i];
                }
                var reweighted = SolveModel();
                (gram, rhs) = (null, null);
                double reweightedObjective = Residuals(reweighted, _trial);
                if (!(reweightedObjective < objective)) return (objective, x);
                (next, nextObjective) = (reweighted, reweightedObjective);
            }
            (_r, _trial) = (_trial, _r);
            bool settled = objective - nextObjective <= 1e-15 * objective;
            (x, objective) = (next, nextObjective);
            if (settled) break;
        }
        return (objective, x);
    }

    /// <summary>
    /// x + t (model - x) for the t in (0, 1] that minimises F on the segment (the residuals at model are in _trial, and the
    /// new point's are left there; _r keeps x's). phi(t) = sum rho(r_i + t d_i) is convex, so phi'(t) = sum psi(r_i + t d_i) d_i
    /// is non-decreasing and piecewise linear: t = 1 when phi'(1) &lt;= 0, else its root by regula falsi (Illinois).
    /// </summary>
    private (double[] X, double Objective) LineStep(double[] x, double[] model, double modelObjective)
    {
        for (int i = 0; i < _rows; i++) _step[i] = _trial[i] - _r[i];
        double lo = 0, hi = 1, slopeLo = Slope(0), slopeHi = Slope(1), t = 1;
        if (!(slopeLo < 0)) return (x, double.PositiveInfinity);   // not a descent direction
        if (!(slopeHi > 0)) return (model, modelObjective);         // t = 1: the residuals are already in _trial
        double tolerance = 1e-14 * -slopeLo;
        int side = 0;
        for (int k = 0; k < 60 && hi - lo > 1e-13 * hi; k++)
        {
            t = lo - slopeLo * (hi - lo) / (slopeHi - slopeLo);
            if (!(t > lo && t < hi)) t = 0.5 * (lo + hi);
            double s = Slope(t);
            if (Math.Abs(s) <= tolerance) break;
            if (s < 0)
            {
                (lo, slopeLo) = (t, s);
                if (side == -1) slopeHi *= 0.5;   // Illinois: the end kept twice has its value halved
                side = -1;
            }
            else
            {
                (hi, slopeHi) = (t, s);
                if (side == 1) slopeLo *= 0.5;
                side = 1;
            }
        }
        var next = new double[_n];
        for (int k = 0; k < _n; k++)
        {
            next[k] = x[k] + t * (model[k] - x[k]);
            if (_constrained[k] && next[k] < 0) next[k] = 0;   // rounding only: both ends are feasible
        }
        return (next, Residuals(next, _trial));
    }

    /// <summary>Rows per block of <see cref="Residuals"/> (a multiple of the SIMD width): the block's residuals stay in cache.</summary>
    private const int ResidualBlock = 512;

    /// <summary>
    /// The residuals at x into <paramref name="r"/>; returns F(x) (SIMD lanes, a fixed order for a given length). The rows go
    /// in blocks of <see cref="ResidualBlock"/>, each summed over the columns while in cache; every residual is the same sum in
    /// the same order (-y, then x_k phi_ik for k in order) and the Huber terms are accumulated in row order, as in one pass per
    /// column.
    /// </summary>
    private double Residuals(double[] x, double[] r)
    {
        int width = Vector<double>.Count, end = _rows - _rows % width;
        var span = r.AsSpan();
        var delta = new Vector<double>(_delta);
        var halfDelta = new Vector<double>(0.5 * _delta);
        var acc = Vector<double>.Zero;
        var inverse = _inverseY.AsSpan();
        for (int from = 0; from < _rows; from += ResidualBlock)
        {
            int to = Math.Min(_rows, from + ResidualBlock), vectorEnd = Math.Min(to, end);
            for (int i = from; i < to; i++) r[i] = -_y[i];
            for (int k = 0; k < _n; k++)
            {
                double xk = x[k];
                if (xk == 0) continue;
                var column = _columns[k].AsSpan();
                var vx = new Vector<double>(xk);
                int i = from;
                for (; i < vectorEnd; i += width)
                    (new Vector<double>(span.Slice(i, width)) + new Vector<double>(column.Slice(i, width)) * vx).CopyTo(span.Slice(i, width));
                for (; i < to; i++) r[i] += column[i] * xk;
            }
            for (int j = from; j < vectorEnd; j += width)
            {
                var v = new Vector<double>(span.Slice(j, width)) * new Vector<double>(inverse.Slice(j, width));
                v.CopyTo(span.Slice(j, width));
                var abs = Vector.Abs(v);
                // rho: a^2/2 inside, delta (a - delta/2) outside.
                acc += Vector.ConditionalSelect(Vector.LessThanOrEqual(abs, delta), 0.5 * abs * abs, delta * (abs - halfDelta));
            }
        }
        double total = Vector.Sum(acc);
        for (int j = end; j < _rows; j++)
        {
            double v = r[j] * _inverseY[j];
            r[j] = v;
            double a = Math.Abs(v);
            total += a <= _delta ? 0.5 * a * a : _delta * (a - 0.5 * _delta);
        }
        return total / _rows;
    }

    /// <summary>phi'(t) = sum_i psi(r_i + t d_i) d_i, psi(r) = clamp(r, -delta, delta) (SIMD lanes, a fixed order).</summary>
    private double Slope(double t)
    {
        int width = Vector<double>.Count, end = _rows - _rows % width, i = 0;
        var r = _r.AsSpan();
        var d = _step.AsSpan();
        var vt = new Vector<double>(t);
        var hi = new Vector<double>(_delta);
        var lo = -hi;
        var acc = Vector<double>.Zero;
        for (; i < end; i += width)
        {
            var vd = new Vector<double>(d.Slice(i, width));
            var v = new Vector<double>(r.Slice(i, width)) + vt * vd;
            acc += Vector.Min(Vector.Max(v, lo), hi) * vd;
        }
        double s = Vector.Sum(acc);
        for (; i < _rows; i++)
        {
            double v = r[i] + t * d[i];
            s += (v > _delta ? _delta : v < -_delta ? -_delta : v) * d[i];
        }
        return s;
    }

    /// <summary>The constrained minimiser of sum_i w_i (phi_i . x)^2 / 2 - sum_i u_i phi_i . x (normal equations, then NNLS).</summary>
    private double[] SolveModel()
    {
        var (g, c) = NormalEquations();
        return NonNegativeLeastSquares.SolveNormal(g, c, _constrained);
    }

    /// <summary>
    /// G = sum_i w_i phi_i phi_i' and c = sum_i u_i phi_i over all rows: per chunk of rows (in parallel), then the chunks
    /// added in order, so the result does not depend on the threads.
    /// </summary>
    private (double[,] G, double[] C) NormalEquations()
    {
        int n = _n, chunks = (_rows + Chunk - 1) / Chunk, triangle = n * (n + 1) / 2;
        var partial = new double[chunks][];
        void Body(int chunk)
        {
            int from = chunk * Chunk, count = Math.Min(Chunk, _rows - from);
            var sums = new double[triangle + n];
            var weighted = new double[count];
            var weightedNext = new double[count];
            var w = _w.AsSpan(from, count);
            var u = _u.AsSpan(from, count);
            // sums[Index(a, b)] = G_ab (b >= a) in the triangle's row order.
            int Index(int a, int b) => a * n - a * (a - 1) / 2 + (b - a);
            int a = 0;
            // Two weighted columns (a, a + 1) per pass over the columns b > a: each column b is loaded once for both.
            for (; a + 1 < n; a += 2)
            {
                var ca = _columns[a].AsSpan(from, count);
                var cn = _columns[a + 1].AsSpan(from, count);
                sums[triangle + a] = DotProducts.Dot(ca, u);
                sums[triangle + a + 1] = DotProducts.Dot(cn, u);
                for (int i = 0; i < count; i++) weighted[i] = w[i] * ca[i];
                for (int i = 0; i < count; i++) weightedNext[i] = w[i] * cn[i];
                sums[Index(a, a)] = DotProducts.Dot(weighted, ca);
                int b = a + 1;
                for (; b + 4 <= n; b += 4)
                    DotProducts.Dot2x4(weighted, weightedNext, _columns[b].AsSpan(from, count), _columns[b + 1].AsSpan(from, count), _columns[b + 2].AsSpan(from, count),
                        _columns[b + 3].AsSpan(from, count), sums.AsSpan(Index(a, b), 4), sums.AsSpan(Index(a + 1, b), 4));
                for (; b < n; b++)
                {
                    var cb = _columns[b].AsSpan(from, count);
                    sums[Index(a, b)] = DotProducts.Dot(weighted, cb);
                    sums[Index(a + 1, b)] = DotProducts.Dot(weightedNext, cb);
                }
            }
            for (; a < n; a++)
            {
                var ca = _columns[a].AsSpan(from, count);
                sums[triangle + a] = DotProducts.Dot(ca, u);
                for (int i = 0; i < count; i++) weighted[i] = w[i] * ca[i];
                for (int b = a; b < n; b++) sums[Index(a, b)] = DotProducts.Dot(weighted, _columns[b].AsSpan(from, count));
            }
            partial[chunk] = sums;
        }
        if (chunks > 1) Parallel.For(0, chunks, Body);
        else if (chunks == 1) Body(0);
        var g = new double[n, n];
        var c = new double[n];
        foreach (var sums in partial)
        {
            int at = 0;
            for (int a = 0; a < n; a++)
            {
                c[a] += sums[triangle + a];
                for (int b = a; b < n; b++) g[a, b] += sums[at++];
            }
        }
        for (int a = 0; a < n; a++)
            for (int b = 0; b < a; b++) g[a, b] = g[b, a];
        return (g, c);
    }
}
