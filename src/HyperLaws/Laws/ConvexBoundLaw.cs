
namespace HyperLaws.Laws;

/// <summary>
/// The convex last-iterate bound of Defazio et al., used by Schaipp et al. 2025 (arXiv 2501.18965) to
/// explain LR schedules. For a run stopped after T steps with LRs eta_1..eta_T:
/// <code>
/// Omega_T = D^2/(2 sum eta) + G^2 sum eta^2/(2 sum eta) + 1/2 sum_{k&lt;T} (eta_k/a_k)(g_k/b_k)
/// a_k = sum_{t=k+1..T} eta_t,  b_k = sum_{t=k..T} eta_t,  g_k = G^2 sum_{t=k..T} eta_t^2
/// </code>
/// Omega_T = D^2 u_T + G^2 v_T with u_T = 1/(2 S1(T)) and v_T = Q(T)/(2 S1(T)) + 1/2 sum_k (eta_k/a_k)(q_k/b_k),
/// q_k = Q(T) - Q(k-1). Fitted to a curve as loss(T) = c + m Omega_T = c + P u_T + R v_T, so the
/// parameters are c, P = m D^2 and R = m G^2 (P, R &gt;= 0). Terms with a_k = 0 (eta = 0 after k) are dropped.
/// </summary>
public sealed class ConvexBoundLaw : IFittableLaw, IExplainableLaw, IProgressLaw
{
    /// <summary>Indices of c, P = m D^2 and R = m G^2 in the parameter vector.</summary>
    public const int Offset = 0, DistanceTerm = 1, NoiseTerm = 2;

    private static readonly string[] Names = ["c", "P", "R"];

    /// <inheritdoc/>
    public string Name => "convex";

    /// <inheritdoc/>
    public IReadOnlyList<string> ParameterNames => Names;

    /// <inheritdoc/>
    public IReadOnlyList<bool> Positive { get; } = [false, true, true];

