using HyperLaws.Fitting;

namespace HyperLaws.Laws;

/// <summary>
/// The Multi-Power Law of Luo et al. 2025 (arXiv 2503.12811):
/// <code>
/// L(t)  = L0 + A (S1(t) + S_W)^(-alpha) - LD(t)
/// LD(t) = B sum_{k=1..t} (eta_{k-1} - eta_k) G(eta_k^(-gamma) S_k(t)),   S_k(t) = sum_{tau=k..t} eta_tau
/// G(x)  = 1 - (C x + 1)^(-beta)
/// </code>
/// As in the MPL repository's evaluation, eta is the full schedule with its warmup, S1 includes the
/// warmup area (so S_W is not a separate parameter), eta_0 = 0, and the LD sum runs over the warmup
/// steps too, where eta_{k-1} - eta_k &lt; 0 (../shared/docs/schedule-laws.md). A zero eta_k gives G = 1.
/// Parameters: L0, A, alpha, B, C, beta, gamma.
/// </summary>
/// <remarks>
/// LD is evaluated at the requested steps only, through a segment tree over k. Inside a node whose
/// drops Delta eta_k = eta_{k-1} - eta_k share one sign, x_k = eta_k^(-gamma) (S1(t) - S1(k-1)) lies in
/// [x_min, x_max], and the Delta-weighted mean x_bar = (S1(t) M1 - M2) / M0 is exact from the node's
/// moments M0 = sum Delta, M1 = sum Delta eta^(-gamma), M2 = sum Delta eta^(-gamma) S1(k-1). Taylor's theorem
/// around x_bar (the first-order terms cancel) bounds the error of sum Delta_k G(x_k) ~ M0 G(x_bar) by
/// 1/2 max|G''| sum|Delta| (x_max - x_min)^2, with max|G''| = beta (beta + 1) C^2 (C x_min + 1)^(-beta-2);
/// G is increasing, so the error is also at most sum|Delta| (G(x_max) - G(x_min)); the smaller bound is used.
/// A node is accepted when B times that is at most eps sum|Delta|_node / sum|Delta|_all, so the
/// total error of B LD(t) is at most eps (<see cref="Tolerance"/>, in loss units). Other nodes are split;
/// leaves (8 steps) are summed exactly. Accepted nodes grow with their distance from t, so a point
/// costs about O(log S) nodes plus the exact leaves next to t; the moments cost one O(S) pass per gamma.
/// </remarks>
public sealed class MultiPowerLaw : IFittableLaw
{
    public const int L0 = 0, A = 1, Alpha = 2, B = 3, C = 4, Beta = 5, Gamma = 6;

    private static readonly string[] Names = ["L0", "A", "alpha", "B", "C", "beta", "gamma"];

