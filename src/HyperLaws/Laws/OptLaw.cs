using System.Globalization;
using HyperLaws.Numerics;
using HyperLaws.Schedules;

namespace HyperLaws.Laws;

/// <summary>
/// OptLaw: the SDE-feature law of shared/docs/schedule-laws.md (after Xie et al., Opt-Laws,
/// arXiv 2409.04777), with S1(t) = sum_{k&lt;=t} eta_k the intrinsic time (warmup included):
/// <code>
/// L(t) = L0 + A (S1(t) + s_w)^(-alpha) + sum_m w_m N_m(t) + sum_j u_j E_j(t)
/// N_m(t) = d_mt N_m(t-1) + (1 - d_mt) eta_r (eta_t/eta_r)^p,  d_mt = exp(-eta_t / tau_m),  eta_r = 1e-3
/// E_j(t) = sum_{k&lt;=t} eta_k exp(-c_j / eta_k)
/// </code>
/// Convergence is a power law in intrinsic time. Noise: for a quadratic direction of curvature
/// h = 1/(2 tau) the SDE's excess loss E(t) = (1 - 2 h eta_t) E(t-1) + c eta_t^2 relaxes towards its
/// stationary level ~ eta_t at rate 2h per unit of intrinsic time; N_m is exactly that relaxation,
/// an exponential average of the LR over the last tau_m of intrinsic time, computed in O(S) per curve.
/// Decaying the LR lowers every N_m, each with its own lag: that is the annealing drop. The
/// stationary level eta^p generalises the SGD value p = 1; Adam-type optimisers on the MPL curves
/// fit p = 0.78-0.83 (docs/VALIDATION.md), and a fitted p predicted held-out training curves better
/// than p = 1 in leave-one-curve-out tests. Escape: the Kramers rate out of a basin with barrier
/// ~ c_j at temperature ~ eta is ~ exp(-c_j/eta), so E_j counts intrinsic time spent hot enough to
/// cross it (u_j &lt;= 0: exploring lowers the loss). The default law has no escape features: on the
/// MPL curves they fit the training runs and extrapolated worse (E_j grows without bound); pass
/// barriers to the constructor to use them.
/// The lags tau_m and barriers c_j are fixed log grids in absolute LR units, wide enough for LLM
/// schedules (LR 1e-5..1e-2, up to ~1e6 steps); the fit chooses the weights. Given (alpha, s_w, p)
/// the law is linear in (L0, A, w, u), so the fit is variable projection: a Nelder-Mead search over
/// (ln alpha, ln s_w, ln p) of the mean Huber loss of relative residuals minimised over the linear weights
/// (A, w &gt;= 0, u &lt;= 0), that inner minimum solved exactly by Newton's method on the piecewise quadratic
/// (<see cref="RelativeHuberRegression"/>: each step a sign-constrained least squares).
/// </summary>
public sealed class OptLaw : ISelfFittingLaw, IDifferentiableLaw, IExplainableLaw, IProgressLaw, IBoundedLaw
{
    /// <summary>
    /// Indices into the parameter vector p: L0, the asymptotic loss; A, Alpha and Sw, the convergence term A (S1 + s_w)^(-alpha)
    /// (s_w in intrinsic time, LR x steps); Power, p, the exponent of the noise level eta_r (eta/eta_r)^p; FirstWeight, the first
    /// of the noise weights w_m (one per <see cref="Lags"/>), followed by the escape weights u_j (one per <see cref="Barriers"/>).
    /// </summary>
    public const int L0 = 0, A = 1, Alpha = 2, Sw = 3, Power = 4, FirstWeight = 5;

    /// <summary>eta_r: the LR at which the noise level eta_r (eta/eta_r)^p equals the LR itself.</summary>
    public const double ReferenceLr = 1e-3;

    /// <summary>Lags tau_m of the noise features (intrinsic-time units: LR x steps): 1e-4..10, two per decade.</summary>
    public static IReadOnlyList<double> DefaultLags { get; } = Grid(1e-4, 10, 2);

    /// <summary>A log grid from <paramref name="from"/> to <paramref name="to"/> with <paramref name="perDecade"/> points per decade.</summary>
    public static double[] Grid(double from, double to, int perDecade)
    {
        int n = (int)Math.Round(Math.Log10(to / from) * perDecade);
        return [.. Enumerable.Range(0, n + 1).Select(k => from * Math.Pow(10, (double)k / perDecade))];
    }

    /// <summary>Lags tau_m of the noise features (intrinsic-time units: LR x steps).</summary>
    public IReadOnlyList<double> Lags { get; }

    /// <summary>Barriers c_j of the escape features (LR units); none by default.</summary>
    public IReadOnlyList<double> Barriers { get; }

    private readonly string[] _names;
    private readonly bool[] _positive;

    /// <summary>The default law: <see cref="DefaultLags"/> and no escape features.</summary>
    public OptLaw() : this(DefaultLags, [])
    {
    }

    /// <summary>A law with the given noise lags and escape barriers.</summary>
    /// <param name="lags">tau_m, positive and finite (LR x steps); at least one.</param>
    /// <param name="barriers">c_j, positive and finite (LR units); may be empty.</param>
    /// <exception cref="ArgumentException">No lag, or a lag or barrier not positive and finite.</exception>
    public OptLaw(IReadOnlyList<double> lags, IReadOnlyList<double> barriers)
    {
        if (lags.Count == 0) throw new ArgumentException("OptLaw needs at least one lag.");
        if (lags.Any(t => !(t > 0) || !double.IsFinite(t))) throw new ArgumentException("Lags must be positive and finite.");
        if (barriers.Any(c => !(c > 0) || !double.IsFinite(c))) throw new ArgumentException("Barriers must be positive and finite.");
        Lags = [.. lags];
        Barriers = [.. barriers];
        _names = ["L0", "A", "alpha", "s_w", "p",
            .. Lags.Select(t => "noise[tau=" + t.ToString("G3", CultureInfo.InvariantCulture) + "]"),
            .. Barriers.Select(c => "escape[c=" + c.ToString("G3", CultureInfo.InvariantCulture) + "]")];
        _positive = [false, true, true, true, true, .. Lags.Select(_ => true), .. Barriers.Select(_ => false)];
    }

