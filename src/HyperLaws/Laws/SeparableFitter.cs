using HyperLaws.Numerics;

namespace HyperLaws.Laws;

/// <summary>
/// <see cref="LawFitter"/>'s fit of a law that is linear in some of its parameters (<see cref="ISeparableLaw"/>), by variable
/// projection (Golub and Pereyra 1973; Kaufman 1975). The objective is <see cref="LawFitter"/>'s, unchanged: the mean Huber
/// loss F(q, c) = 1/m sum_i rho((L_hat_i - L_i) / L_i) over every point, with L_hat_i = sum_j c_j g_j(t_i; q) and the
/// positive parameters among the linear ones c constrained to c_j &gt;= 0. For each nonlinear q the linear c*(q) =
/// argmin_c F(q, c) is solved exactly (a convex piecewise-quadratic problem: <see cref="RelativeHuberRegression"/>), and
/// Levenberg-Marquardt (the same damping, acceptance and stopping rules as LawFitter's) searches q alone on the reduced
/// objective F(q, c*(q)), whose minimum is F's joint minimum. Its residuals are psi_i = sign(r_i) sqrt(2 rho(r_i)) at c*(q);
/// its Jacobian is Kaufman's: the psi-Jacobian in q (positive parameters as logarithms, as in LawFitter) minus its projection
/// onto the span of the psi-Jacobian's columns of the free linear parameters (those not held at their bound 0). At c*(q)
/// those columns are orthogonal to psi (the inner optimality condition), so the reduced gradient J' psi is exact; J'J is
/// the Gauss-Newton approximation that drops the second derivatives of c*.
/// <para>
/// The linear parameters never run off: a start's amplitudes (MPL's B) cannot be walked towards 0 or infinity by the
/// search, which only moves q, and every trial point has the best amplitudes for its q. Every starting point (its nonlinear
/// values; its linear values are only the inner solve's first guess and the accuracy scale below) is run to convergence,
/// side by side, and the lowest objective wins: unlike LawFitter, no start is dropped after a few probe iterations
/// (<see cref="FitOptions.ProbeIterations"/> is not used). Reduced fits converge in fewer iterations, and a probe's early
/// lead picked the wrong basin on protocol 1's 100M curves (objective 6.6e-8 against 4.7e-8 with every start run out).
/// A step is at most <see cref="MaxStep"/> in any search coordinate (a trust region in the max norm; LawFitter has none).
/// Each evaluation computes the basis and its q-derivatives together (one pass per trial point, no separate Jacobian
/// pass). Where the basis is approximated with an accuracy set by a linear value (<see cref="ISeparableLaw.AccuracyParameter"/>,
/// MPL's B), it is computed for a scale of max(1.25 |c_j|, |c_j at the start|) from the last accepted c and recomputed with
/// 1.25 |c*_j| when the solved c*_j exceeds that scale, so the law's stated accuracy holds at the c it returns.
/// The reported objective is recomputed by the law's own <see cref="ILossLaw.Predict(ReadOnlySpan{double}, ScheduleHistory, ReadOnlySpan{int}, Span{double})"/> at the fitted parameters.
/// </para>
/// </summary>
internal static class SeparableFitter
{
    /// <summary>Runs every start to convergence (side by side with <see cref="FitOptions.ParallelProbes"/>) and keeps the lowest objective (see the type's remarks).</summary>
    public static LawFit Fit(ISeparableLaw law, IReadOnlyList<FitTarget> targets, IReadOnlyList<double[]> starts, FitOptions options)
    {
        bool parallel = starts.Count > 1 && options.ParallelProbes;
        var probes = LawFitter.RunStarts(starts.Count, parallel, i =>
            new Projection(law, i == 0 || !parallel ? targets : LawFitter.Copies(targets), options.HuberDelta, starts[i])
                .Minimize(starts[i], options.MaxIterations, options.RelativeTolerance));

        int evaluations = probes.Sum(f => f.Evaluations);
        int bestIndex = 0;
        for (int i = 1; i < probes.Length; i++) if (probes[i].Objective < probes[bestIndex].Objective) bestIndex = i;
        return Rescored(law, targets, options.HuberDelta, probes[bestIndex] with { Evaluations = evaluations });
    }

