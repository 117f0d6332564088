
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
/// drops Delta eta_k = eta_{k-1} - eta_k share one sign, x_k = e_k (S1(t) - S1(k-1)) with e_k = eta_k^(-gamma)
/// lies in [x_min, x_max] (width w = x_max - x_min). The Delta-weighted mean x_bar = (S1(t) M1 - M2) / M0
/// and spread V = sum Delta (x_k - x_bar)^2 = S1(t)^2 P0 - 2 S1(t) P1 + P2 - M0 x_bar^2 are exact from the
/// node's moments M0 = sum Delta, M1 = sum Delta e, M2 = sum Delta e S1(k-1), P0 = sum Delta e^2,
/// P1 = sum Delta e^2 S1(k-1), P2 = sum Delta e^2 S1(k-1)^2. Taylor's theorem around x_bar (the
/// first-order terms cancel) gives two approximations of sum Delta_k G(x_k):
/// (1) M0 G(x_bar), with error at most 1/2 max|G''| sum|Delta| w^2 and, G being increasing, at most
/// sum|Delta| (G(x_max) - G(x_min));
/// (2) M0 G(x_bar) + 1/2 G''(x_bar) V, with error at most 1/6 max|G'''| sum|Delta| w^3.
/// |G''| = beta (beta + 1) C^2 (C x + 1)^(-beta-2) and |G'''| = (beta + 2) C |G''| / (C x + 1) are largest
/// at x_min. With <see cref="SpreadBounds"/> (an option, off by default) the node's spread replaces its width: the squared deviations
/// sum|Delta| (x_k - x_bar)^2 = |V| (at most sum|Delta| w^2 / 4, Popoviciu) bound (1) by 1/2 max|G''| |V| and, with
/// sum|Delta| |x_k - x_bar|^3 &lt;= D |V| (D the largest |x_k - x_bar|), (2) by 1/6 max|G'''| D |V|, each plus the rounding
/// allowances of x_bar and V (docs/VALIDATION.md, "MPL: the walk's node test bounded by the node's spread"); for x_k spread
/// evenly 12x and 24x below the width's bounds, so wider nodes pass.
/// The approximation with the smaller bound is used, and a node is accepted when B times that
/// bound is at most eps sum|Delta|_node / sum|Delta|_all, so the total error of B LD(t) is at most eps
/// (<see cref="Tolerance"/>, in loss units; floating-point rounding aside). Other nodes are split;
/// leaves (8 steps) are summed exactly. Accepted nodes grow with their distance from t, so a point
/// costs about O(log S) nodes plus the exact leaves next to t; the moments cost one O(S) pass per gamma.
/// Most node tests are decided without tail_min's pow (<see cref="MplTailBounds.Decide"/>: bounds on tail_min from its binary
/// exponent, a per-beta table and the convexity of m^-beta), only where the full test certainly decides the same, so the
/// values and derivatives are those of the full test bit for bit.
/// <para>
/// <see cref="PredictWithGradient"/> returns the exact derivatives of what <see cref="Predict"/> computes
/// (exact terms and node approximations, with the same choice of nodes). The error bound is a statement
/// about values only: the derivatives are those of the approximation, not bounded against the exact sum's.
/// </para>
/// </remarks>
public sealed class MultiPowerLaw : ISeparableLaw, IExplainableLaw, IFusedGradientLaw, IBoundedLaw, IProgressLaw
{
    /// <summary>
    /// Indices into the parameter vector p: L0, the loss the run converges to at infinite intrinsic time; A and Alpha, the
    /// convergence term A (S1 + S_W)^(-alpha); B, the loss drop's amplitude; C, beta and gamma, the drop's saturation
    /// G(x) = 1 - (C x + 1)^(-beta) at x = eta_k^(-gamma) S_k(t) (Luo et al. 2025).
    /// </summary>
    public const int L0 = 0, A = 1, Alpha = 2, B = 3, C = 4, Beta = 5, Gamma = 6;

    private static readonly string[] Names = ["L0", "A", "alpha", "B", "C", "beta", "gamma"];