    /// <inheritdoc/>
    public string Name => "optlaw";

    /// <summary>
    /// A box on the parameters (null, the default: none, the fit as before). Only L0's lower end may be set, at 0 (<see cref="PhysicalFloor"/>):
    /// the variable projection then solves the linear weights with L0 &gt;= 0 as one more sign constraint of its non-negative least
    /// squares, so the bounded fit is exact, not a clamp. Every other end must stay infinite: L0's upper end is not needed, since each
    /// other term of the default law (A, the noise weights and features) is non-negative at every step, so L(t) &gt;= L0 and a fit with
    /// L0 above the lowest logged loss over-predicts it; a pinned fit (<see cref="Fitting.PinnedLaw"/>, fitted by Levenberg-Marquardt)
    /// keeps the same box.
    /// </summary>
    /// <exception cref="ArgumentException">A box of another size, or one that bounds anything but L0's lower end at 0.</exception>
    public ParameterBounds? Bounds
    {
        get;
        init
        {
            if (value is not null && (value.Count != _names.Length || value.Lower[L0] is not (0 or double.NegativeInfinity)
                || Enumerable.Range(0, value.Count).Any(j => double.IsFinite(value.Upper[j]) || j != L0 && double.IsFinite(value.Lower[j]))))
                throw new ArgumentException($"OptLaw's bounds may set only L0's lower end, at 0 (got {value}).");
            field = value;
        }
    }

    /// <summary>True when the fit keeps L0 &gt;= 0 (<see cref="Bounds"/>).</summary>
    private bool FloorAtLeastZero => Bounds is { } box && box.Lower[L0] == 0;

    /// <inheritdoc/>
    public IReadOnlyList<string> ParameterNames => _names;

    /// <summary>L0 and the escape weights u_j (&lt;= 0) are free; alpha, A, s_w, p and the noise weights are positive.</summary>
    public IReadOnlyList<bool> Positive => _positive;

    private int FeatureCount => Lags.Count + Barriers.Count;

    /// <summary>
    /// The predictions by one pass over the history, O(S (M + J)) time and O(M + J) memory: the features
    /// are folded into the output at each requested step, never stored (10^6 points cost their output only).
    /// </summary>
    public void Predict(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
    {
        LawArguments.Check(this, p, history, steps, output);
        var weights = p.Slice(FirstWeight, FeatureCount);
        // A feature of weight 0 adds 0 x value = +0 to y: not computed (the same predictions bit for bit; the plan evaluates the
        // fitted law on schedules of 10^5+ steps, where each lag costs an exp per step wherever the LR changes: issue 12).
        var on = new List<int>(FeatureCount);
        for (int k = 0; k < FeatureCount; k++) if (weights[k] != 0) on.Add(k);
        // S1 at the asked steps: the history's prefix sums when it has them, else summed along the walk, which passes every step
        // (the same doubles: issue 12, a plan's candidate schedule, stretched or not, needs no array of its prefix sums).
        bool sum = !history.HasPrefixSums;
        var walk = new FeatureWalk(this, history, p[Power], withSlope: false, [.. on], sumS1: sum);
        for (int i = 0; i < steps.Length; i++)
        {
            walk.AdvanceTo(steps[i]);
            double y = p[L0] + p[A] * Math.Pow((sum ? walk.S1 : history.S1(steps[i])) + p[Sw], -p[Alpha]);
            for (int k = 0; k < weights.Length; k++) y += weights[k] * walk.Values[k];
            output[i] = y;
        }
    }

    /// <summary>
    /// The loss after the last step of each schedule eta_t = c_i s_t: one shape <paramref name="shape"/> (s_1..s_S, e.g. a
    /// schedule's LRs at peak 1) at the peaks <paramref name="factors"/> c_i (a contour's column; issue 12). The law of
    /// <see cref="Predict"/>, by one pass over the shape for every factor at once, with two identities:
    /// <code>
    /// S1(S) = c sum_t s_t                                      (the shape's compensated sum, taken once)
    /// eta_r (c s_t / eta_r)^p = [eta_r (c / eta_r)^p] s_t^p    (s_t^p taken once per step, not once per step and factor)
    /// </code>
    /// As in <see cref="Predict"/>, the decays exp(-c s_t / tau_m) are taken per factor and non-zero weight only where s_t changes,
    /// and the escape terms c s_t exp(-c_j / (c s_t)) at every step with s_t &gt; 0, per factor and non-zero weight. Equal to <see cref="Predict"/> on the schedules c_i s_t up
    /// to rounding: the factored power differs from the direct one by a few ulps, and a schedule's own LR at peak c (e.g. floor +
    /// (peak - floor) x the cosine) from c s_t by rounding; both enter the same linear recursion, whose decays are at most 1.
    /// </summary>
    /// <param name="p">The law's parameters.</param>
    /// <param name="shape">s_1..s_S: finite and &gt;= 0.</param>
    /// <param name="factors">c_i: positive and finite.</param>
    /// <returns>The predicted loss after step S of each schedule c_i s_t, in the order of <paramref name="factors"/>.</returns>
    public double[] PredictFinalScaled(ReadOnlySpan<double> p, ReadOnlySpan<double> shape, IReadOnlyList<double> factors)
    {
        if (p.Length != _names.Length) throw new ArgumentException($"{Name} takes {_names.Length} parameters, got {p.Length}.");
        if (shape.Length == 0) throw new ArgumentException("The shape has no steps.");
        if (factors.Any(c => !(c > 0) || !double.IsFinite(c))) throw new ArgumentException("Factors must be positive and finite.");
        int n = factors.Count;
        double power = p[Power];
        var weights = p.Slice(FirstWeight, FeatureCount).ToArray();
        int[] lagsOn = [.. Enumerable.Range(0, Lags.Count).Where(k => weights[k] != 0)];
        int[] barriersOn = [.. Enumerable.Range(0, Barriers.Count).Where(b => weights[Lags.Count + b] != 0)];
        double[] c = [.. factors];
        double[] scale = [.. c.Select(ci => ReferenceLr * Math.Pow(ci / ReferenceLr, power))];
        var lags = Lags.ToArray();
        var barriers = Barriers.ToArray();
        int m = lagsOn.Length, e = barriersOn.Length;
        var values = new double[n * m];
        var decays = new double[n * m];
        var escape = new double[n * e];
        double sum = 0, compensation = 0, previous = double.NaN, level = 0;
        for (int t = 0; t < shape.Length; t++)
        {
            double s = shape[t];
            if (!double.IsFinite(s) || s < 0) throw new ArgumentException($"Shape at step {t + 1} is {s} (must be finite and >= 0).");
            ScheduleMath.NeumaierAdd(ref sum, ref compensation, s);
            if (s != previous)
            {
                level = s <= 0 ? 0 : Math.Pow(s, power);
                for (int i = 0; i < n; i++)
                    for (int a = 0; a < m; a++) decays[i * m + a] = Math.Exp(-(c[i] * s) / lags[lagsOn[a]]);
                previous = s;
            }
            for (int i = 0; i < n; i++)
            {
                double li = scale[i] * level;
                for (int a = 0; a < m; a++)
                {
                    double d = decays[i * m + a];
                    values[i * m + a] = d * values[i * m + a] + (1 - d) * li;
                }
                if (s > 0)
                    for (int b = 0; b < e; b++)
                    {
                        double eta = c[i] * s;
                        escape[i * e + b] += eta * Math.Exp(-barriers[barriersOn[b]] / eta);
                    }
            }
        }
        double s1 = sum + compensation;
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            double y = p[L0] + p[A] * Math.Pow(c[i] * s1 + p[Sw], -p[Alpha]);
            for (int a = 0; a < m; a++) y += weights[lagsOn[a]] * values[i * m + a];
            for (int b = 0; b < e; b++) y += weights[Lags.Count + barriersOn[b]] * escape[i * e + b];
            result[i] = y;
        }
        return result;
    }