    /// <summary>The fit with its objective recomputed by the law's own Predict (LawFitter's definition, bit for bit its arithmetic).</summary>
    private static LawFit Rescored(ISeparableLaw law, IReadOnlyList<FitTarget> targets, double delta, LawFit fit)
    {
        if (!fit.HasFiniteParameters) return fit;
        double sum = 0;
        int m = 0;
        foreach (var t in targets)
        {
            var y = new double[t.Steps.Length];
            law.Predict(fit.Parameters, t.History, t.ModelSize, t.Steps, y);
            for (int i = 0; i < y.Length; i++)
            {
                double r = (y[i] - t.Loss[i]) / t.Loss[i];
                double a = Math.Abs(r);
                double psi = a <= delta ? r : Math.Sign(r) * Math.Sqrt(delta * (2 * a - delta));
                sum += psi * psi;
            }
            m += y.Length;
        }
        double objective = 0.5 * sum / m;
        return double.IsFinite(objective) ? fit with { Objective = objective } : fit;
    }

    /// <summary>The longest Levenberg-Marquardt step in any search coordinate (log of a positive parameter).</summary>
    internal const double MaxStep = 4;

    /// <summary>The largest factor by which a trial point's accuracy parameter may exceed its scale (see Evaluate).</summary>
    internal const double MaxJump = 1e3;

    /// <summary>The reduced problem of one start: buffers for the basis, the residuals and the Jacobian.</summary>
    private sealed class Projection
    {
        private readonly ISeparableLaw _law;
        private readonly IReadOnlyList<FitTarget> _targets;
        private readonly double _delta;
        private readonly int[] _linear, _nonlinear, _offsets;
        private readonly bool[] _constrained;
        private readonly double[] _floor;          // |c_j| of the start: the least accuracy scale
        private readonly int _scaleIndex;          // index into _linear of the accuracy parameter, -1 for none
        private readonly int _m, _nl, _nq;
        private readonly double[] _basis, _gradient, _loss;
        private readonly double[][] _columns;      // the basis by column, as the inner solve reads it
        private readonly RelativeHuberRegression _huber;
        private int _evaluations;

        public Projection(ISeparableLaw law, IReadOnlyList<FitTarget> targets, double delta, double[] start)
        {
            _law = law;
            _targets = targets;
            _delta = delta;
            int n = law.ParameterNames.Count;
            _linear = [.. law.LinearParameters];
            _nonlinear = [.. Enumerable.Range(0, n).Where(j => !_linear.Contains(j))];
            _nl = _linear.Length;
            _nq = _nonlinear.Length;
            _constrained = [.. _linear.Select(j => law.Positive[j])];
            _floor = [.. _linear.Select(j => double.IsFinite(start[j]) ? Math.Abs(start[j]) : 0)];
            _scaleIndex = Array.IndexOf(_linear, law.AccuracyParameter);
            _offsets = LawFitter.Offsets(targets);
            _m = targets.Sum(t => t.Steps.Length);
            _basis = new double[_m * _nl];
            _gradient = new double[_m * _nl * _nq];
            _loss = new double[_m];
            for (int t = 0; t < targets.Count; t++) targets[t].Loss.CopyTo(_loss, _offsets[t]);
            _columns = [.. Enumerable.Range(0, _nl).Select(_ => new double[_m])];
            _huber = new RelativeHuberRegression(_columns, _loss, _constrained, delta);
        }