    /// <param name="tolerance">Bound on the absolute error of LD(t) in loss units; 0 sums exactly.</param>
    public MultiPowerLaw(double tolerance = 1e-5)
    {
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance));
        Tolerance = tolerance;
    }

    public string Name => "mpl";

    public IReadOnlyList<string> ParameterNames => Names;

    public double Tolerance { get; }

    public IReadOnlyList<bool> Positive { get; } = [false, true, true, true, true, true, true];

    /// <summary>Starts around the published fits, with L0 placed below the smallest observed loss.</summary>
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets)
    {
        double min = targets.Min(t => t.Loss.Min());
        return
        [
            [min - 0.3, 0.5, 0.5, 400, 2.0, 0.6, 0.6],
            [min - 0.6, 0.8, 0.4, 300, 1.0, 0.5, 0.5],
            [min - 0.15, 0.3, 0.6, 600, 3.0, 0.7, 0.7],
        ];
    }

    /// <summary>Published fits (peak 3e-4, warmup 2160) for the 25M, 100M and 400M models.</summary>
    public static IReadOnlyDictionary<string, double[]> Published { get; } = new Dictionary<string, double[]>
    {
        ["25M"] = [3.0405, 0.5247, 0.5079, 363.79, 2.0656, 0.5828, 0.6414],
        ["100M"] = [2.6514, 0.6012, 0.4530, 437.95, 2.1325, 0.5979, 0.6552],
        ["400M"] = [2.3747, 0.6542, 0.4288, 523.42, 2.0246, 0.5935, 0.6347],
    };

    public void Predict(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
    {
        CheckArguments(p, history, steps, output);
        var tree = history.Cache(DropTree.Build);
        var moments = tree.MomentsFor(history, p[Gamma]);
        double accept = Tolerance > 0 && tree.TotalAbsDrop > 0 ? Tolerance / tree.TotalAbsDrop : 0;
        for (int i = 0; i < steps.Length; i++)
        {
            int t = steps[i];
            double s1 = history.S1(t);
            double ld = tree.LossDrop(history, t, p[B], p[C], p[Beta], p[Gamma], moments, accept);
            output[i] = p[L0] + p[A] * Math.Pow(s1, -p[Alpha]) - p[B] * ld;
        }
    }

    /// <summary>LD(t)/B summed term by term (O(t)); the reference for the tree.</summary>
    public static double ExactLossDropOverB(ScheduleHistory h, int t, double c, double beta, double gamma)
    {
        double sum = 0;
        double s1t = h.S1(t);
        for (int k = 1; k <= t; k++)
        {
            double delta = h.Eta(k - 1) - h.Eta(k);
            if (delta != 0) sum += delta * G(h.Eta(k), s1t - h.S1(k - 1), c, beta, gamma);
        }
        return sum;
    }

    private static double G(double eta, double sk, double c, double beta, double gamma) =>
        eta == 0 ? 1.0 : 1.0 - Math.Pow(c * Math.Pow(eta, -gamma) * sk + 1.0, -beta);

    internal static void CheckArguments(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
    {
        if (output.Length < steps.Length) throw new ArgumentException("The output is shorter than the steps.");
        int previous = 0;
        foreach (int t in steps)
        {
            if (t < 1 || t > history.Steps) throw new ArgumentOutOfRangeException(nameof(steps), $"Step {t} is outside 1..{history.Steps}.");
            if (t < previous) throw new ArgumentException("Steps must be ascending.");
            previous = t;
        }
        _ = p;
    }

    /// <summary>Segment tree over k = 1..S: leaves of <see cref="Leaf"/> steps, built once per history.</summary>
    private sealed class DropTree
    {
        private const int Leaf = 8;
        private readonly int[] _lo, _hi, _left, _right;   // node k-range [lo, hi]; children (-1 for leaves)
        private readonly double[] _absDrop, _etaMin, _etaMax;
        private readonly bool[] _eligible;                // one sign of Delta eta and no zero eta: approximable
        private readonly double[] _m0;                    // sum Delta eta
        private int _count, _root;
        private Moments? _last;                           // moments for the last gamma used

        private DropTree(int capacity)
        {
            _lo = new int[capacity]; _hi = new int[capacity]; _left = new int[capacity]; _right = new int[capacity];
            _absDrop = new double[capacity]; _etaMin = new double[capacity]; _etaMax = new double[capacity];
            _eligible = new bool[capacity]; _m0 = new double[capacity];
        }

        public double TotalAbsDrop => _absDrop[_root];

        public static DropTree Build(ScheduleHistory h)
        {
            int leaves = (h.Steps + Leaf - 1) / Leaf;
            var tree = new DropTree(2 * leaves + 1);
            tree._root = tree.BuildNode(h, 1, h.Steps);
            return tree;
        }

        private int BuildNode(ScheduleHistory h, int lo, int hi)
        {
            int node = _count++;
            _lo[node] = lo; _hi[node] = hi;
            if (hi - lo + 1 <= Leaf)
            {
                _left[node] = _right[node] = -1;
                double m0 = 0, abs = 0, mn = double.PositiveInfinity, mx = 0;
                bool pos = false, neg = false, zero = false;
                for (int k = lo; k <= hi; k++)
                {
                    double d = h.Eta(k - 1) - h.Eta(k);
                    m0 += d; abs += Math.Abs(d);
                    pos |= d > 0; neg |= d < 0; zero |= d != 0 && h.Eta(k) == 0;
                    mn = Math.Min(mn, h.Eta(k)); mx = Math.Max(mx, h.Eta(k));
                }
                _m0[node] = m0; _absDrop[node] = abs; _etaMin[node] = mn; _etaMax[node] = mx;
                _eligible[node] = !(pos && neg) && !zero;
                return node;
            }
            int leaves = (hi - lo + 1 + Leaf - 1) / Leaf;
            int mid = lo + (leaves / 2) * Leaf - 1;
            int l = BuildNode(h, lo, mid);
            int r = BuildNode(h, mid + 1, hi);
            _left[node] = l; _right[node] = r;
            _m0[node] = _m0[l] + _m0[r];
            _absDrop[node] = _absDrop[l] + _absDrop[r];
            _etaMin[node] = Math.Min(_etaMin[l], _etaMin[r]);
            _etaMax[node] = Math.Max(_etaMax[l], _etaMax[r]);
            _eligible[node] = _eligible[l] && _eligible[r] && !(_m0[l] * _m0[r] < 0);
            return node;
        }

        /// <summary>Per-node M1, M2 and eta^(-gamma) at the node's eta range, for one gamma (cached for the last gamma).</summary>
        public Moments MomentsFor(ScheduleHistory h, double gamma)
        {
            var last = Volatile.Read(ref _last);
            if (last is not null && last.Gamma == gamma) return last;
            var m = new Moments(gamma, _count);
            for (int n = _count - 1; n >= 0; n--)
            {
                m.PowAtMin[n] = _etaMin[n] > 0 ? Math.Pow(_etaMin[n], -gamma) : double.PositiveInfinity;
                m.PowAtMax[n] = _etaMax[n] > 0 ? Math.Pow(_etaMax[n], -gamma) : double.PositiveInfinity;
                if (!_eligible[n]) continue;
                if (_left[n] < 0)
                {
                    double m1 = 0, m2 = 0;
                    for (int k = _lo[n]; k <= _hi[n]; k++)
                    {
                        double d = h.Eta(k - 1) - h.Eta(k);
                        if (d == 0) continue;
                        double e = Math.Pow(h.Eta(k), -gamma);
                        m1 += d * e;
                        m2 += d * e * h.S1(k - 1);
                    }
                    m.M1[n] = m1; m.M2[n] = m2;
                }
                else
                {
                    // Children have higher indices than their parent, so they are done already.
                    m.M1[n] = m.M1[_left[n]] + m.M1[_right[n]];
                    m.M2[n] = m.M2[_left[n]] + m.M2[_right[n]];
                }
            }
            Volatile.Write(ref _last, m);
            return m;
        }

        public double LossDrop(ScheduleHistory h, int t, double b, double c, double beta, double gamma, Moments m, double accept)
        {
            double s1t = h.S1(t);
            double sum = 0;
            // Depth-first; a balanced tree over at most 2^31 steps is < 32 levels deep, two pending nodes a level.
            Span<int> stack = stackalloc int[72];
            int top = 0;
            stack[top++] = _root;
            while (top > 0)
            {
                int n = stack[--top];
                if (_lo[n] > t || _absDrop[n] == 0) continue;
                if (_hi[n] <= t && accept > 0 && _eligible[n])
                {
                    double xMin = m.PowAtMax[n] * (s1t - h.S1(_hi[n] - 1));
                    double xMax = m.PowAtMin[n] * (s1t - h.S1(_lo[n] - 1));
                    double width = xMax - xMin;
                    double tailMin = Math.Pow(c * xMin + 1, -beta);
                    double curvature = beta * (beta + 1) * c * c * tailMin / ((c * xMin + 1) * (c * xMin + 1));
                    double firstOrder = tailMin - (double.IsPositiveInfinity(xMax) ? 0 : Math.Pow(c * xMax + 1, -beta));
                    if (b * Math.Min(0.5 * curvature * width * width, firstOrder) <= accept)
                    {
                        double xBar = (s1t * m.M1[n] - m.M2[n]) / _m0[n];
                        sum += _m0[n] * (1.0 - Math.Pow(c * xBar + 1.0, -beta));
                        continue;
                    }
                }
                if (_left[n] < 0)
                {
                    int end = Math.Min(_hi[n], t);
                    for (int k = _lo[n]; k <= end; k++)
                    {
                        double d = h.Eta(k - 1) - h.Eta(k);
                        if (d != 0) sum += d * G(h.Eta(k), s1t - h.S1(k - 1), c, beta, gamma);
                    }
                    continue;
                }
                stack[top++] = _right[n];
                stack[top++] = _left[n];
            }
            return sum;
        }

        public sealed class Moments(double gamma, int nodes)
        {
            public double Gamma { get; } = gamma;
            public double[] M1 { get; } = new double[nodes];
            public double[] M2 { get; } = new double[nodes];
            public double[] PowAtMin { get; } = new double[nodes];
            public double[] PowAtMax { get; } = new double[nodes];
        }
    }
}