    /// <summary>The progress part L0 + A (S1(t) + s_w)^-alpha; the rest of L(t) is the noise (and escape) features' sum.</summary>
    public double Progress(ReadOnlySpan<double> p, ScheduleHistory history, int step) => p[L0] + p[A] * Math.Pow(history.S1(step) + p[Sw], -p[Alpha]);

    /// <summary>
    /// The prediction at one step split into its terms (they sum to the predicted loss): why one
    /// schedule beats another. Terms with zero weight are left out.
    /// </summary>
    public IReadOnlyList<LawTerm> Explain(ReadOnlySpan<double> p, ScheduleHistory history, int step)
    {
        LawArguments.Check(this, p, history, [step], new double[1]);
        var f = FeatureMatrix(history, [step], p[Power]);
        double s1 = history.S1(step);
        double conv = Math.Pow(s1 + p[Sw], -p[Alpha]);
        var terms = new List<LawTerm>
        {
            new("L0", "L0", 1, p[L0]),
            new("convergence", "A (S1 + s_w)^-alpha, S1 = " + s1.ToString("G4", CultureInfo.InvariantCulture), conv, p[A] * conv),
        };
        for (int k = 0; k < FeatureCount; k++)
        {
            if (p[FirstWeight + k] == 0) continue;
            string formula = k < Lags.Count
                ? "LR^p averaged over the last " + Lags[k].ToString("G3", CultureInfo.InvariantCulture) + " of intrinsic time"
                : "sum of eta exp(-" + Barriers[k - Lags.Count].ToString("G3", CultureInfo.InvariantCulture) + "/eta)";
            terms.Add(new LawTerm(_names[FirstWeight + k], formula, f[0, k], p[FirstWeight + k] * f[0, k]));
        }
        return terms;
    }

    /// <summary>
    /// The noise features N_m, then the escape features E_j, at each step (rows), by one pass over the
    /// history: O(S (M + J)).
    /// </summary>
    public double[,] FeatureMatrix(ScheduleHistory history, ReadOnlySpan<int> steps, double power) =>
        FeatureMatrix(history, steps, power, null);

    private double[,] FeatureMatrix(ScheduleHistory history, ReadOnlySpan<int> steps, double power, double[,]? derivative)
    {
        var result = new double[steps.Length, FeatureCount];
        var walk = new FeatureWalk(this, history, power, withSlope: derivative is not null);
        for (int i = 0; i < steps.Length; i++)
        {
            walk.AdvanceTo(steps[i]);
            for (int k = 0; k < FeatureCount; k++) result[i, k] = walk.Values[k];
            if (derivative is not null)
                for (int k = 0; k < Lags.Count; k++) derivative[i, k] = walk.Slope[k];
        }
        return result;
    }

    /// <summary>
    /// The recursion behind the features, advanced step by step to each requested step: the noise features
    /// then the escape features in <see cref="Values"/>, and with a slope also d N_m / d p in
    /// <see cref="Slope"/> (the same recursion with input d level / d p = level ln(eta / eta_r)). The decays
    /// d_mt = exp(-eta_t / tau_m) are recomputed only where eta changes (piecewise-constant stretches reuse them), or read from
    /// the history's <see cref="WalkTable"/> when it has one (the same values: the same exp of the same arguments).
    /// </summary>
    private sealed class FeatureWalk(OptLaw law, ScheduleHistory history, double power, bool withSlope, int[]? only = null, bool sumS1 = false)
    {
        // The features walked: all, or only those listed (indices into Values, lags first); the others stay 0.
        private readonly int[] _lagsOn = [.. Enumerable.Range(0, law.Lags.Count).Where(k => only is null || only.Contains(k))];
        private readonly int[] _barriersOn = [.. Enumerable.Range(0, law.Barriers.Count).Where(b => only is null || only.Contains(law.Lags.Count + b))];