        /// <summary>Levenberg-Marquardt over the nonlinear parameters from <paramref name="start"/> (LawFitter's rules).</summary>
        public LawFit Minimize(double[] start, int maxIterations, double relativeTolerance)
        {
            int evaluationsBefore = _evaluations;
            var u = new double[_nq];
            for (int k = 0; k < _nq; k++)
            {
                int j = _nonlinear[k];
                u[k] = _law.Positive[j] ? Math.Log(Math.Max(start[j], 1e-300)) : start[j];
            }
            var c = new double[_nl];
            for (int j = 0; j < _nl; j++) c[j] = start[_linear[j]];
            var r = new double[_m];
            var trial = new double[_m];
            var jac = new double[_m * _nq];
            var trialJac = new double[_m * _nq];
            if (!Evaluate(u, c, r, jac, out double cost))
                return new LawFit(_law, start, double.PositiveInfinity, 0, _evaluations - evaluationsBefore, false, "non-finite prediction at the start");

            double lambda = 1e-3;
            string reason = "iteration cap";
            bool converged = false;
            int iteration = 0;
            var jtj = new double[_nq, _nq];
            var jtr = new double[_nq];
            for (; iteration < maxIterations; iteration++)
            {
                Array.Clear(jtj);
                Array.Clear(jtr);
                for (int i = 0; i < _m; i++)
                {
                    var row = jac.AsSpan(i * _nq, _nq);
                    for (int a = 0; a < _nq; a++)
                    {
                        jtr[a] += row[a] * r[i];
                        for (int b = a; b < _nq; b++) jtj[a, b] += row[a] * row[b];
                    }
                }
                for (int a = 0; a < _nq; a++)
                    for (int b = 0; b < a; b++) jtj[a, b] = jtj[b, a];

                bool accepted = false;
                for (int attempt = 0; attempt < 30 && !accepted; attempt++)
                {
                    var step = LawFitter.SolveDamped(jtj, jtr, lambda);
                    if (step is null) { lambda *= 10; continue; }
                    // At most MaxStep in any search coordinate (a factor e^4 for a positive parameter): longer steps only reach
                    // trial points where the law's terms overflow or round to nothing (gamma = 4e28, C = 1e-42), each costing
                    // O(steps) per point in MPL's tree, and the step's direction is kept.
                    double longest = step.Max(Math.Abs);
                    if (longest > MaxStep) for (int k = 0; k < _nq; k++) step[k] *= MaxStep / longest;
                    var uNew = new double[_nq];
                    for (int k = 0; k < _nq; k++) uNew[k] = u[k] + step[k];
                    var cNew = (double[])c.Clone();
                    if (Evaluate(uNew, cNew, trial, trialJac, out double newCost, trialPoint: true) && newCost < cost)
                    {
                        double decrease = (cost - newCost) / Math.Max(cost, 1e-300);
                        u = uNew;
                        c = cNew;
                        (r, trial) = (trial, r);
                        (jac, trialJac) = (trialJac, jac);
                        cost = newCost;
                        lambda = Math.Max(lambda / 3, 1e-12);
                        accepted = true;
                        if (decrease < relativeTolerance)
                        {
                            converged = true;
                            reason = "objective change below tolerance";
                        }
                    }
                    else lambda *= 4;
                }
                if (!accepted)
                {
                    converged = true;
                    reason = "no damped step lowers the objective (a minimum)";
                    break;
                }
                if (converged) break;
            }
            var parameters = Parameters(u, c);
            if (!Array.TrueForAll(parameters, double.IsFinite)) (converged, reason) = (false, "a parameter ran off to infinity");
            return new LawFit(_law, parameters, cost / _m, iteration, _evaluations - evaluationsBefore, converged, reason);
        }

        private double[] Parameters(double[] u, double[] c)
        {
            var p = new double[_nl + _nq];
            for (int k = 0; k < _nq; k++) p[_nonlinear[k]] = _law.Positive[_nonlinear[k]] ? Math.Exp(u[k]) : u[k];
            for (int j = 0; j < _nl; j++) p[_linear[j]] = c[j];
            return p;
        }