    /// <param name="tolerance">Bound on the absolute error of LD(t) in loss units; 0 sums exactly.</param>
    public MultiPowerLaw(double tolerance = 1e-5)
    {
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance));
        Tolerance = tolerance;
    }

    /// <inheritdoc/>
    public string Name => Label ?? (Bounds is null ? "mpl" : "mpl-box");

    /// <summary>The law's name when set (a variant of <see cref="LawCatalog"/>, e.g. "mpl-pub"); null (the default): "mpl", or "mpl-box" with a box.</summary>
    public string? Label { get; init; }

    /// <summary>
    /// A box the fit keeps the parameters inside (<see cref="LawFitter"/>; e.g. <see cref="MplShapeBox.Create"/>); null (the
    /// default): none, the fit as before. It changes only the fit, not the law's values; with a box the law is named "mpl-box" (unless
    /// <see cref="Label"/> names it).
    /// </summary>
    public ParameterBounds? Bounds
    {
        get;
        init
        {
            if (value is not null && value.Count != Names.Length) throw new ArgumentException($"The bounds cover {value.Count} parameters; MPL has {Names.Length}.");
            field = value;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> ParameterNames => Names;

    /// <summary>eps, the bound on the absolute error of B LD(t) in loss units (0: summed exactly); see the remarks.</summary>
    public double Tolerance { get; }

    /// <summary>Every parameter but L0 is positive (searched as a logarithm).</summary>
    public IReadOnlyList<bool> Positive { get; } = [false, true, true, true, true, true, true];

    /// <summary>Starts around the published fits, with L0 placed below the smallest observed loss.</summary>
    /// <remarks>
    /// With <see cref="Bounds"/> that move a start's beta (e.g. "mpl-log", beta held at 1e-6), B is scaled by old beta / new beta,
    /// so the start's drop for small C x, B beta C x, is the one of the start before the box (the fitter then projects the start
    /// onto the box as before); no start of the default law or of "mpl-box" moves.
    /// </remarks>
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets)
    {
        double min = targets.Min(t => t.Loss.Min());
        double[][] starts =
        [
            [min - 0.3, 0.5, 0.5, 400, 2.0, 0.6, 0.6],
            [min - 0.6, 0.8, 0.4, 300, 1.0, 0.5, 0.5],
            [min - 0.15, 0.3, 0.6, 600, 3.0, 0.7, 0.7],
        ];
        if (Bounds is { } box)
            foreach (var s in starts)
            {
                double beta = Math.Clamp(s[Beta], box.Lower[Beta], box.Upper[Beta]);
                if (beta != s[Beta]) (s[B], s[Beta]) = (s[B] * s[Beta] / beta, beta);
            }
        return starts;
    }

    /// <summary>Published fits (peak 3e-4, warmup 2160) for the 25M, 100M and 400M models.</summary>
    public static IReadOnlyDictionary<string, double[]> Published { get; } = new Dictionary<string, double[]>
    {
        ["25M"] = [3.0405, 0.5247, 0.5079, 363.79, 2.0656, 0.5828, 0.6414],
        ["100M"] = [2.6514, 0.6012, 0.4530, 437.95, 2.1325, 0.5979, 0.6552],
        ["400M"] = [2.3747, 0.6542, 0.4288, 523.42, 2.0246, 0.5935, 0.6347],
    };

    /// <summary>L0, the convergence term A (S1 + S_W)^-alpha and the loss drop -LD (the prediction minus the first two).</summary>
    public IReadOnlyList<LawTerm> Explain(ReadOnlySpan<double> p, ScheduleHistory history, int step)
    {
        var y = new double[1];
        Predict(p, history, [step], y);
        double conv = Math.Pow(history.S1(step), -p[Alpha]);
        return
        [
            new("L0", "L0", 1, p[L0]),
            new("convergence", $"A S1^-alpha, S1 = {history.S1(step).ToString("G4", System.Globalization.CultureInfo.InvariantCulture)} (warmup included)", conv, p[A] * conv),
            new("loss drop", "-B sum_k (eta_{k-1} - eta_k) G(eta_k^-gamma S_k(t))", 1, y[0] - p[L0] - p[A] * conv),
        ];
    }

    /// <summary>The progress part L0 + A S1(t)^-alpha (S1 with the warmup); the rest of L(t) is the loss drop -LD(t).</summary>
    public double Progress(ReadOnlySpan<double> p, ScheduleHistory history, int step) => p[L0] + p[A] * Math.Pow(history.S1(step), -p[Alpha]);

    /// <summary>L(t) at each of <paramref name="steps"/>, LD(t) within <see cref="Tolerance"/> (the segment tree of the remarks).</summary>
    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
    {
        LawArguments.Check(this, p, history, steps, output);
        Evaluate(p, history, steps, output, default, gradient: false);
    }

    /// <summary>Predictions and their derivatives with respect to the 7 parameters (row-major, 7 per step).</summary>
    public void PredictWithGradient(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient)
    {
        LawArguments.Check(this, p, history, steps, output);
        if (gradient.Length < steps.Length * Names.Length) throw new ArgumentException("The gradient is shorter than steps x parameters.");
        Evaluate(p, history, steps, output, gradient, gradient: true);
    }

    /// <summary>
    /// <see cref="Predict"/>'s values into <paramref name="values"/> and <see cref="PredictWithGradient"/>'s values and derivatives into
    /// <paramref name="gradientValues"/> and <paramref name="gradient"/>, bit for bit, from one walk of the tree (the walk and its
    /// choice of nodes do not depend on the mode; the two values differ only in the exact leaf terms, 1 - (C x + 1)^-beta by pow
    /// for Predict and by exp(-beta ln q) for the gradient's value, and both are summed in the same order as there).
    /// </summary>
    void IFusedGradientLaw.PredictFused(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> values, Span<double> gradientValues, Span<double> gradient)
    {
        LawArguments.Check(this, p, history, steps, values);
        LawArguments.Check(this, p, history, steps, gradientValues);
        if (gradient.Length < steps.Length * Names.Length) throw new ArgumentException("The gradient is shorter than steps x parameters.");
        Evaluate(p, history, steps, gradientValues, gradient, gradient: true, plain: values);
    }

    private void Evaluate(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> jac, bool gradient, Span<double> plain = default)
    {
        var tree = history.Cache(DropTree.Build);
        // The tree keeps one set of moments (for the last gamma) and refills it in place, so evaluations
        // of one history take turns; different histories evaluate in parallel.
        lock (tree)
            Evaluate(tree, p, history, steps, output, jac, gradient, plain);
    }

    /// <summary>
    /// Points per chunk when one curve's points are evaluated side by side: a curve with at least two chunks of points
    /// (e.g. a 10^6-step log with a point every 100 steps) is split into chunks that run in parallel on the thread pool.
    /// Every point's value and derivatives are computed by the same code from the same read-only moments whichever
    /// thread computes it, so the result is the same bit for bit (tests compare it with <see cref="int.MaxValue"/>, i.e.
    /// in sequence). Curves of fewer points (protocol 1's 30-60, a sweep's 500) stay in one piece: their parallelism is
    /// over curves (LawFitter) and starting points.
    /// </summary>
    internal int PointsPerChunk { get; init; } = 1024;

    /// <summary>
    /// True (the default): the tree walk decides most node tests without tail_min's pow (<c>MplTailBounds.Decide</c>), only where
    /// the full test certainly decides the same, so every value and derivative is the same bit for bit; false: every node by the
    /// full test (for the tests that show the equality).
    /// </summary>
    internal bool QuickNodeTest { get; init; } = true;

    /// <summary>
    /// True: the walk's node test bounds the error of a node's approximation by the node's spread V (its Delta-weighted squared
    /// deviations about x_bar, from the moments) instead of its width (remarks; docs/VALIDATION.md, "MPL: the walk's node test
    /// bounded by the node's spread"): the same approximations within the same tolerance, wider nodes accepted, about a third less
    /// CPU per evaluation. False (the default): the width's bounds, the walk of before bit for bit. Off by default although
    /// protocols 1-3 passed the declared rule: with it the 10^6-step benchmark fit took another Levenberg-Marquardt path that ran
    /// for minutes instead of about 16 s of CPU (that section). <see cref="LossDropOverB"/> (the joint law's clock) always keeps
    /// the width's bounds.
    /// </summary>
    internal bool SpreadBounds { get; init; }

    /// <summary>
    /// Histories of at least this many steps (default 2^17) fill the tree's per-gamma moments side by side over chunks of leaves
    /// (<c>DropTree.MomentsFor</c>); the same values bit for bit as in sequence (<see cref="int.MaxValue"/>: always in sequence,
    /// for the tests that show the equality). Shorter histories fill in sequence: their parallelism is over curves and starts.
    /// </summary>
    internal int ParallelMomentSteps { get; init; } = DropTree.DefaultParallelMomentSteps;

    /// <summary>
    /// Values (and with <paramref name="gradient"/> derivatives) into <paramref name="output"/> and <paramref name="jac"/>; when
    /// <paramref name="plain"/> is not empty (fused, with <paramref name="gradient"/>), also the values <see cref="Predict"/> gives into it.
    /// </summary>
    private void Evaluate(DropTree tree, ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> jac, bool gradient, Span<double> plain)
    {
        bool fused = !plain.IsEmpty;
        if (!double.IsFinite(p[B]))
        {
            // L0 + A S1^-alpha - B LD/B with B infinite or NaN is not finite whatever LD/B is (+-inf, or NaN for LD/B = 0 or
            // NaN), so the tree is not walked: NaN at every step. A fitter's trial point with B = exp(z) overflowed to
            // infinity used to cost a whole evaluation here, up to O(S) per point where the other parameters overflow too
            // (50 s for 2,000 points of a 10^6-step run); the fitter rejects it on the first non-finite value either way.
            output[..steps.Length].Fill(double.NaN);
            if (gradient) jac[..(steps.Length * Names.Length)].Fill(double.NaN);
            if (fused) plain[..steps.Length].Fill(double.NaN);
            return;
        }
        var (moments, bounds, accept) = WalkSetup(tree, history, p[Gamma], p[Beta]);
        int chunk = Math.Max(1, PointsPerChunk);
        if (steps.Length < 2 * (long)chunk)
        {
            EvaluatePoints(tree, moments, bounds, SpreadBounds, accept, p, history, steps, output, jac, gradient, plain);
            return;
        }
        // Side by side over chunks of points; each chunk writes only its own rows (spans cannot enter the lambda, arrays can).
        double[] parameters = p.ToArray();
        int[] at = steps.ToArray();
        var values = new double[at.Length];
        var rows = gradient ? new double[at.Length * Names.Length] : [];
        var plainValues = fused ? new double[at.Length] : [];
        int chunks = (at.Length + chunk - 1) / chunk;
        Parallel.For(0, chunks, c =>
        {
            int from = c * chunk, count = Math.Min(chunk, at.Length - from);
            EvaluatePoints(tree, moments, bounds, SpreadBounds, accept, parameters, history, at.AsSpan(from, count), values.AsSpan(from, count),
                gradient ? rows.AsSpan(from * Names.Length, count * Names.Length) : default, gradient,
                fused ? plainValues.AsSpan(from, count) : default);
        });
        values.CopyTo(output);
        if (gradient) rows.CopyTo(jac);
        if (fused) plainValues.CopyTo(plain);
    }

    private static void EvaluatePoints(DropTree tree, DropTree.Moments moments, MplTailBounds? bounds, bool spreadBounds, double accept, ReadOnlySpan<double> p, ScheduleHistory history,
        ReadOnlySpan<int> steps, Span<double> output, Span<double> jac, bool gradient, Span<double> plain)
    {
        bool fused = !plain.IsEmpty;
        for (int i = 0; i < steps.Length; i++)
        {
            int t = steps[i];
            var d = tree.LossDrop(history, t, p[B], p[C], p[Beta], moments, accept, gradient, fused, bounds, spreadBounds);
            Point(p, history.S1(t), d, i, output, jac, gradient, plain);
        }
    }

    /// <summary>
    /// Point i's value L0 + A S1^-alpha - B LD/B (and with <paramref name="gradient"/> its 7 derivatives, with <paramref name="plain"/> not
    /// empty also the value from <see cref="Drop.PlainValue"/>) from its drop <paramref name="d"/>: the one place these are computed, by
    /// the walk (<see cref="EvaluatePoints"/>) and from a held drop (<see cref="PredictHeld"/>), so both give the same numbers bit for bit.
    /// </summary>
    private static void Point(ReadOnlySpan<double> p, double s1, in Drop d, int i, Span<double> output, Span<double> jac, bool gradient, Span<double> plain)
    {
        double power = Math.Pow(s1, -p[Alpha]);
        output[i] = p[L0] + p[A] * power - p[B] * d.Value;
        if (!plain.IsEmpty) plain[i] = p[L0] + p[A] * power - p[B] * d.PlainValue;
        if (!gradient) return;
        var row = jac.Slice(i * Names.Length, Names.Length);
        row[L0] = 1;
        row[A] = power;
        row[Alpha] = -p[A] * Math.Log(s1) * power;
        row[B] = -d.Value;
        row[C] = -p[B] * d.DC;
        row[Beta] = -p[B] * d.DBeta;
        row[Gamma] = -p[B] * d.DGamma;
    }

    /// <summary>The drop's parameters: LD(t)/B and the walk that sums it depend on these only (B through the walk's tolerance).</summary>
    internal static IReadOnlyList<int> DropParameters { get; } = [B, C, Beta, Gamma];

    /// <summary>
    /// The loss drop of <paramref name="p"/>'s <see cref="DropParameters"/> at <paramref name="steps"/> of <paramref name="history"/>, to be
    /// walked on first use (<see cref="PredictHeld"/>), for a fit that holds those parameters fixed (<see cref="Fitting.PinnedLaw"/> at
    /// MPL's decay prior): L0, A and alpha then cost no walk of the tree (issue 12, helper heldjac).
    /// </summary>
    internal HeldDrop HoldDrop(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps)
    {
        LawArguments.Check(this, p, history, steps, new double[steps.Length]);
        var held = new double[DropParameters.Count];
        for (int j = 0; j < held.Length; j++) held[j] = p[DropParameters[j]];
        return new HeldDrop(this, held, history, steps.ToArray());
    }

    /// <summary>
    /// What <see cref="Predict"/> (<paramref name="gradient"/> false) or <see cref="PredictWithGradient"/> (true) gives at
    /// <paramref name="p"/>, bit for bit, from <paramref name="drop"/> (<see cref="HoldDrop"/> at the same drop parameters,
    /// <see cref="HeldDrop.Holds"/>): the drop is walked once per mode, by the same walk as theirs (<see cref="DropTree.LossDrop"/>
    /// with their arguments), and kept; then only L0 + A S1^-alpha is computed per point (<see cref="Point"/>, their arithmetic).
    /// </summary>
    internal void PredictHeld(ReadOnlySpan<double> p, HeldDrop drop, Span<double> output, Span<double> jac, bool gradient)
    {
        if (!drop.Holds(this, p, drop.History, drop.Steps)) throw new ArgumentException("The held drop was computed for other drop parameters.");
        var steps = drop.Steps;
        if (output.Length < steps.Length || (gradient && jac.Length < steps.Length * Names.Length)) throw new ArgumentException("The output or the gradient is too short.");
        if (!double.IsFinite(p[B]))
        {
            // As Evaluate: NaN at every step, the tree not walked.
            output[..steps.Length].Fill(double.NaN);
            if (gradient) jac[..(steps.Length * Names.Length)].Fill(double.NaN);
            return;
        }
        var drops = drop.Walked(gradient);
        for (int i = 0; i < steps.Length; i++) Point(p, drop.History.S1(steps[i]), drops[i], i, output, jac, gradient, default);
    }

    /// <summary>
    /// What every walk of <paramref name="tree"/> needs at (<paramref name="gamma"/>, <paramref name="beta"/>): the moments, the
    /// quick node test's bounds (null without it) and the acceptance threshold <see cref="Tolerance"/> / total |drop| (0: exact).
    /// The prediction (<see cref="Evaluate(DropTree, ReadOnlySpan{double}, ScheduleHistory, ReadOnlySpan{int}, Span{double}, Span{double}, bool, Span{double})"/>),
    /// the held drop (<see cref="WalkDrop"/>) and <see cref="Basis"/> share it, so their walks agree bit for bit. The caller holds the tree's lock.
    /// </summary>
    private (DropTree.Moments Moments, MplTailBounds? Bounds, double Accept) WalkSetup(DropTree tree, ScheduleHistory history, double gamma, double beta) =>
        (tree.MomentsFor(history, gamma, ParallelMomentSteps), QuickNodeTest ? tree.BoundsFor(beta) : null,
            Tolerance > 0 && tree.TotalAbsDrop > 0 ? Tolerance / tree.TotalAbsDrop : 0);

    /// <summary>
    /// LD(t)/B at each step as the prediction's walk (<see cref="EvaluatePoints"/>) sums it without derivatives or with them (the same tree, moments, bounds and
    /// tolerance), for the drop parameters <paramref name="held"/> (<see cref="DropParameters"/>' values in their order).
    /// </summary>
    private Drop[] WalkDrop(double[] held, ScheduleHistory history, int[] steps, bool gradient)
    {
        double b = held[0], c = held[1], beta = held[2], gamma = held[3];
        var drops = new Drop[steps.Length];
        var tree = history.Cache(DropTree.Build);
        lock (tree)
        {
            var (moments, bounds, accept) = WalkSetup(tree, history, gamma, beta);
            for (int i = 0; i < steps.Length; i++)
                drops[i] = tree.LossDrop(history, steps[i], b, c, beta, moments, accept, gradient, plain: false, bounds, SpreadBounds);
        }
        return drops;
    }

    /// <summary>
    /// The loss drop at fixed drop parameters (<see cref="HoldDrop"/>): per step the walk's <see cref="Drop"/> without derivatives
    /// (<see cref="Predict"/>'s) and with them (<see cref="PredictWithGradient"/>'s), each walked on first use, and what it is the drop of.
    /// Safe to share between threads: a mode is walked once, under the drop's lock, and read without it after.
    /// </summary>
    internal sealed class HeldDrop
    {
        private readonly MultiPowerLaw _law;
        private readonly double[] _values;
        private Drop[]? _plain, _withGradient;
        private int _walks;

        internal HeldDrop(MultiPowerLaw law, double[] values, ScheduleHistory history, int[] steps)
        {
            (_law, _values, History, Steps) = (law, values, history, steps);
        }

        public ScheduleHistory History { get; }

        public int[] Steps { get; }

        /// <summary>How many times the tree was walked for this drop (0 to 2: once per mode used).</summary>
        public int Walks => Volatile.Read(ref _walks);

        /// <summary>The mode's drops (<paramref name="gradient"/>: with derivatives), walked on first use.</summary>
        internal Drop[] Walked(bool gradient)
        {
            var kept = gradient ? Volatile.Read(ref _withGradient) : Volatile.Read(ref _plain);
            if (kept is not null) return kept;
            lock (this)
            {
                kept = gradient ? _withGradient : _plain;
                if (kept is not null) return kept;
                kept = _law.WalkDrop(_values, History, Steps, gradient);
                _walks++;
                if (gradient) Volatile.Write(ref _withGradient, kept);
                else Volatile.Write(ref _plain, kept);
                return kept;
            }
        }

        /// <summary>
        /// Whether this is the drop of <paramref name="law"/> at <paramref name="p"/>'s drop parameters (bit for bit), of
        /// <paramref name="history"/> (the same object) and at <paramref name="steps"/>.
        /// </summary>
        public bool Holds(MultiPowerLaw law, ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps)
        {
            if (!ReferenceEquals(law, _law) || !ReferenceEquals(history, History) || p.Length != Names.Length) return false;
            for (int j = 0; j < _values.Length; j++)
                if (BitConverter.DoubleToInt64Bits(p[DropParameters[j]]) != BitConverter.DoubleToInt64Bits(_values[j])) return false;
            return steps.SequenceEqual(Steps);
        }
    }

    /// <summary>L0, A and B: L(t) = L0 * 1 + A * S1(t)^-alpha + B * (-LD(t)/B) (variable projection; <see cref="ISeparableLaw"/>).</summary>
    IReadOnlyList<int> ISeparableLaw.LinearParameters => LinearIndices;

    private static readonly int[] LinearIndices = [L0, A, B];

    /// <summary>B: the tree's tolerance holds for any B up to the p[B] given to <see cref="Basis"/>.</summary>
    int ISeparableLaw.AccuracyParameter => B;

    /// <summary>
    /// The basis of the linear parameters (L0, A, B) at each step: 1, S1(t)^-alpha and -LD(t)/B, 3 a step; and their derivatives
    /// with respect to (alpha, C, beta, gamma), 3 x 4 a step (row-major): d S1^-alpha / d alpha = -ln(S1) S1^-alpha and
    /// -d(LD/B)/d(C, beta, gamma), the rest 0. LD/B comes from the same tree walk as <see cref="Predict"/> with p[B] as the
    /// drop's scale, so B LD(t) is within <see cref="Tolerance"/> for any B up to p[B]; B must be finite.
    /// </summary>
    public void Basis(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> basis, Span<double> basisGradient)
    {
        LawArguments.Check(this, p, history, steps, basis);
        if (basis.Length < 3 * steps.Length || basisGradient.Length < 12 * steps.Length) throw new ArgumentException("The basis needs 3 values a step and its gradient 12.");
        if (!double.IsFinite(p[B])) throw new ArgumentException("The drop's scale p[B] must be finite.");
        var tree = history.Cache(DropTree.Build);
        lock (tree)
        {
            var (moments, bounds, accept) = WalkSetup(tree, history, p[Gamma], p[Beta]);
            int chunk = Math.Max(1, PointsPerChunk);
            if (steps.Length < 2 * (long)chunk)
            {
                BasisPoints(tree, moments, bounds, SpreadBounds, accept, p, history, steps, basis, basisGradient);
                return;
            }
            // Side by side over chunks of points, as in Evaluate (each chunk writes only its own rows; the same values).
            double[] parameters = p.ToArray();
            int[] at = steps.ToArray();
            var values = new double[at.Length * 3];
            var rows = new double[at.Length * 12];
            int chunks = (at.Length + chunk - 1) / chunk;
            Parallel.For(0, chunks, c =>
            {
                int from = c * chunk, count = Math.Min(chunk, at.Length - from);
                BasisPoints(tree, moments, bounds, SpreadBounds, accept, parameters, history, at.AsSpan(from, count), values.AsSpan(3 * from, 3 * count), rows.AsSpan(12 * from, 12 * count));
            });
            values.CopyTo(basis);
            rows.CopyTo(basisGradient);
        }
    }

    private static void BasisPoints(DropTree tree, DropTree.Moments moments, MplTailBounds? bounds, bool spreadBounds, double accept, ReadOnlySpan<double> p, ScheduleHistory history,
        ReadOnlySpan<int> steps, Span<double> basis, Span<double> basisGradient)
    {
        for (int i = 0; i < steps.Length; i++)
        {
            int t = steps[i];
            double s1 = history.S1(t);
            double power = Math.Pow(s1, -p[Alpha]);
            var d = tree.LossDrop(history, t, p[B], p[C], p[Beta], moments, accept, gradient: true, plain: false, bounds, spreadBounds);
            basis[3 * i] = 1;
            basis[3 * i + 1] = power;
            basis[3 * i + 2] = -d.Value;
            var row = basisGradient.Slice(12 * i, 12);
            row.Clear();
            row[4] = -Math.Log(s1) * power;    // g_A by alpha
            row[9] = -d.DC;                    // g_B by C, beta, gamma
            row[10] = -d.DBeta;
            row[11] = -d.DGamma;
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

    /// <summary>
    /// LD(t)/B at each of <paramref name="steps"/> through the law's segment tree (the evaluator of <see cref="Predict"/>,
    /// cached on the history; the same nodes and arithmetic), for other laws that use the MPL's drop
    /// (<see cref="Joint.JointNoise.Clock"/>). The absolute error of each value is at most
    /// <paramref name="relativeTolerance"/> times sum_k |eta_{k-1} - eta_k| (0: summed exactly).
    /// </summary>
    internal static void LossDropOverB(ScheduleHistory history, ReadOnlySpan<int> steps, double c, double beta, double gamma, double relativeTolerance, Span<double> output)
    {
        var tree = history.Cache(DropTree.Build);
        // As in Evaluate: the tree's moments are refilled in place per gamma, so evaluations of one history take turns.
        lock (tree)
        {
            var moments = tree.MomentsFor(history, gamma, DropTree.DefaultParallelMomentSteps);
            for (int i = 0; i < steps.Length; i++)
                output[i] = tree.LossDrop(history, steps[i], 1, c, beta, moments, relativeTolerance, gradient: false, plain: false).Value;
        }
    }

    private static double G(double eta, double sk, double c, double beta, double gamma) =>
        eta == 0 ? 1.0 : 1.0 - Math.Pow(c * Math.Pow(eta, -gamma) * sk + 1.0, -beta);

    /// <summary>(C x_max + 1)^(-beta), 0 where C x_max + 1 overflowed.</summary>
    internal static double TailMax(double qMax, double beta) => double.IsPositiveInfinity(qMax) ? 0 : Math.Pow(qMax, -beta);

    /// <summary>
    /// Whether bb1 C^2 tail_max / q_max^2, evaluated as written ((bb1 C^2) tail_max / (q_max q_max)), is a normal number:
    /// without tail_max when its binary exponents settle it, with tail_max (computed into <paramref name="tailMax"/>)
    /// otherwise, so the answer is always that of the expression evaluated in full.
    /// Settled: with P = bb1 C^2 and Q = q_max q_max normal and finite, and q_max in [2^E, 2^(E+1)), E = ilogb(q_max) &gt;= 0,
    /// log2 tail_max = -beta log2 q_max lies in [-beta (E+1), -beta E] (pow errs by an ulp or so: the margins below
    /// are 4 binades), so log2 of P tail_max lies in [ilogb P - beta (E+1), ilogb P + 1] and log2 of the quotient in
    /// [ilogb P - beta (E+1) - ilogb Q - 1, ilogb P + 1 - beta E - ilogb Q]; when both ranges lie inside (-1018, 1018),
    /// every intermediate and the result are normal numbers (normal: binary exponent in [-1022, 1023]).
    /// </summary>
    internal static bool CorrectionIsNormal(double p, double qMax, double beta, ref double tailMax)
    {
        if (qMax >= 1 && double.IsNormal(p) && p > 0 && qMax < double.PositiveInfinity && beta > 0)
        {
            double q = qMax * qMax;
            if (double.IsNormal(q) && q < double.PositiveInfinity)
            {
                // ilogb of a positive normal number is its biased exponent field less 1023 (Math.ILogB's value, without its branches).
                int e = Exponent(qMax), ep = Exponent(p), eq = Exponent(q);
                double lowProduct = ep - beta * (e + 1);
                double low = lowProduct - eq - 1, high = ep + 1 - beta * e - eq;
                if (lowProduct > -1018 && low > -1018 && high < 1018 && ep + 1 < 1018) return true;
            }
        }
        if (double.IsNaN(tailMax)) tailMax = TailMax(qMax, beta);
        return double.IsNormal(p * tailMax / (qMax * qMax));
    }

    /// <summary>floor(log2 x) of a positive normal number x: its exponent field less the bias.</summary>
    private static int Exponent(double x) => (int)((BitConverter.DoubleToInt64Bits(x) >> 52) & 0x7FF) - 1023;

    /// <summary>
    /// LD(t)/B and its derivatives with respect to C, beta and gamma; with the fused walk also <see cref="PlainValue"/>, LD(t)/B as the walk
    /// without derivatives sums it (its exact leaf terms by pow; <see cref="Value"/>'s by exp and log when derivatives are taken).
    /// </summary>
    internal readonly record struct Drop(double Value, double DC, double DBeta, double DGamma, double PlainValue = 0);

    /// <summary>Segment tree over k = 1..S: leaves of <see cref="Leaf"/> steps, built once per history.</summary>
    private sealed class DropTree
    {
        private const int Leaf = 8;
        private readonly double[] _negLogEta;             // -ln eta_k, k = 0..S (for d/dgamma)
        private readonly Node[] _nodes;                   // one struct a node, in build order (children after their parent)
        private int _count, _root;
        private int[] _leaves = [], _internal = [];       // leaf nodes in index order; internal nodes in decreasing index order
        private Moments? _moments;                        // moments for the last gamma used (callers lock the tree)
        private MplTailBounds? _bounds;                      // the quick node test's table for the last beta used (callers lock the tree)

        /// <summary>the quick node test's table for <paramref name="beta"/> (cached for the last beta used; the caller holds the tree's lock).</summary>
        public MplTailBounds BoundsFor(double beta) =>
            _bounds is { } cached && cached.Beta.Equals(beta) ? cached : _bounds = new MplTailBounds(beta);

        /// <summary>A node's k-range [Lo, Hi], children (-1 for a leaf), sum |Delta eta|, sum Delta eta and whether it is approximable
        /// (one sign of Delta eta and no zero eta).</summary>
        private readonly record struct Node(int Lo, int Hi, int Left, int Right, double AbsDrop, double M0, bool Eligible);

        private DropTree(int capacity, int steps)
        {
            _nodes = new Node[capacity];
            _negLogEta = new double[steps + 1];
        }

        public double TotalAbsDrop => _nodes[_root].AbsDrop;

        /// <summary>Built straight into the node structs (no per-field build arrays beside them).</summary>
        public static DropTree Build(ScheduleHistory h)
        {
            int leaves = (h.Steps + Leaf - 1) / Leaf;
            var tree = new DropTree(2 * leaves + 1, h.Steps);
            for (int k = 0; k <= h.Steps; k++) tree._negLogEta[k] = -Math.Log(h.Eta(k));
            tree._root = tree.BuildNode(h, 1, h.Steps);
            // The leaves, and the internal nodes in decreasing index order (children before their parent), for MomentsFor.
            var leafNodes = new List<int>();
            var innerNodes = new List<int>();
            for (int n = tree._count - 1; n >= 0; n--) (tree._nodes[n].Left < 0 ? leafNodes : innerNodes).Add(n);
            leafNodes.Reverse();
            tree._leaves = [.. leafNodes];
            tree._internal = [.. innerNodes];
            return tree;
        }

        private int BuildNode(ScheduleHistory h, int lo, int hi)
        {
            int node = _count++;
            if (hi - lo + 1 <= Leaf)
            {
                double m0 = 0, abs = 0;
                bool pos = false, neg = false, zero = false;
                for (int k = lo; k <= hi; k++)
                {
                    double d = h.Eta(k - 1) - h.Eta(k);
                    m0 += d; abs += Math.Abs(d);
                    pos |= d > 0; neg |= d < 0; zero |= d != 0 && h.Eta(k) == 0;
                }
                _nodes[node] = new Node(lo, hi, -1, -1, abs, m0, !(pos && neg) && !zero);
                return node;
            }
            int leaves = (hi - lo + 1 + Leaf - 1) / Leaf;
            int mid = lo + (leaves / 2) * Leaf - 1;
            int l = BuildNode(h, lo, mid);
            int r = BuildNode(h, mid + 1, hi);
            ref readonly Node left = ref _nodes[l], right = ref _nodes[r];
            _nodes[node] = new Node(lo, hi, l, r, left.AbsDrop + right.AbsDrop, left.M0 + right.M0,
                left.Eligible && right.Eligible && !(left.M0 * right.M0 < 0));
            return node;
        }

        /// <summary>
        /// e_k = eta_k^(-gamma) for every step, and per node its range [min e, max e] and moments (with their
        /// gamma derivatives), for one gamma (cached for the last gamma used; refilled in place, so the caller
        /// holds the tree's lock while it uses them).
        /// <para>
        /// The leaves (their e_k, range and moments, each a sum over its own steps in order) do not depend on one another, so
        /// on a long history (at least <paramref name="parallelFrom"/> steps) they are filled side by side in chunks of
        /// leaves; the internal nodes then combine their children in the same order as before (children have higher indices
        /// than their parent, so the reverse order of the node indices). Each leaf's e_k is computed from its own steps: where
        /// eta_k = eta_{k-1} the previous e is reused inside a leaf, and at a leaf's first step it is computed again from the same
        /// eta (the same expression of the same value, so the same bits). Every value is the one the sequential pass gives,
        /// bit for bit.
        /// </para>
        /// </summary>
        public Moments MomentsFor(ScheduleHistory h, double gamma, int parallelFrom)
        {
            if (_moments is { } cached && cached.Gamma == gamma) return cached;
            var m = _moments ??= new Moments(_count, h.Steps);
            m.Gamma = gamma;
            var leaves = _leaves;
            // 8 to 64 chunks of about LeavesPerChunk leaves (at 10^6 steps: 62 chunks of 2,016 leaves).
            int chunks = h.Steps >= parallelFrom ? Math.Min(leaves.Length, Math.Clamp((leaves.Length + LeavesPerChunk - 1) / LeavesPerChunk, 8, 64)) : 1;
            if (chunks > 1)
            {
                Parallel.For(0, chunks, c =>
                {
                    long from = (long)leaves.Length * c / chunks, to = (long)leaves.Length * (c + 1) / chunks;
                    for (long i = from; i < to; i++) FillLeaf(h, m, leaves[i], gamma);
                });
            }
            else
                foreach (int leaf in leaves) FillLeaf(h, m, leaf, gamma);
            var d = m.D;
            foreach (int n in _internal)
            {
                // Children have higher indices than their parent, so they are done already.
                ref readonly Node node = ref _nodes[n];
                int l = node.Left, r = node.Right;
                d[n * Moments.Stride] = Math.Min(d[l * Moments.Stride], d[r * Moments.Stride]);
                d[n * Moments.Stride + 1] = Math.Max(d[l * Moments.Stride + 1], d[r * Moments.Stride + 1]);
                if (!node.Eligible) continue;
                m.Add(n, l, r);
            }
            return m;
        }

        /// <summary>Histories of at least this many steps fill their leaves' moments side by side (<see cref="MomentsFor"/>) by default.</summary>
        internal const int DefaultParallelMomentSteps = 1 << 17;

        /// <summary>Leaves per chunk of the side-by-side fill (the last chunks may hold fewer).</summary>
        private const int LeavesPerChunk = 2048;

        /// <summary>One leaf's e_k, its range [min e, max e] and, when it is approximable, its moments (see <see cref="MomentsFor"/>).</summary>
        private void FillLeaf(ScheduleHistory h, Moments m, int n, double gamma)
        {
            var eta = h.EtaSpan;
            var s1 = h.S1Span;
            var e = m.E;
            ref readonly Node node = ref _nodes[n];
            for (int k = node.Lo; k <= node.Hi; k++)
                e[k] = k > node.Lo && eta[k] == eta[k - 1] ? e[k - 1] : eta[k] == 0 ? Math.Pow(0, -gamma) : Math.Exp(gamma * _negLogEta[k]);
            double eMin = double.PositiveInfinity, eMax = 0;
            for (int k = node.Lo; k <= node.Hi; k++)
            {
                eMin = Math.Min(eMin, e[k]); eMax = Math.Max(eMax, e[k]);
            }
            m.D[n * Moments.Stride] = eMin; m.D[n * Moments.Stride + 1] = eMax;
            if (!node.Eligible) return;
            double m1 = 0, m2 = 0, p0 = 0, p1 = 0, p2 = 0, m1g = 0, m2g = 0, p0g = 0, p1g = 0, p2g = 0;
            for (int k = node.Lo; k <= node.Hi; k++)
            {
                double d = eta[k - 1] - eta[k];
                if (d == 0) continue;
                double s = s1[k - 1], l = _negLogEta[k];
                double de = d * e[k], de2 = de * e[k];
                m1 += de; m2 += de * s;
                p0 += de2; p1 += de2 * s; p2 += de2 * s * s;
                m1g += de * l; m2g += de * l * s;
                p0g += 2 * de2 * l; p1g += 2 * de2 * l * s; p2g += 2 * de2 * l * s * s;
            }
            m.Set(n, m1, m2, p0, p1, p2, m1g, m2g, p0g, p1g, p2g);
        }

        /// <summary>
        /// LD(t)/B (and with <paramref name="gradient"/> its derivatives) through the tree. With <paramref name="plain"/> (and
        /// <paramref name="gradient"/>) the same walk also sums <see cref="Drop.PlainValue"/>, the value without <paramref name="gradient"/>:
        /// every node term is added to both sums in the same order, and the exact leaf terms each by their own formula, so each sum
        /// equals that of the separate walk bit for bit (the choice of nodes depends on neither flag).
        /// </summary>
        public Drop LossDrop(ScheduleHistory h, int t, double b, double c, double beta, Moments m, double accept, bool gradient, bool plain, MplTailBounds? bounds = null, bool spreadBounds = false)
        {
            // The quick node test (MplTailBounds.Decide) where its bounds are defined: finite positive b and C, and the table for this beta.
            bool quick = bounds is not null && bounds.Usable && bounds.Beta == beta && accept > 0 && b > 0 && b < double.PositiveInfinity && c > 0 && c < double.PositiveInfinity;
            var eta = h.EtaSpan;
            var s1 = h.S1Span;
            var e = m.E;
            var md = m.D;
            var nodes = _nodes;
            var negLogEta = _negLogEta;
            double s1t = s1[t];
            double sum = 0, dC = 0, dBeta = 0, dGamma = 0, plainSum = 0;
            bool both = plain && gradient;
            double bb1 = beta * (beta + 1), c2 = c * c;
            // Depth-first; a balanced tree over at most 2^31 steps is < 32 levels deep, two pending nodes a level.
            Span<int> stack = stackalloc int[72];
            int top = 0;
            stack[top++] = _root;
            while (top > 0)
            {
                int n = stack[--top];
                ref readonly Node node = ref nodes[n];
                if (node.Lo > t || node.AbsDrop == 0) continue;
                if (node.Hi <= t && accept > 0 && node.Eligible)
                {
                    int o = n * Moments.Stride;
                    double xMin = md[o] * (s1t - s1[node.Hi - 1]);
                    double xMax = md[o + 1] * (s1t - s1[node.Lo - 1]);
                    double width = xMax - xMin;
                    double qMin = c * xMin + 1;
                    double qMax = c * xMax + 1;
                    // The Taylor bounds in a scale-free form: max|G''| w^2 = beta (beta+1) tail_min r^2 and
                    // max|G'''| w^3 = beta (beta+1) (beta+2) tail_min r^3 with r = C w / (C x_min + 1); the
                    // products C^2 / q^2 and C^3 / q^3 would underflow to 0 for an extreme C, making a wide node
                    // look exact.
                    double r = c * width / qMin;
                    // Rounding: x1 = S1(t) M1 - M2 and V are differences of large same-sign sums, exact only to a
                    // few ulps of their terms; when the weight sits where S1(t) - S1(k-1) << S1(t) (a large gamma
                    // and a cooldown to ~0) that error is not small, and the Taylor bounds do not see it. Bound it
                    // (64 eps per term, generous for sums over <= 2^31 steps) and add it: M0 G(x_bar) errs by at
                    // most max G' |dx1| (max G' = beta C (C x_min + 1)^(-beta-1)), the V term by 1/2 max|G''| |dV|;
                    // like the Taylor bounds they are per unit of sum|Delta| over the node (= |M0|, one sign).
                    // Moments that overflowed make these infinite, and the node is split instead.
                    double absDrop = node.AbsDrop;
                    double cOverQ = c / qMin;
                    double x1Error = Ulps * (s1t * Math.Abs(md[o + 2]) + Math.Abs(md[o + 3]));
                    double vError = Ulps * (s1t * (s1t * Math.Abs(md[o + 4]) + 2 * Math.Abs(md[o + 5])) + Math.Abs(md[o + 6])
                                            + xMax * (s1t * Math.Abs(md[o + 2]) + Math.Abs(md[o + 3])));
                    // x_hat = (S1(t) M1 - M2) / M0, the expansion point of both approximations, and (with the spread bounds) V.
                    double m0 = node.M0;
                    double x1 = s1t * md[o + 2] - md[o + 3];
                    double xBar = x1 / m0;
                    double v = double.NaN;
                    // The second- and third-order bounds per unit of tail_min = (C x_min + 1)^-beta (MplTailBounds.Decide and the full
                    // test below both multiply them by tail_min or its bounds).
                    double secondFactor, thirdFactor;
                    double roundFirstFactor = beta * (cOverQ * x1Error) / absDrop;
                    if (spreadBounds)
                    {
                        // From the node's spread instead of its width (G expanded about x_hat, as in the remarks). With
                        // A = sum|Delta| = |M0| and delta >= |x_bar - x_hat| (x1's rounding allowance, and the division's):
                        //   sum|Delta| (x_k - x_hat)^2 = |V_true| + A (x_bar - x_hat)^2 <= min(|V| + dV, A w^2 / 4) + A delta^2 =: W
                        // (Popoviciu: a spread is at most a quarter of the squared range), so
                        //   |sum Delta G(x_k) - M0 G(x_hat)| <= max G' |x1 - M0 x_hat| + 1/2 max|G''| W, and with the correction
                        //   |sum Delta G(x_k) - M0 G(x_hat) - 1/2 G''(x_hat) V| <= max G' |x1 - M0 x_hat| + 1/2 max|G''| (dV + A delta^2)
                        //                                                           + 1/6 max|G'''| D W,
                        // D = max(x_max - x_hat, x_hat - x_min) + delta >= max_k |x_k - x_hat|, since sum|Delta| |x - x_hat|^3 <= D W.
                        // max|G''| = beta (beta+1) tail_min (C / q_min)^2, max|G'''| = (beta+2) C / q_min max|G''| (at x_min).
                        // NaN or infinite moments (V, x1) leave the width's quarter or an infinite bound (the node is split).
                        v = s1t * (s1t * md[o + 4] - 2 * md[o + 5]) + md[o + 6] - xBar * x1;   // sum Delta (x - x_hat)^2, the sign of M0
                        double delta = x1Error / absDrop + Ulps * Math.Abs(xBar);
                        double quarter = 0.25 * absDrop * width * width, spreadV = Math.Abs(v) + vError;
                        double spread = (spreadV < quarter ? spreadV : quarter) + absDrop * delta * delta;
                        double reach = Math.Max(xMax - xBar, xBar - xMin) + delta;
                        double s2 = cOverQ * (cOverQ * spread) / absDrop;
                        secondFactor = 0.5 * bb1 * s2 + roundFirstFactor;
                        thirdFactor = bb1 * (beta + 2) * (cOverQ * reach) * s2 / 6
                                      + roundFirstFactor + 0.5 * bb1 * (cOverQ * (cOverQ * (vError + absDrop * delta * delta))) / absDrop;
                    }
                    else
                    {
                        // From the node's width (the bounds of the remarks, as in the full test's expressions below with tail_min = 1).
                        secondFactor = 0.5 * bb1 * r * r + roundFirstFactor;
                        thirdFactor = bb1 * (beta + 2) * r * r * r / 6 + (roundFirstFactor + 0.5 * bb1 * (cOverQ * (cOverQ * vError)) / absDrop);
                    }
                    // tail_max = (C x_max + 1)^(-beta) is computed only where a decision needs its value: an accepted node
                    // needs only whether G''(x_max) is a normal number, which CorrectionIsNormal decides from exponents
                    // when that is certain (most nodes: one pow less per accepted node), by the value itself otherwise.
                    double tailMax = double.NaN;
                    // The quick test decides most nodes without tail_min's pow, and only where the full test below certainly
                    // decides the same (MplTailBounds.Decide); the rest go through the full test.
                    bool accepted = false, corrected = false;
                    int decision = quick ? MplTailBounds.Decide(bounds!, qMin, qMax, secondFactor, thirdFactor, beta, b, accept) : MplTailBounds.Unsure;
                    if (decision == MplTailBounds.Reject) goto split;
                    if (decision != MplTailBounds.Unsure)
                    {
                        // The third-order bound passes only when the correction is usable too (as in the full test); else the
                        // second-order bound must pass, which Decide shows separately (AcceptEither).
                        corrected = decision != MplTailBounds.AcceptSecond && m.CorrectionFinite(o) && CorrectionIsNormal(bb1 * c2, qMax, beta, ref tailMax);
                        if (decision == MplTailBounds.AcceptThird && !corrected) decision = MplTailBounds.Unsure;
                        else accepted = true;
                    }
                    if (decision == MplTailBounds.Unsure)
                    {
                        double tailMin = Math.Pow(qMin, -beta);
                        double roundFirst = beta * tailMin * (cOverQ * x1Error) / absDrop;
                        double secondOrder, thirdOrder;                           // bounds of M0 G(x_bar) and of M0 G(x_bar) + G''(x_bar) V / 2
                        if (spreadBounds)
                        {
                            secondOrder = tailMin * secondFactor;
                            thirdOrder = tailMin * thirdFactor;
                        }
                        else
                        {
                            double roundSecond = roundFirst + 0.5 * bb1 * tailMin * (cOverQ * (cOverQ * vError)) / absDrop;
                            secondOrder = 0.5 * bb1 * tailMin * r * r + roundFirst;
                            thirdOrder = bb1 * (beta + 2) * tailMin * r * r * r / 6 + roundSecond;
                        }
                        // The correction evaluates G''(x_bar) = -beta (beta+1) C^2 (C x_bar + 1)^(-beta-2) as written;
                        // use it only where that is a normal number over the whole node (it is smallest at x_max).
                        corrected = thirdOrder < secondOrder && m.CorrectionFinite(o) && CorrectionIsNormal(bb1 * c2, qMax, beta, ref tailMax);
                        double bound = corrected ? thirdOrder : secondOrder;
                        bool finiteBounds = true;
                        if (!(b * bound <= accept))
                        {
                            if (double.IsNaN(tailMax)) tailMax = TailMax(qMax, beta);
                            double firstOrder = tailMin - tailMax + roundFirst;
                            if (firstOrder < bound) { bound = firstOrder; corrected = false; }
                            finiteBounds = double.IsFinite(firstOrder) || double.IsFinite(secondOrder);
                        }
                        if (!finiteBounds && TryRange(o, m0: node.M0, xMin, xMax, qMin, qMax, tailMin, tailMax, m, b, c, beta, accept, gradient, ref sum, ref dC, ref dBeta, ref dGamma, both, ref plainSum))
                            continue;
                        accepted = b * bound <= accept;
                    }
                    if (accepted)
                    {
                        double q = c * xBar + 1;
                        double logQ = Math.Log(q);
                        double tail = Math.Exp(-beta * logQ);
                        double g2Bar = -bb1 * c2 * tail / (q * q);
                        sum += m0 * (1.0 - tail);
                        if (both) plainSum += m0 * (1.0 - tail);
                        if (!corrected) v = 0;
                        else
                        {
                            if (!spreadBounds) v = s1t * (s1t * md[o + 4] - 2 * md[o + 5]) + md[o + 6] - xBar * x1;   // sum Delta (x - x_bar)^2, the sign of M0
                            sum += 0.5 * g2Bar * v;
                            if (both) plainSum += 0.5 * g2Bar * v;
                        }
                        if (gradient)
                        {
                            double dx1 = s1t * md[o + 7] - md[o + 8];
                            double dxBar = dx1 / m0;
                            dC += m0 * beta * xBar * tail / q;
                            dBeta += m0 * tail * logQ;
                            dGamma += m0 * beta * c * tail / q * dxBar;
                            if (corrected)
                            {
                                double g3Bar = -g2Bar * (beta + 2) * c / q;
                                double g2C = -bb1 * c * tail / (q * q) * (2 - (beta + 2) * c * xBar / q);
                                double g2Beta = -c2 * tail / (q * q) * ((2 * beta + 1) - bb1 * logQ);
                                double dv = s1t * (s1t * md[o + 9] - 2 * md[o + 10]) + md[o + 11] - 2 * xBar * dx1;
                                dC += 0.5 * g2C * v;
                                dBeta += 0.5 * g2Beta * v;
                                dGamma += 0.5 * (g3Bar * dxBar * v + g2Bar * dv);
                            }
                        }
                        continue;
                    }
                }
                split:
                if (node.Left < 0)
                {
                    int end = Math.Min(node.Hi, t);
                    for (int k = node.Lo; k <= end; k++)
                    {
                        double d = eta[k - 1] - eta[k];
                        if (d == 0) continue;
                        if (eta[k] == 0)   // G = 1
                        {
                            sum += d;
                            if (both) plainSum += d;
                            continue;
                        }
                        double x = e[k] * (s1t - s1[k - 1]);
                        double q = c * x + 1;
                        if (!gradient)
                        {
                            sum += d * (1.0 - Math.Pow(q, -beta));
                            continue;
                        }
                        double logQ = Math.Log(q);
                        double tail = Math.Exp(-beta * logQ);
                        sum += d * (1.0 - tail);
                        if (both) plainSum += d * (1.0 - Math.Pow(q, -beta));
                        double slope = d * beta * tail / q;           // d * G'(x) / C
                        dC += slope * x;
                        dBeta += d * tail * logQ;
                        dGamma += slope * c * x * negLogEta[k];      // dx/dgamma = -ln(eta) x
                    }
                    continue;
                }
                stack[top++] = node.Right;
                stack[top++] = node.Left;
            }
            return new Drop(sum, dC, dBeta, dGamma, plainSum);
        }

        /// <summary>64 unit roundoffs (2^-53): the rounding allowance per term of the moment differences (see LossDrop).</summary>
        private const double Ulps = 64 * 1.1102230246251565e-16;

        /// <summary>
        /// Where every bound above is not finite (C, gamma or x at the edge of the double range: C x + 1 or
        /// e_k overflow, or the moments do), the node is still accepted when G's range over it is small:
        /// G increasing, every x_k lies in [x_min, x_max], so M0 (G(x_min) + G(x_max)) / 2 errs by at most
        /// 1/2 sum|Delta| (G(x_max) - G(x_min)) = 1/2 sum|Delta| (tail_min - tail_max), with no moment differences.
        /// Such trial points (e.g. C = inf: G = 1 for every x &gt; 0) used to fall back to the exact O(t) sum per
        /// point. Derivatives are those of this value (dx/dgamma = x ln(e) / gamma at the node's extreme e).
        /// </summary>
        private static bool TryRange(int o, double m0, double xMin, double xMax, double qMin, double qMax, double tailMin, double tailMax, Moments m,
            double b, double c, double beta, double accept, bool gradient, ref double sum, ref double dC, ref double dBeta, ref double dGamma, bool both, ref double plainSum)
        {
            double range = tailMin - tailMax;
            if (!(range >= 0) || !double.IsFinite(range) || !(b * 0.5 * range <= accept)) return false;
            sum += m0 * (1.0 - 0.5 * (tailMin + tailMax));
            if (both) plainSum += m0 * (1.0 - 0.5 * (tailMin + tailMax));
            if (gradient)
            {
                // d tail / dC = -beta x tail / q, d tail / dbeta = -ln(q) tail, d tail / dgamma = -beta C tail / q dx/dgamma.
                double gamma = m.Gamma;
                double sMin = tailMin == 0 ? 0 : beta * tailMin / qMin, sMax = tailMax == 0 ? 0 : beta * tailMax / qMax;
                dC += 0.5 * m0 * (sMin * xMin + sMax * xMax);
                dBeta += 0.5 * m0 * ((tailMin == 0 ? 0 : tailMin * Math.Log(qMin)) + (tailMax == 0 ? 0 : tailMax * Math.Log(qMax)));
                if (gamma != 0)
                    dGamma += 0.5 * m0 * c * (sMin * xMin * Math.Log(m.D[o]) + sMax * xMax * Math.Log(m.D[o + 1])) / gamma;
            }
            return true;
        }

        /// <summary>
        /// The moments of every node for one gamma, node by node in one array (<see cref="Stride"/> values a node: a node test
        /// reads one or two cache lines instead of one line in each of twelve arrays); the same values as before.
        /// </summary>
        public sealed class Moments(int nodes, int steps)
        {
            /// <summary>Per node: min e, max e (e = eta^-gamma), M1, M2, P0, P1, P2, then their gamma derivatives M1G..P2G.</summary>
            public const int Stride = 12;

            public double Gamma { get; set; } = double.NaN;
            public double[] E { get; } = new double[steps + 1];     // eta_k^(-gamma)
            public double[] D { get; } = new double[nodes * Stride];
            private readonly bool[] _correctionFinite = new bool[nodes];

            public void Set(int n, double m1, double m2, double p0, double p1, double p2, double m1g, double m2g, double p0g, double p1g, double p2g)
            {
                int o = n * Stride;
                var d = D;
                d[o + 2] = m1; d[o + 3] = m2; d[o + 4] = p0; d[o + 5] = p1; d[o + 6] = p2;
                d[o + 7] = m1g; d[o + 8] = m2g; d[o + 9] = p0g; d[o + 10] = p1g; d[o + 11] = p2g;
                _correctionFinite[n] = double.IsFinite(p0) && double.IsFinite(p1) && double.IsFinite(p2)
                                       && double.IsFinite(p0g) && double.IsFinite(p1g) && double.IsFinite(p2g);
            }

            /// <summary>True when the moments of the second-order correction and their gamma derivatives did not overflow (o = node x Stride).</summary>
            public bool CorrectionFinite(int o) => _correctionFinite[o / Stride];

            public void Add(int n, int l, int r)
            {
                var d = D;
                int a = l * Stride, b = r * Stride;
                Set(n, d[a + 2] + d[b + 2], d[a + 3] + d[b + 3], d[a + 4] + d[b + 4], d[a + 5] + d[b + 5], d[a + 6] + d[b + 6],
                    d[a + 7] + d[b + 7], d[a + 8] + d[b + 8], d[a + 9] + d[b + 9], d[a + 10] + d[b + 10], d[a + 11] + d[b + 11]);
            }
        }
    }
}