        private readonly double[] _decays = new double[law.Lags.Count];
        // The lags, barriers and LRs as arrays: the step loop reads them without an interface call per value (same arithmetic).
        private readonly double[] _lags = [.. law.Lags], _barriers = [.. law.Barriers];
        // The history's table of decays and logs per stretch of one LR (null: computed here), and the row of the current stretch.
        private readonly double[]? _table = law.WalkTableOf(history);
        private int _row = -1;
        private double _previousEta = double.NaN, _level, _levelSlope;
        private int _t;
        // With sumS1: S1(t) summed along the walk, Neumaier's sum and compensation (ScheduleMath.CumulativeSum's loop, so the same
        // doubles as the history's prefix sums, without building them).
        private double _sum, _compensation;
        // Where a stretched history's LRs are computed (none for a history with its array).
        private readonly double[] _scratch = history.ChunkScratch();

        public double[] Values { get; } = new double[law.FeatureCount];

        public double[] Slope { get; } = new double[withSlope ? law.Lags.Count : 0];

        /// <summary>S1 at the last step advanced to (with sumS1 only): equal to <see cref="ScheduleHistory.S1"/> there, bit for bit.</summary>
        public double S1 => _sum + _compensation;

        public void AdvanceTo(int step)
        {
            // The LRs in the history's own array, or a stretched history's computed a chunk at a time (ScheduleHistory.Etas).
            foreach (var (_, etas) in history.Chunks(_t + 1, step, _scratch)) Walk(etas);
            _t = Math.Max(_t, step);
        }

        // The recursion over the next steps, whose LRs are etas.
        private void Walk(ReadOnlySpan<double> etas)
        {
            int m = _lags.Length;
            var lagsOn = _lagsOn;
            var barriersOn = _barriersOn;
            var values = Values;
            var slope = Slope;
            var lags = _lags;
            var table = _table;
            ReadOnlySpan<double> decays = _decays;
            if (table is not null && _row >= 0) decays = table.AsSpan(_row * (m + 1), m);
            foreach (double eta in etas)
            {
                if (sumS1) ScheduleMath.NeumaierAdd(ref _sum, ref _compensation, eta);
                if (eta != _previousEta)
                {
                    _level = eta <= 0 ? 0 : ReferenceLr * Math.Pow(eta / ReferenceLr, power);
                    if (table is null)
                    {
                        if (withSlope) _levelSlope = eta <= 0 ? 0 : _level * Math.Log(eta / ReferenceLr);
                        foreach (int a in lagsOn) _decays[a] = Math.Exp(-eta / lags[a]);
                    }
                    else
                    {
                        _row++;
                        if (withSlope) _levelSlope = eta <= 0 ? 0 : _level * table[_row * (m + 1) + m];
                        decays = table.AsSpan(_row * (m + 1), m);
                    }
                    _previousEta = eta;
                }
                double level = _level;
                foreach (int a in lagsOn)
                {
                    double d = decays[a];
                    values[a] = d * values[a] + (1 - d) * level;
                }
                if (withSlope)
                {
                    double levelSlope = _levelSlope;
                    foreach (int a in lagsOn)
                    {
                        double d = decays[a];
                        slope[a] = d * slope[a] + (1 - d) * levelSlope;
                    }
                }
                if (eta > 0)
                    foreach (int b in barriersOn) values[m + b] += eta * Math.Exp(-_barriers[b] / eta);
            }
        }
    }

    /// <summary>Switch for tests: false walks every history without its table (the direct path the table must equal bit for bit).</summary>
    internal bool UseWalkTables { get; init; } = true;

    /// <summary>The walks a history has before its table is built: a fit walks each of its curves' histories at every evaluation.</summary>
    internal const int WalksBeforeTable = 2;

    /// <summary>The most bytes the walk tables of all OptLaws may hold together (beyond it, histories are walked without one).</summary>
    internal const long MaxWalkTableBytes = 256L << 20;

    /// <summary>This law's limit on the bytes of all walk tables together (tests: 0 refuses every table); <see cref="MaxWalkTableBytes"/>.</summary>
    internal long WalkTableByteLimit { get; init; } = MaxWalkTableBytes;

    // The tables: one per admitted original history (ScheduleHistory.Original: a history and its copies have the same LRs), and one
    // for all admitted histories of the same LRs (the planner's fits each make their curves' histories afresh from the same runs:
    // FitTarget.Of), found by a hash of the LRs and kept in _byLrs while some fit holds one of them; a finished table is read-only
    // and serves every OptLaw with the same lags. Both maps change under _reservationsGate.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ScheduleHistory, WalkTable> _walkTables = new();
    private static readonly Dictionary<int, List<WalkTable>> _byLrs = [];

    // The accounting of the tables' bytes, without finalizers: each built table is reserved here before its array is allocated,
    // and given back when the last fit of its histories ends (FitHistories.Released; LawFitter.Fit releases what it admits in a
    // finally). Until then _byLrs holds the table (and the table its first history), so a reservation is never of a collected table.
    private static readonly Lock _reservationsGate = new();
    private static readonly List<(WalkTable Table, long Bytes)> _reservations = [];
    private static long _walkTableBytes;

    private static bool _listening; // ReleaseWalkTable added to FitHistories.Released (once, before the first table)

    /// <summary>
    /// The table of <paramref name="history"/>'s walk (<see cref="WalkTable"/>), or null: for a history no fit running now has among its
    /// curves (<see cref="FitHistories"/>: a plan's candidate schedules get none), before the <see cref="WalksBeforeTable"/> + 1-th walk
    /// of its LRs, with <see cref="UseWalkTables"/> off, for lags other than those the table was built for, or while it would take all
    /// tables past <see cref="WalkTableByteLimit"/> (tried again at the next walk).
    /// </summary>
    private double[]? WalkTableOf(ScheduleHistory history) => UseWalkTables && TableOf(history) is { } table ? table.Rows(this, history) : null;