        /// <summary>
        /// The reduced problem at u: c*(u) into <paramref name="c"/> (the previous c in: the inner solve's first guess and the
        /// accuracy scale), psi into <paramref name="psi"/>, Kaufman's Jacobian into <paramref name="jac"/> (m x nq, row-major),
        /// half the sum of squares into <paramref name="cost"/>; false when anything is not finite.
        /// </summary>
        private bool Evaluate(double[] u, double[] c, double[] psi, double[] jac, out double cost, bool trialPoint = false)
        {
            cost = double.PositiveInfinity;
            var scale = (double[])c.Clone();
            if (_scaleIndex >= 0)
                scale[_scaleIndex] = Math.Max(1.25 * Math.Abs(c[_scaleIndex]), _floor[_scaleIndex]);
            double[] solved = c;
            for (int pass = 0; ; pass++)
            {
                if (!Basis(Parameters(u, scale))) return false;
                solved = _huber.Solve(c).X;
                if (!Array.TrueForAll(solved, double.IsFinite)) return false;
                // The accuracy scale must cover the solved value; else once more at 1.25 times it. A trial point whose amplitude
                // jumps more than MaxJump times the scale in one step is rejected instead (the search then takes a shorter step):
                // there the basis is a difference of nearly equal terms (MPL at C = 1e-42, beta = 4e4: B = 1e43), which
                // only an exact O(steps) sum per point could give to the tolerance.
                if (_scaleIndex < 0 || Math.Abs(solved[_scaleIndex]) <= scale[_scaleIndex] || pass == 3) break;
                if (trialPoint && Math.Abs(solved[_scaleIndex]) > MaxJump * scale[_scaleIndex]) return false;
                scale[_scaleIndex] = 1.25 * Math.Abs(solved[_scaleIndex]);
            }
            Array.Copy(solved, c, _nl);

            var q = Parameters(u, c);
            var free = new bool[_nl];
            for (int j = 0; j < _nl; j++) free[j] = !_constrained[j] || c[j] > 0;
            var freeColumns = new double[_m * _nl];    // psi-Jacobian columns of the free linear parameters (column-major)
            double sum = 0;
            for (int i = 0; i < _m; i++)
            {
                var row = _basis.AsSpan(i * _nl, _nl);
                double prediction = 0;
                for (int j = 0; j < _nl; j++) prediction += c[j] * row[j];
                double loss = _loss[i];
                double r = (prediction - loss) / loss;
                if (!double.IsFinite(r)) return false;
                double a = Math.Abs(r), slope;   // d psi / d prediction
                if (a <= _delta)
                {
                    psi[i] = r;
                    slope = 1 / loss;
                }
                else
                {
                    psi[i] = Math.Sign(r) * Math.Sqrt(_delta * (2 * a - _delta));
                    slope = _delta / Math.Abs(psi[i]) / loss;
                }
                sum += psi[i] * psi[i];
                var gradient = _gradient.AsSpan(i * _nl * _nq, _nl * _nq);
                for (int k = 0; k < _nq; k++)
                {
                    double d = 0;
                    for (int j = 0; j < _nl; j++) d += c[j] * gradient[j * _nq + k];
                    int index = _nonlinear[k];
                    double g = slope * d * (_law.Positive[index] ? q[index] : 1);
                    if (!double.IsFinite(g)) return false;
                    jac[i * _nq + k] = g;
                }
                for (int j = 0; j < _nl; j++) freeColumns[j * _m + i] = free[j] ? slope * row[j] : 0;
            }
            cost = 0.5 * sum;
            Project(jac, freeColumns, free);
            return double.IsFinite(cost);
        }

        /// <summary>
        /// The nq columns of <paramref name="jac"/> minus their projection onto the span of the free linear columns: those
        /// columns orthonormalised by modified Gram-Schmidt (twice, for orthogonality to rounding), each subtracted in turn.
        /// </summary>
        private void Project(double[] jac, double[] columns, bool[] free)
        {
            var basis = new List<double[]>();
            for (int j = 0; j < _nl; j++)
            {
                if (!free[j]) continue;
                var v = columns.AsSpan(j * _m, _m).ToArray();
                double norm0 = Math.Sqrt(DotProducts.Dot(v, v));
                if (!(norm0 > 0)) continue;
                for (int pass = 0; pass < 2; pass++)
                    foreach (var e in basis)
                    {
                        double dot = DotProducts.Dot(e, v);
                        for (int i = 0; i < _m; i++) v[i] -= dot * e[i];
                    }
                double norm = Math.Sqrt(DotProducts.Dot(v, v));
                if (!(norm > 1e-12 * norm0)) continue;     // dependent on the columns before it
                for (int i = 0; i < _m; i++) v[i] /= norm;
                basis.Add(v);
            }
            if (basis.Count == 0) return;
            var column = new double[_m];
            for (int k = 0; k < _nq; k++)
            {
                for (int i = 0; i < _m; i++) column[i] = jac[i * _nq + k];
                foreach (var e in basis)
                {
                    double dot = DotProducts.Dot(e, column);
                    for (int i = 0; i < _m; i++) column[i] -= dot * e[i];
                }
                for (int i = 0; i < _m; i++) jac[i * _nq + k] = column[i];
            }
        }

        /// <summary>The basis and its gradient for every curve (side by side when the curves have distinct histories), and the basis by column for the inner solve; false when not finite.</summary>
        private bool Basis(double[] p)
        {
            _evaluations++;
            void One(int t)
            {
                var target = _targets[t];
                int offset = _offsets[t], count = target.Steps.Length;
                _law.Basis(p, target.History, target.Steps, _basis.AsSpan(offset * _nl, count * _nl), _gradient.AsSpan(offset * _nl * _nq, count * _nl * _nq));
            }
            LawFitter.ForEachTarget(_targets, One);
            for (int i = 0; i < _m; i++)
                for (int j = 0; j < _nl; j++)
                {
                    double v = _basis[i * _nl + j];
                    if (!double.IsFinite(v)) return false;
                    _columns[j][i] = v;
                }
            return true;
        }
    }
}