    /// <summary>The law is linear in (c, P, R): start from the ordinary least-squares solution (P, R floored at tiny positives).</summary>
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets)
    {
        var ata = new double[3, 3];
        var aty = new double[3];
        foreach (var t in targets)
        {
            for (int i = 0; i < t.Steps.Length; i++)
            {
                var (u, v) = Features(t.History, t.Steps[i]);
                double[] row = [1, u, v];
                for (int a = 0; a < 3; a++)
                {
                    aty[a] += row[a] * t.Loss[i];
                    for (int b = 0; b < 3; b++) ata[a, b] += row[a] * row[b];
                }
            }
        }
        var x = Solve3(ata, aty);
        double min = targets.Min(t => t.Loss.Min());
        return x is null
            ? [[min, 1e-3, 1e3]]
            : [[x[0], Math.Max(x[1], 1e-9), Math.Max(x[2], 1e-9)], [min, 1e-3, 1e3]];
    }

    private static double[]? Solve3(double[,] m, double[] y)
    {
        static double Det(double[,] a) =>
            a[0, 0] * (a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1]) - a[0, 1] * (a[1, 0] * a[2, 2] - a[1, 2] * a[2, 0]) + a[0, 2] * (a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]);
        double d = Det(m);
        if (Math.Abs(d) < 1e-300) return null;
        var x = new double[3];
        for (int c = 0; c < 3; c++)
        {
            var mc = (double[,])m.Clone();
            for (int r = 0; r < 3; r++) mc[r, c] = y[r];
            x[c] = Det(mc) / d; // Cramer's rule
        }
        return x.All(double.IsFinite) ? x : null;
    }

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
    {
        LawArguments.Check(this, p, history, steps, output);
        var features = history.Cache(_ => new FeatureCache());
        for (int i = 0; i < steps.Length; i++)
        {
            var (u, v) = Features(history, steps[i], features);
            output[i] = p[Offset] + p[DistanceTerm] * u + p[NoiseTerm] * v;
        }
    }

    /// <summary>The progress part c + P u_T, u_T = 1/(2 S1(T)); the rest of the loss is the noise term R v_T.</summary>
    public double Progress(ReadOnlySpan<double> p, ScheduleHistory history, int step) => p[Offset] + p[DistanceTerm] * 0.5 / history.S1(step);

    /// <summary>The offset c, the distance term P u_T and the noise term R v_T.</summary>
    public IReadOnlyList<LawTerm> Explain(ReadOnlySpan<double> p, ScheduleHistory history, int step)
    {
        LawArguments.Check(this, p, history, [step], new double[1]);
        var (u, v) = Features(history, step, history.Cache(_ => new FeatureCache()));
        return
        [
            new("c", "c", 1, p[Offset]),
            new("distance", "P u_T, u_T = 1/(2 sum eta)", u, p[DistanceTerm] * u),
            new("noise", "R v_T (gradient-noise part of the bound)", v, p[NoiseTerm] * v),
        ];
    }

    /// <summary>(u_T, v_T) for a stopping step T, cached per history: O(log S) per step through <see cref="CauchySum"/> (was O(T): a 10^6-step run at 10^4 points took 10^10 terms).</summary>
    public static (double U, double V) Features(ScheduleHistory h, int T) => Features(h, T, null);

    private sealed class FeatureCache : Dictionary<int, (double U, double V)>;

    private static (double U, double V) Features(ScheduleHistory h, int T, FeatureCache? cache)
    {
        if (cache is not null)
        {
            lock (cache)
                if (cache.TryGetValue(T, out var hit)) return hit;
        }
        // With eta_k / (a_k b_k) = 1/a_k - 1/b_k (b_k - a_k = eta_k) and b_k = a_{k-1}, the tail telescopes:
        // tail = sum_{k<T} eta_k^2 / a_k + eta_T - Q(T)/S1(T), so v_T = 1/2 (sum_{k<T} eta_k^2 / (S1(T) - S1(k)) + eta_T),
        // a sum of positive terms (no cancellation), valid when every a_k > 0, i.e. eta_T > 0. Otherwise the
        // definition is summed term by term. (The two differ by rounding: b_k - a_k is eta_k only to the ulps
        // of S1, so on an LR decayed to ~1e-12 of S1 near T neither is accurate to many digits.)
        var result = h.Eta(T) > 0 && h.S1(T) > h.S1(T - 1)
            ? (0.5 / h.S1(T), 0.5 * (h.Cache(CauchySum.Build).Evaluate(h, T) + h.Eta(T)))
            : ExactFeatures(h, T);
        if (cache is not null)
        {
            lock (cache) cache[T] = result;
        }
        return result;
    }

    /// <summary>(u_T, v_T) summed from the definition, O(T): the reference for the telescoped form.</summary>
    internal static (double U, double V) ExactFeatures(ScheduleHistory h, int T)
    {
        double s1 = h.S1(T), q = h.Q(T);
        double tail = 0;
        for (int k = 1; k < T; k++)
        {
            double a = s1 - h.S1(k);
            if (a <= 0 || h.Eta(k) == 0) continue;
            double b = s1 - h.S1(k - 1);
            tail += h.Eta(k) / a * ((q - h.Q(k - 1)) / b);
        }
        return (0.5 / s1, q / (2 * s1) + 0.5 * tail);
    }

    /// <summary>
    /// F(T) = sum_{k&lt;T} w_k / (x - s_k) with w_k = eta_k^2, s_k = S1(k), x = S1(T), through a segment tree
    /// over k (a one-dimensional fast multipole sum). A node holds the moments mu_n = sum w_k (s_k - c)^n,
    /// n = 0..<see cref="Order"/>, about the centre c of its s range (half width h); for x - c = D &gt; h,
    /// 1/(x - s) = sum_n (s - c)^n / D^(n+1), and truncating after <see cref="Order"/> errs by at most
    /// (h/D)^(K+1) / (D - h) per unit weight, i.e. a relative (h/D)^(K+1) (D + h)/(D - h) of the node's own
    /// (positive) sum. Nodes under 1e-14 are accepted, others split; leaves of <see cref="Leaf"/> steps next
    /// to T are summed exactly. O(S K log S) to build, O(K log S) nodes per T.
    /// </summary>
    private sealed class CauchySum
    {
        private const int Leaf = 16, Order = 12;
        private readonly List<int> _lo = [], _hi = [], _left = [], _right = [];
        private readonly List<double> _centre = [], _half = [];
        private readonly List<double[]> _moments = [];
        private int _root;

        public static CauchySum Build(ScheduleHistory h)
        {
            var tree = new CauchySum();
            tree._root = tree.Node(h, 1, h.Steps);
            return tree;
        }

        private int Node(ScheduleHistory h, int lo, int hi)
        {
            int node = _lo.Count;
            double sLo = h.S1(lo), sHi = h.S1(hi), c = 0.5 * (sLo + sHi);
            var mu = new double[Order + 1];
            for (int k = lo; k <= hi; k++)
            {
                double w = h.Eta(k) * h.Eta(k), d = h.S1(k) - c, term = w;
                for (int n = 0; n <= Order; n++) { mu[n] += term; term *= d; }
            }
            _lo.Add(lo); _hi.Add(hi); _centre.Add(c); _half.Add(0.5 * (sHi - sLo)); _moments.Add(mu);
            _left.Add(-1); _right.Add(-1);
            if (hi - lo + 1 > Leaf)
            {
                int mid = lo + (hi - lo + 1) / 2 - 1;
                int l = Node(h, lo, mid), r = Node(h, mid + 1, hi);
                _left[node] = l; _right[node] = r;
            }
            return node;
        }

        public double Evaluate(ScheduleHistory h, int t)
        {
            double x = h.S1(t), sum = 0;
            Span<int> stack = stackalloc int[128];
            int top = 0;
            stack[top++] = _root;
            while (top > 0)
            {
                int n = stack[--top];
                if (_lo[n] >= t) continue;
                if (_hi[n] < t)
                {
                    double d = x - _centre[n], half = _half[n];
                    if (d > half)
                    {
                        double ratio = half / d;
                        if (Math.Pow(ratio, Order + 1) * (d + half) / (d - half) <= 1e-14)
                        {
                            var mu = _moments[n];
                            double inverse = 1 / d, series = 0;
                            for (int k = Order; k >= 0; k--) series = series * inverse + mu[k];
                            sum += series * inverse;
                            continue;
                        }
                    }
                }
                if (_left[n] < 0)
                {
                    int end = Math.Min(_hi[n], t - 1);
                    for (int k = _lo[n]; k <= end; k++)
                    {
                        double eta = h.Eta(k);
                        if (eta != 0) sum += eta * eta / (x - h.S1(k));
                    }
                    continue;
                }
                stack[top++] = _right[n];
                stack[top++] = _left[n];
            }
            return sum;
        }
    }
}