    /// <summary>Probe for tests: whether <paramref name="history"/> (or its original) has a table this law's walk reads.</summary>
    internal bool HasWalkTable(ScheduleHistory history) => _walkTables.TryGetValue(history.Original, out var table) && table.Serves(this);

    /// <summary>The bytes all walk tables hold now (tests).</summary>
    internal static long WalkTableBytes { get { lock (_reservationsGate) return _walkTableBytes; } }

    /// <summary>
    /// The table entry of an admitted history: its original's, or the one of an admitted history of the same LRs (a hash of the LRs,
    /// then every LR compared), or a new one; null for a history not admitted. The LRs are hashed and compared once per original history
    /// and fit (O(S), against the walks' O(S x lags) at each of the fit's evaluations).
    /// </summary>
    private static WalkTable? TableOf(ScheduleHistory history)
    {
        var original = history.Original;
        if (_walkTables.TryGetValue(original, out var known)) return known;
        if (!FitHistories.IsAdmitted(original)) return null;
        int hash = HashOfLrs(original);
        lock (_reservationsGate)
        {
            if (_walkTables.TryGetValue(original, out known)) return known;
            if (!_listening)
            {
                FitHistories.Released += ReleaseWalkTable;
                _listening = true;
            }
            // Checked again after listening: a release raises after its count reaches 0, so one that ended the history's last fit
            // before this check is seen here, and one after it removes the entry made below (its handler waits for this lock).
            if (!FitHistories.IsAdmitted(original)) return null;
            if (!_byLrs.TryGetValue(hash, out var same)) _byLrs[hash] = same = [];
            var table = same.FirstOrDefault(t => SameLrs(t.Representative, original));
            if (table is null) same.Add(table = new WalkTable(original, hash));
            table.Holders++;
            _walkTables.Add(original, table);
            return table;
        }
    }

    /// <summary>
    /// At the end of the last fit of <paramref name="original"/> (<see cref="FitHistories.Released"/>): it lets go of its table, and
    /// a table no admitted history holds gives its rows and bytes back; a history walked again in a later fit gets a new table after
    /// <see cref="WalksBeforeTable"/> more walks (the same values, so the same predictions).
    /// </summary>
    private static void ReleaseWalkTable(ScheduleHistory original)
    {
        WalkTable? released = null;
        lock (_reservationsGate)
        {
            if (!_walkTables.TryGetValue(original, out var table)) return;
            _walkTables.Remove(original);
            if (--table.Holders > 0) return;
            if (_byLrs.TryGetValue(table.Hash, out var same))
            {
                same.Remove(table);
                if (same.Count == 0) _byLrs.Remove(table.Hash);
            }
            released = table;
        }
        released.Release();
    }

    // A hash of the history's LRs (their bits, in step order), read as the walk reads them.
    private static int HashOfLrs(ScheduleHistory history)
    {
        var hash = new HashCode();
        hash.Add(history.Steps);
        foreach (var (_, etas) in history.Chunks(1, history.Steps, history.ChunkScratch()))
            foreach (double eta in etas) hash.Add(BitConverter.DoubleToInt64Bits(eta));
        return hash.ToHashCode();
    }

    // Whether two histories have the same LRs at every step (the same bits: the same decays and logs in a table).
    private static bool SameLrs(ScheduleHistory a, ScheduleHistory b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.Steps != b.Steps) return false;
        double[] scratchA = a.ChunkScratch(), scratchB = b.ChunkScratch();
        for (int from = 1; from <= a.Steps;)
        {
            var x = a.Etas(from, a.Steps, scratchA);
            var y = b.Etas(from, from + x.Length - 1, scratchB);
            for (int i = 0; i < y.Length; i++)
                if (BitConverter.DoubleToInt64Bits(x[i]) != BitConverter.DoubleToInt64Bits(y[i])) return false;
            from += y.Length;
        }
        return true;
    }

    private static bool Reserve(WalkTable table, long bytes, long limit)
    {
        lock (_reservationsGate)
        {
            if (_walkTableBytes + bytes > limit) return false;
            _walkTableBytes += bytes;
            _reservations.Add((table, bytes));
            return true;
        }
    }

    private static void Unreserve(WalkTable table)
    {
        lock (_reservationsGate)
        {
            int i = _reservations.FindIndex(r => ReferenceEquals(r.Table, table));
            if (i < 0) return;
            _walkTableBytes -= _reservations[i].Bytes;
            _reservations.RemoveAt(i);
        }
    }

    /// <summary>
    /// The parameter-free part of OptLaw's walk over one history (issue 12: a fit across sizes walks every curve's history at each of
    /// its Levenberg-Marquardt evaluations, and at 143,000 steps of a cosine the decays' exp was about half of a plan's CPU). One row per
    /// stretch of equal LR in step order (the walk's own rule: a new row where eta differs from the previous step's, from step 1): the
    /// decays exp(-eta / tau_m) for every lag, then ln(eta / eta_r) (used only where eta &gt; 0). The walk reads them instead of computing
    /// them; the values are the same doubles (the same functions of the same arguments), so the features are the same bit for bit.
    /// Built on the <see cref="WalksBeforeTable"/> + 1-th walk (by any OptLaw, on any admitted history of its LRs or a copy: <see cref="FitHistories"/>,
    /// a fit's curves), so LRs walked once or twice, or not a fit's (a plan's candidate schedule), cost nothing; one table serves every
    /// history of the same LRs that a fit running now holds (the planner's fits of the same runs, each on histories of its own); memory
    /// (stretches x (lags + 1) doubles: 13.7 MB for a 143,000-step cosine) is reserved against <see cref="WalkTableByteLimit"/> before it
    /// is allocated and given back when the last fit of those histories ends.
    /// No finalizer.
    /// </summary>
    private sealed class WalkTable(ScheduleHistory representative, int hash)
    {
        private readonly Lock _gate = new();
        private int _walks;

        /// <summary>The admitted original histories this table serves (under the reservations' lock).</summary>
        public int Holders { get; set; }

        /// <summary>The first of them (its LRs are the table's), and the hash of its LRs.</summary>
        public ScheduleHistory Representative { get; } = representative;

        public int Hash { get; } = hash;

        private double[]? _rows;
        private double[]? _lags;       // the lags the rows were built for (another law's walk reads them only for the same lags)
        private long _bytes = -1;      // the table's size (-1: not counted yet)
        private bool _released;

        public bool Serves(OptLaw law) => Volatile.Read(ref _rows) is not null && SameLags(law);

        // Whether law's lags are those the rows were built for (each lag's decays are exp(-eta / tau_m) of its own tau_m).
        private bool SameLags(OptLaw law)
        {
            var lags = Volatile.Read(ref _lags);
            if (lags is null || lags.Length != law.Lags.Count) return false;
            for (int a = 0; a < lags.Length; a++)
                if (lags[a] != law.Lags[a]) return false;
            return true;
        }

        public double[]? Rows(OptLaw law, ScheduleHistory history)
        {
            if (Volatile.Read(ref _rows) is { } rows) return SameLags(law) ? rows : null;
            if (Interlocked.Increment(ref _walks) <= WalksBeforeTable) return null;
            lock (_gate)
            {
                if (_rows is not null) return SameLags(law) ? _rows : null;
                if (_released) return null;
                int m = law.Lags.Count;
                // The LRs read as the walk reads them (a stretched history's computed a chunk at a time, ScheduleHistory.Etas).
                double[] scratch = history.ChunkScratch();
                if (_bytes < 0)
                {
                    int stretches = 0;
                    double previous = double.NaN;
                    foreach (var (_, etas) in history.Chunks(1, history.Steps, scratch))
                        foreach (double eta in etas)
                            if (eta != previous) { stretches++; previous = eta; }
                    _bytes = stretches > int.MaxValue / (m + 1) ? long.MaxValue : (long)stretches * (m + 1) * sizeof(double);
                }
                // A refused table is tried again at the next walk (space may have been given back meanwhile).
                if (_bytes == long.MaxValue || !Reserve(this, _bytes, law.WalkTableByteLimit)) return null;
                double[] table;
                try
                {
                    table = new double[_bytes / sizeof(double)];
                }
                catch (OutOfMemoryException)
                {
                    Unreserve(this);
                    throw;
                }
                var lags = law.Lags.ToArray();
                int row = -1;
                double last = double.NaN;
                foreach (var (_, etas) in history.Chunks(1, history.Steps, scratch))
                    foreach (double eta in etas)
                    {
                        if (eta == last) continue;
                        row++;
                        for (int a = 0; a < m; a++) table[row * (m + 1) + a] = Math.Exp(-eta / lags[a]);
                        table[row * (m + 1) + m] = eta > 0 ? Math.Log(eta / ReferenceLr) : 0;
                        last = eta;
                    }
                Volatile.Write(ref _lags, lags);
                Volatile.Write(ref _rows, table);
                return table;
            }
        }

        /// <summary>Drops the rows (walks that hold them finish on them) and gives their bytes back; the table is built no more.</summary>
        public void Release()
        {
            lock (_gate)
            {
                _released = true;
                if (_rows is null) return;
                Volatile.Write(ref _rows, null);
                Unreserve(this);
            }
        }
    }

    /// <summary>
    /// Predictions and d/d parameter (row-major): 1, c, -A c ln(S1 + s_w), -alpha A c / (S1 + s_w),
    /// sum_m w_m dN_m/dp, then each feature, with c = (S1 + s_w)^-alpha.
    /// </summary>
    public void PredictWithGradient(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient)
    {
        LawArguments.Check(this, p, history, steps, output);
        int n = _names.Length;
        if (gradient.Length < steps.Length * n) throw new ArgumentException("The gradient is shorter than steps x parameters.");
        var dp = new double[steps.Length, Lags.Count];
        var f = FeatureMatrix(history, steps, p[Power], dp);
        for (int i = 0; i < steps.Length; i++)
        {
            double x = history.S1(steps[i]) + p[Sw], c = Math.Pow(x, -p[Alpha]);
            double y = p[L0] + p[A] * c, dPower = 0;
            var g = gradient.Slice(i * n, n);
            for (int k = 0; k < FeatureCount; k++)
            {
                y += p[FirstWeight + k] * f[i, k];
                g[FirstWeight + k] = f[i, k];
                if (k < Lags.Count) dPower += p[FirstWeight + k] * dp[i, k];
            }
            output[i] = y;
            g[L0] = 1;
            g[A] = c;
            g[Alpha] = -p[A] * c * Math.Log(x);
            g[Sw] = -p[Alpha] * p[A] * c / x;
            g[Power] = dPower;
        }
    }

    /// <summary>One starting point: this law's own fit (for fitters that refine it, e.g. across sizes).</summary>
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets) => [Fit(targets, new FitOptions()).Parameters];

    /// <summary>
    /// Variable projection: a Nelder-Mead search over (ln alpha, ln s_w, ln p) of the mean Huber loss (<see cref="FitOptions.HuberDelta"/>)
    /// of relative residuals at its exact minimum over the linear weights (A, w &gt;= 0, u &lt;= 0; L0 free; Newton's method on the
    /// piecewise quadratic, each step NNLS). Many curves (at least <see cref="FitOptions.SubsetMinCurves"/> and
    /// <see cref="FitOptions.SubsetMinPoints"/> points): the search runs on <see cref="FitOptions.CurveSubset"/> of them
    /// (<see cref="FitOptions.DeclaredCurveSubset"/> when null; 0: off), then one Nelder-Mead search on every curve from the best,
    /// on every curve, of its ends and the given starting points (<see cref="FitOptions.Starts"/>). Long curves, with
    /// <see cref="FitOptions.CoarsePoints"/> set (off by default), at least <see cref="FitOptions.CoarseMinPoints"/> rows and
    /// k = ceil(the longest curve's points / CoarsePoints) &gt;= 2: all of that first on every k-th point, then one Nelder-Mead
    /// search on every point.
    /// </summary>
    /// <inheritdoc/>
    public LawFit Fit(IReadOnlyList<FitTarget> targets, FitOptions options) => Fit(targets, options, FitOptions.SubsetMinCurves, FitOptions.SubsetMinPoints);

    /// <summary>
    /// <see cref="Fit(IReadOnlyList{FitTarget}, FitOptions)"/> with the thresholds of the search on a subset of the curves given
    /// (tests: the two-stage path on a small case), and the fewest rows of the coarse first stage (<see cref="FitOptions.CoarseMinPoints"/>).
    /// </summary>
    internal LawFit Fit(IReadOnlyList<FitTarget> targets, FitOptions options, int subsetMinCurves, int subsetMinPoints, int coarseMinPoints = FitOptions.CoarseMinPoints)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0) throw new ArgumentException("Nothing to fit: no curves.");
        // Every curve's noise blocks: one O(S x lags) pass each (in parallel; each writes its own slot), shared by both stages below.
        var blocks = new OptLawNoiseBlocks[targets.Count];
        Parallel.For(0, targets.Count, i => blocks[i] = new OptLawNoiseBlocks(Lags, Barriers, targets[i].History, targets[i].Steps));
        var problem = new Projection(this, targets, blocks, options.HuberDelta);
        // Given starting points (e.g. a bootstrap refit warm-started from the full fit), as (ln alpha, ln s_w, ln p).
        var given = new List<double[]>();
        foreach (var start in options.Starts)
        {
            if (start.Length != _names.Length) throw new ArgumentException($"A starting point has {start.Length} values; {Name} has {_names.Length} parameters.");
            if (start[Alpha] > 0 && start[Sw] > 0 && start[Power] > 0) given.Add(SearchPoint(start));
        }
        double[] steps = [0.3, 0.7, 0.2];
        // The second stage of both two-stage paths below: the candidates scored on every curve and point (the first of equal scores
        // wins), then one Nelder-Mead search on all of them from the best, with the same initial simplex, tolerance and budget.
        NelderMead.Result OnAll(IEnumerable<double[]> candidates) =>
            NelderMead.Minimize(problem.Objective, candidates.Select(z => (X: z, Value: problem.Objective(z))).MinBy(e => e.Value).X, steps, 1e-8, 500);
        // Long curves (FitOptions.CoarsePoints: an option for OptLaw, off by default; docs/VALIDATION.md, "OptLaw on long curves and
        // the contour at 2.3M steps": its declared rule failed on alpha, a flat ridge in (A, alpha, s_w)): each evaluation solves the relative-Huber weights over every observed row (three PolyPythias
        // curves: 429,000 rows; the search's ~450 evaluations took minutes). The whole procedure below first runs on every curve
        // thinned to every k-th point counted back from its last (LawFitter.Thinned, k = ceil(the longest curve's points /
        // CoarsePoints), the rule of MPL's coarse stage); then one Nelder-Mead search on every point, with the same initial simplex,
        // tolerance and budget, starts from the better, scored on every point, of that fit's optimum and the given starts. The
        // objective is the one on every point; only the path to its minimum changes. Below the thresholds (k = 1, or fewer than
        // CoarseMinPoints rows) nothing of this runs: the fit is the one of before, bit for bit.
        int every = options.CoarseEvery(targets, this);
        if (every >= 2 && problem.Rows >= coarseMinPoints)
        {
            var first = Fit(LawFitter.Thinned(targets, every), options with { CoarsePoints = 0 }, subsetMinCurves, subsetMinPoints);
            if (first.HasFiniteParameters && first.Parameters[Alpha] > 0 && first.Parameters[Sw] > 0 && first.Parameters[Power] > 0)
            {
                var all = OnAll(given.Prepend(SearchPoint(first.Parameters)));
                if (double.IsFinite(all.Value))
                    return new LawFit(this, problem.Parameters(all.X), all.Value, 0, problem.Evaluations + first.Evaluations, true,
                        first.StopReason + $"; first on every {every}th point, then on all");
            }
        }
        // Many curves (issue 12; docs/VALIDATION.md, "OptLaw: the search on a few curves, then on all"): the seeds' grid and their
        // Nelder-Mead searches, about 450 evaluations of which each costs O(rows + blocks x lags), run on a few of the curves (the
        // fixed pseudo-random choice of LawFitter.SubsetIndices, their blocks shared); then the ends and the given starts are scored
        // on every curve and one Nelder-Mead search on every curve, with the same initial simplex and stopping rule, goes on from
        // the best. The objective is unchanged; only the path to its minimum is, so the end can differ within the search's tolerance.
        int subset = options.EffectiveCurveSubset(this);
        var search = problem;
        if (FitOptions.SubsetApplies(subset, targets.Count, problem.Rows, subsetMinCurves, subsetMinPoints))
        {
            var few = LawFitter.SubsetIndices(targets.Count, subset);
            search = new Projection(this, [.. few.Select(i => targets[i])], [.. few.Select(i => blocks[i])], options.HuberDelta);
        }
        // Given starting points (e.g. a bootstrap refit warm-started from the full fit) seed the search
        // directly; otherwise a coarse grid over (ln alpha, ln s_w) at p = 1 picks two seeds.
        var seeds = given.ToList();
        if (options.UseLawStartingPoints || seeds.Count == 0)
        {
            double s1Max = targets.Max(t => t.History.S1(t.Steps[^1]));
            var grid = new List<(double[] Z, double Value)>();
            foreach (double alpha in new[] { 0.15, 0.3, 0.5, 0.8, 1.2 })
                foreach (double sw in new[] { 1e-3, 1e-2, 0.1, 1.0 })
                {
                    double[] z = [Math.Log(alpha), Math.Log(sw * Math.Max(s1Max, 1e-12)), 0];
                    grid.Add((z, search.Objective(z)));
                }
            seeds.AddRange(grid.OrderBy(g => g.Value).Take(2).Select(g => g.Z));
        }
        // Nelder-Mead in (ln alpha, ln s_w, ln p) from each seed; the best end wins.
        var ends = new List<NelderMead.Result>();
        foreach (var z in seeds) ends.Add(NelderMead.Minimize(search.Objective, z, steps, 1e-8, 500));
        NelderMead.Result? best = ends.Count == 0 ? null : ends.MinBy(r => r.Value);
        string how = "variable projection: Nelder-Mead on (alpha, s_w, p), NNLS weights";
        if (search != problem)
        {
            // The search on every curve starts from the best, scored on every curve, of the subset search's ends and the given
            // starting points (a warm start, e.g. a bootstrap refit from the full fit, is not lost to the few curves' optimum).
            best = OnAll(ends.Select(r => r.X).Concat(given));
            how += $"; searched on {subset} of the {targets.Count} curves first";
        }
        int evaluations = problem.Evaluations + (search != problem ? search.Evaluations : 0);
        if (best is null || !double.IsFinite(best.Value))
            return new LawFit(this, new double[_names.Length], double.PositiveInfinity, 0, evaluations, false, "no finite fit");
        return new LawFit(this, problem.Parameters(best.X), best.Value, 0, evaluations, true, how);
    }

    /// <summary>The point (ln alpha, ln s_w, ln p) of the search for parameters <paramref name="p"/> (alpha, s_w and p positive).</summary>
    private static double[] SearchPoint(double[] p) => [Math.Log(p[Alpha]), Math.Log(p[Sw]), Math.Log(p[Power])];

    /// <summary>
    /// Variable projection: for given (ln alpha, ln s_w, ln p), the best linear weights and the robust objective (the mean
    /// Huber loss of relative residuals, as LawFitter's), minimised exactly over the weights by
    /// <see cref="RelativeHuberRegression"/> (Newton on the piecewise quadratic; the same minimum as reweighting to
    /// convergence). Each solve starts from the previous one's weights, so the split into inliers and outliers usually
    /// settles in one or two Newton steps.
    /// </summary>
    private sealed class Projection
    {
        private readonly OptLaw _law;
        private readonly int _rows;
        private readonly double[] _s1;
        private readonly int[] _offsets;
        private readonly OptLawNoiseBlocks[] _blocks;
        // The design by columns: 1, (S1 + s_w)^-alpha, then the features (escape columns negated, so every
        // weight but L0 is >= 0). The features depend on p only: refilled when p changes.
        private readonly double[][] _design;
        private readonly double[][] _noiseColumns;   // the design's noise and escape columns
        private readonly RelativeHuberRegression _regression;
        private double _designPower = double.NaN;
        private double[]? _previous;

        public Projection(OptLaw law, IReadOnlyList<FitTarget> targets, OptLawNoiseBlocks[] blocks, double delta)
        {
            _law = law;
            _rows = targets.Sum(t => t.Steps.Length);
            int columns = 2 + law.FeatureCount;
            _offsets = new int[targets.Count];
            for (int i = 1; i < targets.Count; i++) _offsets[i] = _offsets[i - 1] + targets[i - 1].Steps.Length;
            _s1 = new double[_rows];
            var y = new double[_rows];
            for (int ti = 0; ti < targets.Count; ti++)
                for (int i = 0; i < targets[ti].Steps.Length; i++)
                {
                    _s1[_offsets[ti] + i] = targets[ti].History.S1(targets[ti].Steps[i]);
                    y[_offsets[ti] + i] = targets[ti].Loss[i];
                }
            _design = [.. Enumerable.Range(0, columns).Select(_ => new double[_rows])];
            _design[0].AsSpan().Fill(1);
            _noiseColumns = _design[2..];
            // L0 is free unless the law's box holds it at >= 0 (Bounds): then it is one more sign constraint of the weights' NNLS.
            _regression = new RelativeHuberRegression(_design, y, [law.FloorAtLeastZero, .. Enumerable.Repeat(true, columns - 1)], delta);
            // Each curve's blocks were built by one O(S x lags) pass; every p after it costs O(blocks x lags).
            _blocks = blocks;
            for (int i = 0; i < targets.Count; i++) _blocks[i].FillEscape(_noiseColumns, _offsets[i], -1);
        }

        public int Evaluations { get; private set; }

        /// <summary>Observed points, all curves together.</summary>
        public int Rows => _rows;

        public double Objective(double[] z) => Solve(z).Objective;

        public double[] Parameters(double[] z) => Solve(z).Parameters;

        private void FillDesign(double power)
        {
            if (power == _designPower) return;
            Parallel.For(0, _blocks.Length, i => _blocks[i].FillNoise(power, _noiseColumns, _offsets[i]));
            _designPower = power;
        }

        private (double Objective, double[] Parameters) Solve(double[] z)
        {
            Evaluations++;
            double alpha = Math.Exp(z[0]), sw = Math.Exp(z[1]), power = Math.Exp(z[2]);
            if (!(alpha is > 1e-4 and < 20) || !(sw is > 0 and < 1e12) || !(power is > 0.05 and < OptLawNoiseBlocks.MaxPower)) return (double.PositiveInfinity, []);
            FillDesign(power);
            var convergence = _design[1];
            for (int i = 0; i < _rows; i++) convergence[i] = Math.Pow(_s1[i] + sw, -alpha);
            var (objective, x) = _regression.Solve(_previous);
            if (!double.IsFinite(objective)) return (double.PositiveInfinity, []);
            _previous = x;
            var p = new double[_law._names.Length];
            p[L0] = x[0];
            p[A] = x[1];
            p[Alpha] = alpha;
            p[Sw] = sw;
            p[Power] = power;
            for (int k = 0; k < _law.FeatureCount; k++) p[FirstWeight + k] = (k < _law.Lags.Count ? 1 : -1) * x[2 + k];
            return (objective, p);
        }
    }
}
