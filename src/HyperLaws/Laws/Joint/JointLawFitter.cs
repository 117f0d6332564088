using HyperLaws.Numerics;

namespace HyperLaws.Laws.Joint;

/// <summary>
/// Fits <see cref="JointLaw"/> by variable projection: given the nonlinear parameters (ln alpha, ln s_w, ln kappa
/// with saturation, a_N and c_N with two or more sizes, ln beta with three or more and beta not fixed) the law is
/// linear in (E, B_N, A, C, w_m); those are solved by non-negative least squares (all but E &gt;= 0) on the
/// relative residuals with Huber weights (iteratively reweighted, weights carried from one evaluation to the
/// next), inside a Nelder-Mead search over the nonlinear ones from the two best points of a small grid. The
/// objective is LawFitter's: the mean Huber loss of relative residuals. Features that do not depend on the
/// nonlinear parameters (noise, K) are computed once; tau on a compressed history (<see cref="CompressedHistory"/>).
/// Curves of a single peak LR cannot tell the LR mechanisms: they are then off (kappa = C = 0), whatever was asked.
/// With <see cref="JointNoise.Spectrum"/> the noise is three non-negative linear columns, the floor eta_t
/// (weight F) and the memories M_time - eta_t, M_steps - eta_t (weights W_time, W_steps: what a cooldown has not yet
/// removed, negative in a warmup), so the floor F = W_time + W_steps + V is not tied to the drop; their kernel
/// (lambda_time, lambda_steps, b) joins the nonlinear search; the per-lag relaxations they mix are
/// computed once per curve (<see cref="NoiseSpectrum.Features"/>), so each evaluation only re-mixes them
/// (O(rows x lags)) and solves a 6-8 column NNLS instead of 16-18.
/// With <see cref="JointFitOptions.LrSizeScale"/> (two or more sizes, an LR mechanism) gamma_eta joins the nonlinear search:
/// each curve's LR units s = z^gamma_eta enter tau (compressed sum at kappa s, times s), the cost column (s K) and the
/// noise columns (times s), none of which needs a feature recomputed.
/// With <see cref="JointFitOptions.LrBatchScale"/> (runs of one N and D at two or more batches, <see cref="LrBatchIdentified"/>, and an LR
/// mechanism) b_eta joins the nonlinear search the same way: s = z^gamma_eta (B/B_ref)^-b_eta per curve; elsewhere b_eta is
/// <see cref="JointFitOptions.LrBatchExponent"/> (0 by default), held.
/// With <see cref="JointFitOptions.NoiseSizeScale"/> (two or more sizes) n_N joins the nonlinear search: the noise columns of
/// each row are multiplied by z^n_N (<see cref="JointLaw.NoiseSizeExponent"/>), no feature recomputed.
/// With <see cref="JointFitOptions.NoiseMemorySizeScale"/> (two or more sizes) n_M joins the nonlinear search: each noise column's
/// memory (its value minus its floor, u eta^p for a free lag, 0 for the spectrum's and clock's memory columns, the floor column
/// itself unchanged) is multiplied by z^n_M (<see cref="JointLaw.NoiseMemorySizeExponent"/>), no feature recomputed.
/// With <see cref="JointFitOptions.TieOffsetExponent"/> (two or more sizes) beta is alpha, not searched (<see cref="JointFitOptions.TieOffsetExponent"/>).
/// With <see cref="JointNoise.Clock"/> the noise is two non-negative linear columns, the floor eta_t (weight F) and the
/// memory M_clock - eta_t (weight W_clock; V = F - W_clock stored), the floor untied as for the spectrum; the clock's
/// (C, beta, gamma) join the nonlinear search as ln C', beta (log) and gamma, with C = C' eta_max^gamma / S_max
/// (eta_max the largest LR, S_max the longest run's LR sum) so that C' x = C' (eta_k / eta_max)^-gamma S_k(t) / S_max
/// is free of the LR's and the run's units and C' moves little when gamma does. M_clock is evaluated at the thinned
/// points of each curve through the Multi-Power Law's segment tree (<see cref="NoiseClock"/>): one O(S) pass per
/// curve for each new gamma, then about O(log S) nodes per point.
/// With <see cref="JointFitOptions.LastingLr"/> (and the saturation fitted) one more linear column of free sign, g(s peak_t) =
/// s peak_t / (1 + kappa s peak_t) with peak_t the highest LR up to the observed step (computed once per curve), weight G
/// (<see cref="JointLaw.LastingWeight"/>); it needs no new nonlinear parameter. With <see cref="JointFitOptions.LastingOwnScale"/> the
/// term's own curvature kappa_l replaces kappa in g and joins the search (ln kappa_l, at least <see cref="JointFitOptions.LastingScaleFloor"/>
/// over the largest LR in the data).
/// With <see cref="JointFitOptions.StabilityEdge"/> (and two or more peak LRs in the data) one more non-negative linear column,
/// phi(peak_t / eta_edge) of <see cref="JointStabilityEdge"/> (computed once per row: the edge is given, not searched), weight H
/// (<see cref="JointLaw.EdgeHeight"/>) bounded by H_max: when the solve puts H above H_max, H is fixed at H_max and the rest re-solved
/// (the optimum of a convex problem whose one violated bound becomes active lies on that bound). No new nonlinear parameter.
/// </summary>
public static class JointLawFitter
{
    /// <exception cref="ArgumentException">No curves, or a curve fails its checks.</exception>
    public static LawFit Fit(IReadOnlyList<JointCurve> curves, JointFitOptions? options = null) => FitControlled(curves, options, null);

    /// <summary>
    /// Where beta is fitted (three or more sizes, <see cref="JointFitOptions.OffsetExponent"/> null, no group offsets, not tied to alpha):
    /// the condition under which the search adds ln beta to its nonlinear parameters (<see cref="Problem"/>).
    /// </summary>
    internal static bool FitsOffsetExponent(IReadOnlyList<JointCurve> curves, JointFitOptions options) =>
        options.OffsetExponent is null && !options.GroupOffsets && !options.TieOffsetExponent
        && curves.Select(c => JointLaw.SizeRatio(c.ModelSize)).Distinct().Count() >= 3;

    /// <summary>
    /// The fit with <paramref name="control"/>: extra Nelder-Mead starts (nonlinear vectors of an earlier fit of the same problem, e.g.
    /// a neighbouring beta's), and with <see cref="Control.Converge"/> each start restarted from its end point until a restart gains
    /// less than <see cref="RestartTolerance"/> (relative); the best start's nonlinear vector is returned in <see cref="Control.Solution"/>.
    /// </summary>
    internal static LawFit FitControlled(IReadOnlyList<JointCurve> curves, JointFitOptions? options, Control? control)
    {
        ArgumentNullException.ThrowIfNull(curves);
        options ??= new JointFitOptions();
        if (curves.Count == 0) throw new ArgumentException("Nothing to fit: no curves.");
        foreach (var c in curves) c.Validate();
        curves = [.. curves.Select(c => Thin(c, options.MaxPointsPerCurve))];
        // beta by a converged profile (JointFitOptions.ProfileOffsetExponent), the lower of it and the plain search.
        if (options.ProfileOffsetExponent && control is null && FitsOffsetExponent(curves, options))
            return new OffsetExponentProfile(curves, options).Minimize();
        // With one peak LR in the data nothing tells saturation or the cost from the offset and the progress
        // term (the cost K is then nearly constant per model size, and its size exponent runs to its bound): both
        // mechanisms are switched off, as the data cannot tell them.
        int peaks = curves.Select(c => JointLawSelection.Peak(c)).Select(p => Math.Round(Math.Log(p), 6)).Distinct().Count();
        if (peaks < 2 && (options.Mechanism.Saturation || options.Mechanism.Cost))
            options = options with { Mechanism = new JointMechanism(false, false) };
        // A fixed LR axis (a prior's, at the target): kappa and the cost are given, neither is searched.
        if (options.LrAxis is { } axis)
        {
            axis.Validate();
            options = options with { Mechanism = new JointMechanism(false, false) };
        }
        var powers = options.NoisePowers ?? [1.0];
        if (powers.Count == 0 || !powers.All(JointFitOptions.IsNoisePower))
            throw new ArgumentException("JointFitOptions.NoisePowers: each noise power must lie in (0, 2] (and there must be one).");
        if (!JointFitOptions.PowersAllowed(options.Noise, powers))
            throw new ArgumentException("JointFitOptions.NoisePowers: a noise power other than 1 needs JointNoise.Free.");
        // The noise's power across peaks fitted apart from its within-run power (JointFitOptions.PeakNoisePower): only where the
        // curves identify it (NoisePowerIdentified, the rule of IdentifiedNoisePower), else q = 0, the law as validated. The peak factor
        // multiplies the free-lag noise only, so with another noise term q stays 0, as p stays 1 for IdentifiedNoisePower; FitNoisePower
        // (p fitted whatever the runs, one power for both roles) overrides it. With IdentifiedNoisePower too (as
        // JointFitOptions.NoisePowersWhereIdentified sets), both powers are fitted where identified: p inside a run and p + q across
        // peaks, in one fit (docs/VALIDATION.md, helper p78).
        // The power across peaks in the tangent form (JointFitOptions.PeakNoiseTangent, helper p78b): where identified, r fitted with p = 1;
        // any other noise-power option given, or another noise term, turns it off (the options before keep their meaning).
        if (options.PeakNoiseTangent)
        {
            if (options.Noise != JointNoise.Free || options.FitNoisePower || options.IdentifiedNoisePower || options.PeakNoisePower
                || options.NoisePowersWhereIdentified || powers.Count != 1 || powers[0] != 1 || !NoisePowerIdentified(curves))
                options = options with { PeakNoiseTangent = false };
            else
                return FitAtPower(curves, options, 1, control);
        }
        if (options.NoisePowersWhereIdentified)
            options = options with { NoisePowersWhereIdentified = false, PeakNoisePower = true, IdentifiedNoisePower = true };
        if (options.PeakNoisePower)
        {
            if (options.Noise != JointNoise.Free || options.FitNoisePower || !NoisePowerIdentified(curves))
                options = options with { PeakNoisePower = false };
            else if (options.IdentifiedNoisePower)
                return FitAtPower(curves, options, double.NaN, control);
        }
        // p fitted (JointFitOptions.FitNoisePower): one fit with p among the nonlinear parameters, the twelve lag weights free (the lag
        // prior, on by default since helper lagdefault, was validated with both powers fitted where identified only, not with one p: the
        // pooled member of ensemble-lr and protocols 17 and 3h keep their validated fit).
        if (options.FitNoisePower)
        {
            if (options.Noise != JointNoise.Free)
                throw new ArgumentException("JointFitOptions.FitNoisePower needs JointNoise.Free (only the free-lag features relax eta^p).");
            return FitAtPower(curves, options with { NoiseLagPrior = false }, double.NaN, control);
        }
        // p fitted where the curves identify it (JointFitOptions.IdentifiedNoisePower), else held at its prior (NoisePowers, default 1).
        if (options.IdentifiedNoisePower && options.Noise == JointNoise.Free && NoisePowerIdentified(curves))
            return FitAtPower(curves, options, double.NaN, control);
        // p from a fixed grid: one full fit per value (its features computed at that p), the lowest training objective wins.
        LawFit? chosen = null;
        double[]? solution = null;
        foreach (double power in powers)
        {
            var fit = FitAtPower(curves, options, power, control);
            if (chosen is null || fit.Objective < chosen.Objective) (chosen, solution) = (fit, control?.Solution);
        }
        if (control is not null) control.Solution = solution;
        return chosen!;
    }

    /// <summary>
    /// A restart (<see cref="Control.Converge"/>) that lowers the objective by less than this fraction of it ends the start: the
    /// Nelder-Mead search restarted from its own end point with a fresh simplex (the usual remedy for a simplex that has collapsed
    /// before the minimum, e.g. Press et al., Numerical Recipes, 10.5) finds nothing more.
    /// </summary>
    internal const double RestartTolerance = 1e-7;

    /// <summary>At most this many restarts per start (<see cref="Control.Converge"/>); a start that reaches it is reported unconverged.</summary>
    internal const int MaxRestarts = 40;

    /// <summary>How one fit is started and run (<see cref="FitControlled"/>).</summary>
    internal sealed class Control
    {
        /// <summary>Extra starts besides the default seeds: nonlinear vectors (those of another length are skipped).</summary>
        public List<double[]> Starts { get; init; } = [];

        /// <summary>False: only <see cref="Starts"/>, not the default seeds.</summary>
        public bool Seeds { get; init; } = true;

        /// <summary>Restart each start until a restart gains less than <see cref="RestartTolerance"/>.</summary>
        public bool Converge { get; init; }

        /// <summary>Out: the best start's nonlinear vector.</summary>
        public double[]? Solution { get; set; }

        /// <summary>Out: whether every start stopped by <see cref="RestartTolerance"/> (not by <see cref="MaxRestarts"/>).</summary>
        public bool Converged { get; set; } = true;

        /// <summary>Out: per start (its index) the objective after each Nelder-Mead run and the evaluations spent so far in the fit.</summary>
        public List<(int Start, int Evaluations, double Objective)> Trace { get; } = [];
    }

    private static LawFit FitAtPower(IReadOnlyList<JointCurve> curves, JointFitOptions options, double power, Control? control)
    {
        var law = new JointLaw(options);
        var problem = new Problem(curves, options, power);
        var seeds = control is { Seeds: false } ? [] : problem.Seeds();
        if (control is not null) seeds.AddRange(control.Starts.Where(z => z.Length == problem.Dimension).Select(z => (double[])z.Clone()));
        NelderMead.Result? best = null;
        for (int start = 0; start < seeds.Count; start++)
        {
            var z = seeds[start];
            var r = NelderMead.Minimize(problem.Objective, z, [.. z.Select(_ => 0.4)], 1e-9, options.MaxEvaluations);
            control?.Trace.Add((start, problem.Evaluations, r.Value));
            if (control is { Converge: true })
            {
                bool settled = false;
                for (int restart = 0; restart < MaxRestarts && double.IsFinite(r.Value); restart++)
                {
                    var again = NelderMead.Minimize(problem.Objective, r.X, [.. r.X.Select(_ => 0.4)], 1e-9, options.MaxEvaluations);
                    control.Trace.Add((start, problem.Evaluations, Math.Min(again.Value, r.Value)));
                    bool gain = again.Value < r.Value - RestartTolerance * Math.Abs(r.Value);
                    if (again.Value < r.Value) r = again;
                    if (!gain) { settled = true; break; }
                }
                if (!settled && double.IsFinite(r.Value)) control.Converged = false;
            }
            if (best is null || r.Value < best.Value) best = r;
        }
        if (control is not null) control.Solution = best?.X;
        if (best is null || !double.IsFinite(best.Value))
            return new LawFit(law, new double[law.ParameterNames.Count], double.PositiveInfinity, 0, problem.Evaluations, false, "no finite fit");
        var (objective, parameters) = problem.Solve(best.X);
        return new LawFit(law, parameters, objective, 0, problem.Evaluations, true,
            $"variable projection ({(options.LrAxis is null ? options.Mechanism.Name : "LR axis fixed")}, {problem.Sizes} size(s){(problem.FitsLrScale ? ", gamma_eta fitted" : "")}{(problem.FitsLrData ? ", delta_eta fitted" : "")}{(problem.FitsLrBatch ? ", b_eta fitted" : problem.LrBatchHeld != 0 ? FormattableString.Invariant($", b_eta held at {problem.LrBatchHeld}") : "")}{(problem.FitsCostData ? ", omega (cost's data exponent) fitted" : "")}{(problem.FitsNoiseSize ? ", n_N fitted" : "")}{(problem.FitsNoiseMemory ? ", n_M fitted" : "")}{(problem.TiesBeta ? ", beta tied to alpha" : "")}{(problem.FitsLasting ? ", lasting G fitted" : "")}{(problem.FitsEdge ? options.StabilityEdge!.FixedHeight ? ", stability edge H at the plateau" : ", stability edge H fitted" : "")}{(double.IsNaN(power) ? FormattableString.Invariant($", noise power fitted ({JointLaw.NoisePower(parameters):G4})") : power != 1 ? FormattableString.Invariant($", noise power {power}") : "")}{(problem.FitsPeakPower ? FormattableString.Invariant($", noise power across peaks fitted ({JointLaw.NoisePower(parameters) + parameters[JointLaw.NoisePeakExponent] + JointLaw.TangentExponent(parameters):G4}{(problem.FitsTangent ? ", tangent inside a run" : "")})") : "")}{(problem.FitsLagPrior ? ", noise lags at the prior's shares" : "")}): Nelder-Mead on {problem.Dimension} nonlinear parameters, NNLS weights");
    }

    /// <summary>
    /// Whether <paramref name="curves"/> identify b_eta, the LR's batch scale (<see cref="JointLaw.LrBatchExponent"/>): two curves of the same model
    /// size N (ln N rounded to 6 digits equal; the fitter's size count <c>Sizes</c> counts exact distinct N instead, so two sizes that differ
    /// only past the 6th digit are one here and two there; an unknown N reads as N_ref through <see cref="JointLaw.SizeRatio"/>, so two
    /// unknown sizes are equal) and the same run length in tokens D (steps x
    /// stride x batch, ln D within 0.01) whose known batches differ (ln B by more than 0.01). Only then does a change of the batch at a fixed
    /// N and D reach the data (the Step Law grid); Marin's and the 124M grid's runs change the batch only with N or D, where b_eta would
    /// trade against gamma_eta, delta_eta and the progress exponent.
    /// </summary>
    public static bool LrBatchIdentified(IReadOnlyList<JointCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var known = curves.Where(c => c.BatchTokens > 0 && double.IsFinite(c.BatchTokens))
            .Select(c => (N: Math.Round(Math.Log(JointLaw.SizeRatio(c.ModelSize)), 6), LnD: Math.Log((double)c.History.Steps * c.Stride * c.BatchTokens), LnB: Math.Log(c.BatchTokens)))
            .ToList();
        for (int i = 0; i < known.Count; i++)
            for (int j = i + 1; j < known.Count; j++)
                if (known[i].N == known[j].N && Math.Abs(known[i].LnD - known[j].LnD) <= 0.01 && Math.Abs(known[i].LnB - known[j].LnB) > 0.01)
                    return true;
        return false;
    }

    /// <summary>
    /// Whether <paramref name="curves"/> identify the noise power p (<see cref="JointFitOptions.IdentifiedNoisePower"/>): p is how the
    /// noise level scales across peak LRs (floor F eta^p at a constant LR), and what measures the noise at one peak is the loss its
    /// decay removes. So p counts as identified when two or more distinct peak LRs (ln peak rounded to 6 digits, as the fitter's
    /// mechanism rule) each have a curve with an observation at or below half that curve's peak, at a step after the peak. Half the
    /// peak is the project's existing mark of a decay that was seen (the decay-term identification of <c>IdentifiedFitter</c>,
    /// docs/VALIDATION.md protocol 14d), not a new constant. One peak LR (protocols 2 and 10, one-LR plans) or decays seen at one
    /// peak only: not identified.
    /// </summary>
    public static bool NoisePowerIdentified(IReadOnlyList<JointCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var decayedAt = new HashSet<double>();
        foreach (var c in curves)
        {
            double peak = 0;
            int peakStep = 0;
            for (int t = 1; t <= c.History.Steps; t++)
            {
                double eta = c.History.Eta(t);
                if (eta > peak) { peak = eta; peakStep = t; }
            }
            if (!(peak > 0)) continue;
            foreach (int s in c.Steps)
                if (s > peakStep && s <= c.History.Steps && c.History.Eta(s) <= 0.5 * peak)
                {
                    decayedAt.Add(Math.Round(Math.Log(peak), 6));
                    break;
                }
        }
        return decayedAt.Count >= 2;
    }

    /// <summary>
    /// The fitted-power fit's free-lag columns u N_m(p) at <paramref name="power"/> for one curve (rows = its observed steps, no thinning), as the
    /// fitter interpolates them from its Chebyshev nodes: for tests against the exact features (<see cref="JointFeatures.Exact"/>).
    /// </summary>
    internal static double[,] InterpolatedNoise(JointCurve curve, double power)
    {
        var problem = new Problem([curve], new JointFitOptions { FitNoisePower = true, NoiseLagPrior = false }, double.NaN);
        return problem.NoiseColumns(power);
    }

    /// <summary>At most <paramref name="max"/> observations, evenly spaced by index, first and last kept.</summary>
    internal static JointCurve Thin(JointCurve curve, int max)
    {
        int n = curve.Steps.Length;
        if (max < 2 || n <= max) return curve;
        var index = Enumerable.Range(0, max).Select(i => (int)Math.Round(i * (n - 1.0) / (max - 1))).Distinct().ToArray();
        return curve with { Steps = [.. index.Select(i => curve.Steps[i])], Loss = [.. index.Select(i => curve.Loss[i])] };
    }

    private sealed class Problem
    {
        private readonly IReadOnlyList<JointCurve> _curves;
        private readonly JointFitOptions _options;
        private readonly CompressedHistory[] _compressed;
        private readonly double[] _y, _lnz, _rowWeight, _huber, _k;
        private readonly double[,] _noise;       // u N_m per row
        private readonly int[] _curveOf;
        private readonly double[] _uRow;         // u per row
        private readonly int[] _groupOf;         // row -> group column (GroupOffsets), else 0
        private readonly int _groups;
        private readonly int _rows, _m;
        private readonly double _betaFixed, _etaMax, _tauMax;
        private readonly bool _fitBeta;
        private readonly bool _fitLrScale;       // gamma_eta searched (JointFitOptions.LrSizeScale)
        private readonly double[] _curveLnz;     // ln z per curve
        private readonly bool _fitLrData;        // delta_eta searched (JointFitOptions.LrDataScale)
        private readonly bool _fitLrBatch;       // b_eta searched (JointFitOptions.LrBatchScale, identified)
        private readonly double _heldLrBatch;    // b_eta when not searched (JointFitOptions.LrBatchExponent with an LR mechanism, else 0)
        private readonly double[] _curveLnb;     // ln(B / B_ref) per curve (0 when the batch is unknown)
        private readonly bool _fitCostData;      // omega, the cost's data exponent, searched (JointFitOptions.CostDataScale)
        private readonly double[] _lnCost;       // ln(D_t / D_ref) per row for omega (the batch B_ref when unknown: JointLaw.CostTokens)
        private readonly bool _fitNoiseSize;     // n_N searched (JointFitOptions.NoiseSizeScale)
        private readonly bool _fitNoiseMemory;   // n_M searched (JointFitOptions.NoiseMemorySizeScale)
        private readonly bool _tieBeta;          // beta = alpha (JointFitOptions.TieOffsetExponent)
        private readonly double[] _etaPow;       // u eta^p per row: a free lag's floor (n_M; empty when n_M is not fitted)
        private readonly double[] _lnd;          // ln(D_t / D_ref) per row (0 when the batch is unknown)
        private readonly double[][] _tau;
        private readonly bool _spectrum;
        private readonly double[,] _rawT = new double[0, 0], _rawS = new double[0, 0];   // u N_L per row (spectrum)
        private readonly double[] _rawEta = [];                                            // u eta per row (spectrum)
        private readonly double[] _mixT = [], _mixS = [];
        private readonly bool _clock;
        private readonly double[] _clockRow = [];                                          // u M_clock per row (clock)
        private readonly double[][] _clockCurve = [];                                      // M_clock per curve and point
        private static readonly int ParameterCount = new JointLaw().ParameterNames.Count;

        private readonly double _power;          // p of the noise level eta^p (1: the law before); NaN: fitted (JointFitOptions.FitNoisePower)
        private readonly bool _fitPower;         // p searched with the nonlinear parameters
        private readonly bool _fitPeakPower;     // the power across peaks p + q searched (JointFitOptions.PeakNoisePower, identified)
        private readonly bool _tangent;          // ... in the tangent form, p = 1 (JointFitOptions.PeakNoiseTangent, identified)
        private readonly double[] _powerNodes = [], _powerBary = [];   // Chebyshev nodes in p and their barycentric weights
        private readonly double[][,] _noiseNodes = [];                 // u N_m(p_j) / eta_ref^p_j per node, row and lag
        private readonly double[] _lnRef = [], _lnEta = [];            // ln eta_ref (the curve's highest LR) and ln eta per row
        private readonly double[,] _noiseAtPower = new double[0, 0];   // u N_m(p) per row at the current p (scratch)
        private readonly double[] _etaPowAtPower = [];                 // u eta^p per row at the current p (scratch)
        private readonly int[] _activeLags = [];                       // the free lags whose columns a fitted-power fit uses (see the constructor)

        /// <summary>Number of Chebyshev nodes in p for the fitted noise power's features.</summary>
        internal const int PowerNodes = 16;
        private readonly bool _effectiveClock;   // the intrinsic-time lags on the effective step's clock (JointFitOptions.EffectiveStepClock, p fitted)
        private readonly bool _lagPrior;         // the free-lag weights at the prior's shares, one column (JointFitOptions.NoiseLagPrior, p fitted)
        private readonly bool _lasting;          // G of the lasting term fitted (JointFitOptions.LastingLr with saturation)
        private readonly bool _lastingOwn;       // its own scale kappa_l searched (JointFitOptions.LastingOwnScale)
        private readonly double[] _peak;         // the highest LR up to each row's step
        private readonly JointStabilityEdge? _edge;  // the stability edge (JointFitOptions.StabilityEdge, two or more peak LRs), else null
        private readonly double[] _edgePhi = [];      // phi(peak / eta_edge) per row

        public Problem(IReadOnlyList<JointCurve> curves, JointFitOptions options, double power)
        {
            _fitPower = double.IsNaN(power);
            // The effective step's clock (JointFitOptions.EffectiveStepClock) only where p is fitted (at p = 1 it is the law before).
            _effectiveClock = _fitPower && options.EffectiveStepClock && options.Noise == JointNoise.Free;
            // The lag spectrum's prior (JointFitOptions.NoiseLagPrior) only where p is fitted (elsewhere the twelve weights stay free);
            // with JointFitOptions.NoiseLagPriorNeedsCurves not where every curve is one observation (final losses: no time course).
            _lagPrior = _fitPower && options.NoiseLagPrior && options.Noise == JointNoise.Free
                && !(options.NoiseLagPriorNeedsCurves && curves.All(c => c.Steps.Length == 1));
            _tangent = options.PeakNoiseTangent && options.Noise == JointNoise.Free && power == 1;
            _fitPeakPower = (options.PeakNoisePower && options.Noise == JointNoise.Free) || _tangent;
            _power = _fitPower ? 1 : power;
            power = _power;
            _curves = curves;
            _options = options;
            _spectrum = options.Noise == JointNoise.Spectrum;
            _clock = options.Noise == JointNoise.Clock;
            _m = _spectrum ? 3 : _clock ? 2 : JointLaw.NoiseCount;
            Sizes = curves.Select(c => JointLaw.SizeRatio(c.ModelSize)).Distinct().Count();
            _tieBeta = options.TieOffsetExponent && Sizes >= 2 && !options.GroupOffsets;
            _fitBeta = Sizes >= 3 && options.OffsetExponent is null && !options.GroupOffsets && !_tieBeta;
            _betaFixed = options.OffsetExponent ?? Laws.SizeLawSpec.ChinchillaExponent;
            _fitLrScale = options.LrSizeScale && Sizes >= 2 && options.LrAxis is null && (options.Mechanism.Saturation || options.Mechanism.Cost);
            _curveLnz = [.. curves.Select(c => Math.Log(JointLaw.SizeRatio(c.ModelSize)))];
            _fitNoiseSize = options.NoiseSizeScale && Sizes >= 2;
            bool lrMechanism = options.LrAxis is null && (options.Mechanism.Saturation || options.Mechanism.Cost);
            if (!(double.IsFinite(options.LrBatchExponent) && Math.Abs(options.LrBatchExponent) <= 5))
                throw new ArgumentException($"JointFitOptions.LrBatchExponent must be finite with |b_eta| <= 5 (got {options.LrBatchExponent}).");
            _fitLrBatch = options.LrBatchScale && lrMechanism && LrBatchIdentified(curves);
            _heldLrBatch = !_fitLrBatch && lrMechanism ? options.LrBatchExponent : 0;
            _curveLnb = [.. curves.Select(c => c.BatchTokens > 0 && double.IsFinite(c.BatchTokens) ? Math.Log(c.BatchTokens / JointLaw.ReferenceBatch) : 0)];
            _fitNoiseMemory = options.NoiseMemorySizeScale && Sizes >= 2;
            _lnd = [.. curves.SelectMany(c => c.Steps.Select(s => c.BatchTokens > 0 && double.IsFinite(c.BatchTokens) ? Math.Log((double)s * c.Stride * c.BatchTokens / JointLaw.ReferenceTokens) : 0))];
            _fitLrData = options.LrDataScale && options.LrAxis is null && (options.Mechanism.Saturation || options.Mechanism.Cost)
                && _lnd.Select(x => Math.Round(x, 6)).Distinct().Count() >= 2;
            // omega (JointLaw.CostDataExponent): only with the cost fitted and curves of two or more horizons (schedule lengths).
            _lnCost = [.. curves.SelectMany(c => c.Steps.Select(s => Math.Log(JointLaw.CostTokens((double)s * c.Stride, c.BatchTokens) / JointLaw.ReferenceTokens)))];
            _fitCostData = options.CostDataScale && options.LrAxis is null && options.Mechanism.Cost
                && curves.Select(c => (long)c.History.Steps * c.Stride).Distinct().Count() >= 2;
            _lasting = options.LastingLr && options.LrAxis is null && options.Mechanism.Saturation;
            _lastingOwn = _lasting && options.LastingOwnScale;
            _rows = curves.Sum(c => c.Steps.Length);
            _peak = new double[_rows];
            // The edge term needs peaks that differ (with one peak LR its column is a constant per size, the offset's).
            options.StabilityEdge?.Validate();
            _edge = options.StabilityEdge is { } edgeSpec && curves.Select(c => Math.Round(Math.Log(JointLawSelection.Peak(c)), 6)).Distinct().Count() >= 2 ? edgeSpec : null;
            if (_edge is not null) _edgePhi = new double[_rows];
            _y = new double[_rows];
            _etaPow = _fitNoiseMemory ? new double[_rows] : [];
            _lnz = new double[_rows];
            _rowWeight = new double[_rows];
            _huber = Enumerable.Repeat(1.0, _rows).ToArray();
            _k = new double[_rows];
            _noise = new double[_spectrum || _clock ? 0 : _rows, JointLaw.NoiseCount];
            int mt = NoiseSpectrum.TimeLags.Length, ms = NoiseSpectrum.StepLags.Length;
            if (_spectrum)
            {
                _rawT = new double[_rows, mt];
                _rawS = new double[_rows, ms];
                _rawEta = new double[_rows];
                _mixT = new double[_rows];
                _mixS = new double[_rows];
            }
            if (_clock)
            {
                _rawEta = new double[_rows];
                _clockRow = new double[_rows];
                _clockCurve = [.. curves.Select(c => new double[c.Steps.Length])];
            }
            _curveOf = new int[_rows];
            _uRow = new double[_rows];
            _groupOf = new int[_rows];
            var groupIndex = new Dictionary<string, int>();
            if (options.GroupOffsets)
                foreach (var c in curves)
                {
                    string key = c.Group ?? throw new ArgumentException($"{c.Name}: GroupOffsets needs every curve's group.");
                    if (!groupIndex.ContainsKey(key)) groupIndex[key] = groupIndex.Count;
                }
            _groups = Math.Max(1, groupIndex.Count);
            _compressed = new CompressedHistory[curves.Count];
            _tau = [.. curves.Select(c => new double[c.Steps.Length])];
            double meanPoints = (double)_rows / curves.Count;
            var features = new JointFeatures[curves.Count];
            var raw = new (double[,] Time, double[,] Steps, double[] Eta)[curves.Count];
            // With p fitted the free-lag columns come from the power nodes (PowerFeatures), so the levels at p = 1 are not computed.
            bool structured = _spectrum || _clock, spectrum = _spectrum, fitPower = _fitPower;
            Parallel.For(0, curves.Count, ci =>
            {
                features[ci] = JointFeatures.Exact(curves[ci].History, curves[ci].Steps, 0, curves[ci].Stride, freeNoise: !structured && !fitPower, noisePower: power);
                if (spectrum) raw[ci] = NoiseSpectrum.Features(curves[ci].History, curves[ci].Steps, curves[ci].Stride);
                _compressed[ci] = new CompressedHistory(curves[ci].History, curves[ci].Steps, curves[ci].Stride);
            });
            int row = 0;
            for (int ci = 0; ci < curves.Count; ci++)
            {
                var c = curves[ci];
                double u = JointLaw.BatchFactor(c.BatchTokens), lnz = Math.Log(JointLaw.SizeRatio(c.ModelSize));
                double w = options.WeightCurvesEqually ? meanPoints / c.Steps.Length : 1;
                for (int i = 0; i < c.Steps.Length; i++, row++)
                {
                    _y[row] = c.Loss[i];
                    if (_fitNoiseMemory) _etaPow[row] = u * (power == 1 ? features[ci].Eta[i] : Math.Pow(features[ci].Eta[i], power));
                    _lnz[row] = lnz;
                    _rowWeight[row] = w;
                    _k[row] = features[ci].K[i];
                    _peak[row] = features[ci].Peak[i];
                    if (_edge is { } e)
                    {
                        double tokens = c.BatchTokens > 0 && double.IsFinite(c.BatchTokens) ? (double)c.Steps[i] * c.Stride * c.BatchTokens : double.NaN;
                        _edgePhi[row] = JointStabilityEdge.Phi(_peak[row], e.LnEdgeAt(c.ModelSize, c.BatchTokens, tokens), e.Slope);
                    }
                    if (_spectrum)
                    {
                        for (int a = 0; a < mt; a++) _rawT[row, a] = u * raw[ci].Time[i, a];
                        for (int a = 0; a < ms; a++) _rawS[row, a] = u * raw[ci].Steps[i, a];
                        _rawEta[row] = u * raw[ci].Eta[i];
                    }
                    else if (_clock)
                        _rawEta[row] = u * features[ci].Eta[i];
                    else
                        for (int a = 0; a < _m; a++) _noise[row, a] = u * features[ci].Noise[i, a];
                    _curveOf[row] = ci;
                    _groupOf[row] = options.GroupOffsets ? groupIndex[c.Group!] : 0;
                    _uRow[row] = u;
                }
            }
            // The free lags a fitted-power fit reads: with the lag prior only those of non-zero share (the one mixed column adds
            // s_m u N_m, and a lag of share 0 adds +-0 to it: the same sum bit for bit whether or not its level is computed), else all.
            _activeLags = [.. Enumerable.Range(0, JointLaw.NoiseCount).Where(a => !_lagPrior || NoiseLagPrior.Shares[a] != 0)];
            if (_fitPower) (_powerNodes, _powerBary, _noiseNodes, _lnRef, _lnEta, _noiseAtPower, _etaPowAtPower) = PowerFeatures(curves, features);
            _etaMax = curves.Max(c => Enumerable.Range(1, c.History.Steps).Max(t => c.History.Eta(t)));
            _tauMax = curves.Max(c => c.Stride * c.History.S1(c.Steps[^1]));
        }

        /// <summary>
        /// The free-lag features at Chebyshev-Lobatto nodes p_j of [<see cref="JointFitOptions.FittedPowerLo"/>, <see cref="JointFitOptions.FittedPowerHi"/>],
        /// each row divided by eta_ref^p_j (eta_ref its curve's highest LR), for the fitted noise power. Why this is exact enough:
        /// N_m(t; p) / eta_ref^p = sum_k c_k (eta_k / eta_ref)^p with c_k &gt;= 0, sum c_k &lt;= 1 (the relaxation's weights) and
        /// eta_k / eta_ref &lt;= 1, a mixture of exp(-p y), y &gt;= 0, each bounded by 1 on the interval; its polynomial interpolant at
        /// 16 Chebyshev nodes over a p-interval of half-width 0.65 is within about 1e-9 of it for every y (the Chebyshev coefficients
        /// of exp(-p y) fall as (0.65 y / 2)^n / n! against its size exp(-0.2 y)), so the fit's noise columns are those of the law at p
        /// to well below the losses' noise (unit test: the fit's objective equals the law's own objective at the fitted parameters). With
        /// the effective step's clock (<see cref="JointFitOptions.EffectiveStepClock"/>) each node's features use that node's clock, so the
        /// decays depend on p too; the levels stay smooth in p and the same unit test covers that case.
        /// The law itself (<see cref="JointLaw.Predict(ReadOnlySpan{double}, ScheduleHistory, double, double, ReadOnlySpan{int}, Span{double}, int)"/>)
        /// evaluates the features at p exactly.
        /// </summary>
        private (double[] Nodes, double[] Bary, double[][,] Noise, double[] LnRef, double[] LnEta, double[,] Scratch, double[] EtaScratch) PowerFeatures(
            IReadOnlyList<JointCurve> curves, JointFeatures[] atOne)
        {
            const int n = PowerNodes;
            double lo = JointFitOptions.FittedPowerLo, hi = JointFitOptions.FittedPowerHi;
            var nodes = new double[n];
            var bary = new double[n];
            for (int j = 0; j < n; j++)
            {
                nodes[j] = 0.5 * (lo + hi) + 0.5 * (hi - lo) * Math.Cos(Math.PI * j / (n - 1));
                bary[j] = (j % 2 == 0 ? 1 : -1) * (j == 0 || j == n - 1 ? 0.5 : 1);
            }
            var lnRef = new double[_rows];
            var lnEta = new double[_rows];
            var rowOf = new int[curves.Count];
            for (int ci = 0, r = 0; ci < curves.Count; r += curves[ci].Steps.Length, ci++)
            {
                rowOf[ci] = r;
                var c = curves[ci];
                double top = Enumerable.Range(1, c.History.Steps).Max(t => c.History.Eta(t));
                for (int i = 0; i < c.Steps.Length; i++)
                {
                    lnRef[r + i] = Math.Log(top);
                    lnEta[r + i] = atOne[ci].Eta[i] > 0 ? Math.Log(atOne[ci].Eta[i]) : double.NegativeInfinity;
                }
            }
            var noise = new double[n][,];
            for (int j = 0; j < n; j++) noise[j] = new double[_rows, JointLaw.NoiseCount];
            var lagMask = new bool[JointLaw.NoiseCount];
            for (int a = 0; a < lagMask.Length; a++) lagMask[a] = _activeLags.Contains(a);
            // Without the effective step's clock the decays do not depend on p: all nodes of a curve in one pass (JointFeatures.FreeLagLevels,
            // the same levels as Exact's bit for bit); with it, one exact pass per node.
            Parallel.For(0, curves.Count, ci =>
            {
                var c = curves[ci];
                var levels = _effectiveClock
                    ? [.. nodes.Select(pj => JointFeatures.Exact(c.History, c.Steps, 0, c.Stride, noisePower: pj, effectiveClock: true).Noise)]
                    : JointFeatures.FreeLagLevels(c.History, c.Steps, c.Stride, nodes, lagMask);
                double u = JointLaw.BatchFactor(c.BatchTokens);
                for (int j = 0; j < n; j++)
                {
                    double pj = nodes[j];
                    var at = noise[j];
                    for (int i = 0; i < c.Steps.Length; i++)
                    {
                        double scale = u * Math.Exp(-pj * lnRef[rowOf[ci] + i]);
                        foreach (int a in _activeLags) at[rowOf[ci] + i, a] = scale * levels[j][i, a];
                    }
                }
            });
            return (nodes, bary, noise, lnRef, lnEta, new double[_rows, JointLaw.NoiseCount], new double[_rows]);
        }

        /// <summary>The free-lag columns u N_m(p) and the floors u eta^p at noise power p, interpolated (barycentric formula) from the nodes.</summary>
        private void NoiseAtPower(double power)
        {
            int n = _powerNodes.Length, exact = Array.IndexOf(_powerNodes, power);
            var l = new double[n];
            if (exact >= 0) l[exact] = 1;
            else
            {
                double sum = 0;
                for (int j = 0; j < n; j++) sum += l[j] = _powerBary[j] / (power - _powerNodes[j]);
                for (int j = 0; j < n; j++) l[j] /= sum;
            }
            for (int r = 0; r < _rows; r++)
            {
                double scale = Math.Exp(power * _lnRef[r]);
                foreach (int a in _activeLags)
                {
                    double v = 0;
                    for (int j = 0; j < n; j++) v += l[j] * _noiseNodes[j][r, a];
                    _noiseAtPower[r, a] = scale * v;
                }
                _etaPowAtPower[r] = double.IsNegativeInfinity(_lnEta[r]) ? 0 : _uRow[r] * Math.Exp(power * _lnEta[r]);
            }
        }

        /// <summary>A copy of the free-lag columns at noise power p (the fitted-power interpolation).</summary>
        internal double[,] NoiseColumns(double power)
        {
            NoiseAtPower(power);
            return (double[,])_noiseAtPower.Clone();
        }

        public int Sizes { get; }

        /// <summary>Whether gamma_eta, the LR's size scale, is searched.</summary>
        public bool FitsLrScale => _fitLrScale;

        /// <summary>Whether b_eta, the LR's batch scale, is searched.</summary>
        public bool FitsLrBatch => _fitLrBatch;

        /// <summary>b_eta when it is not searched (0 unless a prior is given and an LR mechanism is fitted).</summary>
        public double LrBatchHeld => _heldLrBatch;

        /// <summary>Whether n_N, the noise's size exponent, is searched.</summary>
        public bool FitsNoiseSize => _fitNoiseSize;

        /// <summary>Whether n_M, the noise memory's size exponent, is searched.</summary>
        public bool FitsNoiseMemory => _fitNoiseMemory;

        /// <summary>Whether beta is tied to alpha.</summary>
        public bool TiesBeta => _tieBeta;

        /// <summary>Whether delta_eta, the LR's data scale, is searched.</summary>
        public bool FitsLrData => _fitLrData;

        /// <summary>Whether omega, the cost's data exponent, is searched.</summary>
        public bool FitsCostData => _fitCostData;

        /// <summary>Whether H, the stability edge's height, is fitted (a bounded linear column).</summary>
        public bool FitsEdge => _edge is not null;

        /// <summary>Whether G, the lasting term's weight, is fitted (a linear column).</summary>
        public bool FitsLasting => _lasting;

        /// <summary>Whether the noise's power across peaks (p + q, <see cref="JointLaw.NoisePeakExponent"/>) is searched.</summary>
        public bool FitsPeakPower => _fitPeakPower;

        /// <summary>Whether the power across peaks is in the tangent form (<see cref="JointLaw.NoiseTangentExponent"/>).</summary>
        public bool FitsTangent => _tangent;

        /// <summary>Whether the free-lag weights keep the prior's shares (<see cref="JointFitOptions.NoiseLagPrior"/>).</summary>
        public bool FitsLagPrior => _lagPrior;

        public int Evaluations { get; private set; }

        private JointMechanism Mechanism => _options.Mechanism;

        private bool SizeTerms => Sizes >= 2;

        private bool OffsetTerm => SizeTerms && !_options.GroupOffsets;

        public int Dimension => 2 + (Mechanism.Saturation ? 1 : 0) + (SizeTerms ? (Mechanism.Cost ? 2 : 1) : 0) + (_fitLrScale ? 1 : 0) + (_fitLrData ? 1 : 0) + (_fitLrBatch ? 1 : 0) + (_fitCostData ? 1 : 0) + (_fitBeta ? 1 : 0) + (_spectrum || _clock ? 3 : 0) + (_fitNoiseSize ? 1 : 0) + (_fitNoiseMemory ? 1 : 0) + (_fitPower ? 1 : 0) + (_fitPeakPower ? 1 : 0) + (_lastingOwn ? 1 : 0);

        public List<double[]> Seeds()
        {
            var grid = new List<(double[] Z, double Value)>();
            // The kernel's seeds: a scale near the middle of each grid in log (1e-2 intrinsic time, 1,000 steps) and
            // b of 0.5 or 1.5 (the Multi-Power Law's fitted beta lie in between). The clock's: gamma 0.5 and beta 0.6
            // (near the MPL's published fits, 0.63-0.66 and 0.58-0.60), C' of 1e2 or 1e4 (the published fits have
            // C' = C eta^-gamma S of about 2e3 at their peak LR 3e-4 and 24,000 steps).
            foreach (double alpha in new[] { 0.3, 0.7 })
                foreach (double sw in new[] { 0.01, 0.1 })
                    foreach (double kappa in Mechanism.Saturation ? new[] { 0.3, 3.0 } : [0.0])
                    foreach (double b in _spectrum ? new[] { 0.5, 1.5 } : _clock ? new[] { 1e2, 1e4 } : [0.0])
                    foreach (double power in _fitPower ? new[] { 0.5, 1.0 } : [double.NaN])
                    foreach (double across in _fitPeakPower ? new[] { 0.5, 1.0 } : [double.NaN])
                    {
                        var z = new List<double> { Math.Log(alpha), Math.Log(sw * Math.Max(_tauMax, 1e-12)) };
                        if (Mechanism.Saturation) z.Add(Math.Log(kappa / Math.Max(_etaMax, 1e-12)));
                        if (SizeTerms) z.Add(0);
                        if (SizeTerms && Mechanism.Cost) z.Add(0);
                        if (_fitLrScale) z.Add(0);
                        if (_fitLrData) z.Add(0);
                        if (_fitLrBatch) z.Add(0);
                        if (_fitCostData) z.Add(0);
                        if (_fitBeta) z.Add(Math.Log(_betaFixed));
                        if (_spectrum)
                        {
                            z.Add(Math.Log(1e-2));
                            z.Add(Math.Log(1e3));
                            z.Add(Math.Log(b));
                        }
                        if (_clock)
                        {
                            z.Add(Math.Log(b));
                            z.Add(Math.Log(0.6));
                            z.Add(0.5);
                        }
                        if (_fitNoiseSize) z.Add(0);
                        if (_fitNoiseMemory) z.Add(0);
                        // The fitted noise power's seeds: 1 (the law as validated) and 0.5 (the grid's choice on protocols 3 and 8).
                        if (_fitPower) z.Add(power);
                        // The power across peaks' seeds: the same two, 0.5 and 1 (q = 0 at p = 1: the law as validated).
                        if (_fitPeakPower) z.Add(across);
                        // kappa_l's seed: the lasting term half-saturated at the highest LR in the data.
                        if (_lastingOwn) z.Add(Math.Log(1 / Math.Max(_etaMax, 1e-12)));
                        grid.Add(([.. z], Objective([.. z])));
                    }
            return [.. grid.OrderBy(g => g.Value).Take(2).Select(g => g.Z)];
        }

        public double Objective(double[] z) => Solve(z).Objective;

        public (double Objective, double[] Parameters) Solve(double[] z)
        {
            Evaluations++;
            int j = 0;
            double alpha = Math.Exp(z[j++]), sw = Math.Exp(z[j++]);
            var axis = _options.LrAxis;
            double kappa = Mechanism.Saturation ? Math.Exp(z[j++]) : axis?.Kappa ?? 0;
            double aN = SizeTerms ? z[j++] : 0;
            double cN = SizeTerms && Mechanism.Cost ? z[j++] : 0;
            double gamma = _fitLrScale ? z[j++] : 0;
            double delta = _fitLrData ? z[j++] : 0;
            double bEta = _fitLrBatch ? z[j++] : _heldLrBatch;
            double omega = _fitCostData ? z[j++] : 0;
            double beta = _fitBeta ? Math.Exp(z[j++]) : _betaFixed;
            double lambdaT = _spectrum ? Math.Exp(z[j++]) : 1e-2, lambdaS = _spectrum ? Math.Exp(z[j++]) : 1e3, shape = _spectrum ? Math.Exp(z[j++]) : 1;
            double clockScale = _clock ? Math.Exp(z[j++]) : 0, clockShape = _clock ? Math.Exp(z[j++]) : 0, clockExponent = _clock ? z[j++] : 0;
            double nN = _fitNoiseSize ? z[j++] : 0;
            double nM = _fitNoiseMemory ? z[j++] : 0;
            double power = _fitPower ? z[j++] : _power;
            if (_fitPower && !(power >= JointFitOptions.FittedPowerLo && power <= JointFitOptions.FittedPowerHi))
                return (double.PositiveInfinity, []);
            // The power across peaks p + q in the fitted power's declared bounds; q = its excess over the within-run power p.
            double across = _fitPeakPower ? z[j++] : power;
            // The tangent form's r at most 1 (its intercept (1 - r) F x_hat^r, the floor no cooldown removes, not negative).
            if (_fitPeakPower && !(across >= JointFitOptions.FittedPowerLo && across <= (_tangent ? 1 : JointFitOptions.FittedPowerHi)))
                return (double.PositiveInfinity, []);
            double q = across - power;
            // The tie (JointFitOptions.TieOffsetExponent): the offset's size exponent is the progress term's data exponent.
            if (_tieBeta) beta = alpha;
            // The lasting term's scale: its own (searched, at least LastingScaleFloor / eta_max: bounded within ~10x the data's highest LR), else the saturation's.
            double kappaL = _lastingOwn ? Math.Exp(z[j++]) : kappa;
            if (_lastingOwn && !(kappaL >= JointFitOptions.LastingScaleFloor / Math.Max(_etaMax, 1e-300) && kappaL < 1e12))
                return (double.PositiveInfinity, []);
            if (!(alpha is > 1e-3 and < 10) || !(sw is > 1e-12 and < 1e12) || !(kappa < 1e12) || Math.Abs(aN) > 5 || Math.Abs(cN) > 5 || Math.Abs(gamma) > 5 || Math.Abs(delta) > 5 || Math.Abs(bEta) > 5 || Math.Abs(omega) > JointFitOptions.CostDataExponentBound || !(beta is > 0.01 and < 3) || Math.Abs(nN) > 5 || Math.Abs(nM) > 5)
                return (double.PositiveInfinity, []);
            if (_spectrum)
            {
                var (tLo, tHi) = NoiseSpectrum.ScaleRange(false);
                var (sLo, sHi) = NoiseSpectrum.ScaleRange(true);
                if (!(lambdaT >= tLo && lambdaT <= tHi) || !(lambdaS >= sLo && lambdaS <= sHi) || !(shape is >= NoiseSpectrum.ShapeLo and <= NoiseSpectrum.ShapeHi))
                    return (double.PositiveInfinity, []);
                NoiseSpectrum.Mix((_rawT, _rawS, _rawEta), lambdaT, lambdaS, shape, _mixT, _mixS);
            }
            double clockC = 0;
            if (_clock)
            {
                if (!(clockScale is >= 1e-3 and <= 1e9) || !(clockShape is >= NoiseClock.ShapeLo and <= NoiseClock.ShapeHi)
                    || !(clockExponent is >= NoiseClock.ExponentLo and <= NoiseClock.ExponentHi))
                    return (double.PositiveInfinity, []);
                clockC = clockScale * Math.Pow(_etaMax, clockExponent) / Math.Max(_tauMax, 1e-300);
                if (!(clockC > 0 && double.IsFinite(clockC))) return (double.PositiveInfinity, []);
                Parallel.For(0, _curves.Count, ci =>
                    NoiseClock.Level(_curves[ci].History, _curves[ci].Steps, _curves[ci].Stride, clockC, clockShape, clockExponent, _clockCurve[ci]));
                var pointOf = new int[_curves.Count];
                for (int r = 0; r < _rows; r++)
                {
                    int ci = _curveOf[r];
                    _clockRow[r] = _uRow[r] * _clockCurve[ci][pointOf[ci]++];
                }
            }
            // LR units x = s eta per curve, s = z^gamma_eta (B/B_ref)^-b_eta (1 unless fitted or held): sum x/(1 + kappa x) = s sum eta/(1 + kappa s eta).
            // With delta_eta, s = z^gamma_eta d^delta_eta differs per observation: tau once per row (each at its own kappa s).
            var lrScale = new double[_rows];
            var tauRow = new double[_rows];
            for (int ci = 0, r0 = 0; ci < _curves.Count; r0 += _tau[ci].Length, ci++)
            {
                double sc = _fitLrScale ? Math.Exp(gamma * _curveLnz[ci]) : 1;
                // The batch scale (B/B_ref)^-b_eta (JointLaw.LrBatchExponent); skipped at b_eta = 0, so s is as before bit for bit.
                if (bEta != 0) sc *= Math.Exp(-bEta * _curveLnb[ci]);
                if (!_fitLrData)
                {
                    _compressed[ci].Tau(kappa * sc, _tau[ci]);
                    for (int i = 0; i < _tau[ci].Length; i++) (lrScale[r0 + i], tauRow[r0 + i]) = (sc, _tau[ci][i]);
                }
                else
                    for (int i = 0; i < _tau[ci].Length; i++)
                    {
                        double s = sc * Math.Exp(delta * _lnd[r0 + i]);
                        _compressed[ci].Tau(kappa * s, _tau[ci]);
                        (lrScale[r0 + i], tauRow[r0 + i]) = (s, _tau[ci][i]);
                    }
            }
            // Columns: 1 (or one indicator per group), z^-beta - 1 (sizes), z^-a_N (tau + s_w)^-alpha, z^c_N K (cost), u N_m
            // (with the lag prior one noise column, u sum_m s_m N_m: JointFitOptions.NoiseLagPrior).
            int mCols = _lagPrior ? 1 : _m;
            int g0 = _groups, offsetCol = OffsetTerm ? g0 : -1, progressCol = g0 + (OffsetTerm ? 1 : 0), costCol = Mechanism.Cost ? progressCol + 1 : -1;
            int firstNoise = progressCol + (Mechanism.Cost ? 2 : 1), lastingCol = _lasting ? firstNoise + mCols : -1;
            int edgeCol = _edge is null ? -1 : firstNoise + mCols + (_lasting ? 1 : 0), n = firstNoise + mCols + (_lasting ? 1 : 0) + (_edge is null ? 0 : 1);
            var shares = NoiseLagPrior.Shares;
            // Column-major design (one array per column: the normal equations are SIMD dot products over rows).
            var design = new double[n][];
            for (int a = 0; a < n; a++) design[a] = new double[_rows];
            if (_fitPower) NoiseAtPower(power);
            double[,] noiseColumns = _fitPower ? _noiseAtPower : _noise;
            double[] etaPow = _fitPower ? _etaPowAtPower : _etaPow;
            for (int r = 0; r < _rows; r++)
            {
                double lnz = _lnz[r];
                design[_groupOf[r]][r] = 1;
                if (offsetCol >= 0) design[offsetCol][r] = Math.Exp(-beta * lnz) - 1;
                // With a fixed LR axis its cost rides on the progress amplitude: A z^-a_N [(tau + s_w)^-alpha + c_hat (tau_ref + s_w)^-alpha K / eta_ref].
                double s = lrScale[r];
                double progress = Math.Pow(s * tauRow[r] + sw, -alpha) + (axis is null ? 0 : axis.CostPerAmplitude(alpha, sw) * _k[r]);
                design[progressCol][r] = Math.Exp(-aN * lnz) * progress;
                // The cost's data factor (D_t/D_ref)^omega (JointLaw.CostDataExponent; exactly 1 when omega is 0).
                if (costCol >= 0) design[costCol][r] = Math.Exp(cN * lnz) * (omega != 0 ? Math.Exp(omega * _lnCost[r]) : 1) * s * _k[r];
                if (_spectrum)
                {
                    design[firstNoise][r] = _rawEta[r];
                    design[firstNoise + 1][r] = _mixT[r] - _rawEta[r];
                    design[firstNoise + 2][r] = _mixS[r] - _rawEta[r];
                }
                else if (_clock)
                {
                    design[firstNoise][r] = _rawEta[r];
                    design[firstNoise + 1][r] = _clockRow[r] - _rawEta[r];
                }
                else if (_lagPrior)
                {
                    // The prior's spectrum: sum_m s_m u N_m (the shares sum to 1, so the floor u eta^p and the factors below act on it as on each lag).
                    double mixed = 0;
                    for (int a = 0; a < _m; a++) mixed += shares[a] * noiseColumns[r, a];
                    design[firstNoise][r] = mixed;
                }
                else
                    for (int a = 0; a < _m; a++) design[firstNoise + a][r] = noiseColumns[r, a];
                // The memory's size factor z^n_M (JointLaw.MemorySizedNoise): a free lag's column u N_m becomes u (eta^p + z^n_M (N_m - eta^p));
                // the spectrum's and clock's memory columns (M - eta) are multiplied by it, their floor column (eta) is not.
                if (nM != 0)
                {
                    double zm = Math.Exp(nM * lnz);
                    if (_spectrum || _clock)
                        for (int a = firstNoise + 1; a < firstNoise + _m; a++) design[a][r] *= zm;
                    else
                        for (int a = firstNoise; a < firstNoise + mCols; a++) design[a][r] = etaPow[r] + zm * (design[a][r] - etaPow[r]);
                }
                // The tangent form (JointLaw.NoiseTangentExponent, r = 1 + q): a free lag's column u N_m becomes u (r N_m + (1 - r) x_hat), raw peak.
                if (_tangent && q != 0)
                    for (int a = firstNoise; a < firstNoise + mCols; a++) design[a][r] = (1 + q) * design[a][r] - q * _uRow[r] * _peak[r];
                // The noise's factors: LR units s^p and, with n_N, the size z^n_N (JointLaw.Combine); not the lasting column.
                double sn = (s != 1 ? JointLaw.NoiseScale(s, power) : 1) * (nN != 0 ? Math.Exp(nN * lnz) : 1);
                // The peak factor x_hat^q (JointLaw.PeakNoiseFactor), x_hat = s times the highest LR so far.
                if (q != 0 && _peak[r] > 0) sn *= Math.Pow(s * _peak[r], q);
                if (sn != 1)
                    for (int a = firstNoise; a < firstNoise + mCols; a++) design[a][r] *= sn;
                // The lasting term G g(s peak) (JointLaw.LastingWeight), not scaled by the batch: a property of the peak, not the noise.
                if (lastingCol >= 0) design[lastingCol][r] = JointLaw.LastingFeature(s * _peak[r], kappaL);
                // The edge term H phi(peak / eta_edge) (JointLaw.EdgeHeight): raw peak, edge given; not scaled by the batch or the LR units.
                if (edgeCol >= 0) design[edgeCol][r] = _edgePhi[r];
            }
            bool[] constrained = [.. Enumerable.Repeat(false, g0), .. Enumerable.Repeat(true, n - g0)];
            if (lastingCol >= 0) constrained[lastingCol] = false;   // G of free sign
            double[] bestX = [];
            double objective = double.PositiveInfinity;
            double weightSum = 0;
            for (int r = 0; r < _rows; r++) weightSum += _rowWeight[r];
            var weighted = new double[_rows];
            var scratch = new double[_rows];
            for (int iteration = 0; iteration < 10; iteration++)
            {
                var g = new double[n, n];
                var c = new double[n];
                for (int r = 0; r < _rows; r++) weighted[r] = _rowWeight[r] * _huber[r] / (_y[r] * _y[r]);
                for (int a = 0; a < n; a++)
                {
                    // Group indicator columns (GroupOffsets) are disjoint: their products with each other are 0.
                    var wa = scratch.AsSpan();
                    var col = design[a];
                    for (int r = 0; r < _rows; r++) wa[r] = weighted[r] * col[r];
                    c[a] = DotProducts.Dot(wa, _y);
                    for (int b = a; b < n; b++) g[a, b] = a < g0 && b < g0 && a != b ? 0 : DotProducts.Dot(wa, design[b]);
                }
                for (int a = 0; a < n; a++)
                    for (int b = 0; b < a; b++) g[a, b] = g[b, a];
                var x = NonNegativeLeastSquares.SolveNormal(g, c, constrained);
                if (edgeCol >= 0 && (_edge!.FixedHeight || x[edgeCol] > _edge.MaxHeight)) x = FixColumn(g, c, constrained, edgeCol, _edge.MaxHeight);
                double total = 0;
                bool changed = false;
                for (int r = 0; r < _rows; r++)
                {
                    double prediction = 0;
                    for (int a = 0; a < n; a++) prediction += design[a][r] * x[a];
                    double res = Math.Abs((prediction - _y[r]) / _y[r]);
                    total += _rowWeight[r] * (res <= _options.HuberDelta ? 0.5 * res * res : _options.HuberDelta * (res - 0.5 * _options.HuberDelta));
                    double weight = res <= _options.HuberDelta ? 1 : _options.HuberDelta / res;
                    if (Math.Abs(weight - _huber[r]) > 1e-3 * _huber[r]) changed = true;
                    _huber[r] = weight;
                }
                double next = total / weightSum;
                bool settled = !changed || Math.Abs(objective - next) <= 1e-12 * next;
                if (next < objective) (objective, bestX) = (next, x);
                if (settled) break;
            }
            if (bestX.Length == 0 || bestX.Any(v => !double.IsFinite(v))) return (double.PositiveInfinity, []);
            var p = new double[ParameterCount];
            if (_groups == 1) p[JointLaw.E] = bestX[0];
            else
            {
                var count = new double[_groups];
                for (int r = 0; r < _rows; r++) count[_groupOf[r]] += 1;
                for (int k = 0; k < _groups; k++) p[JointLaw.E] += bestX[k] * count[k] / _rows;
            }
            p[JointLaw.OffsetReducible] = offsetCol >= 0 ? bestX[offsetCol] : 0;
            p[JointLaw.Beta] = beta;
            p[JointLaw.A] = bestX[progressCol];
            p[JointLaw.Alpha] = alpha;
            p[JointLaw.Sw] = sw;
            p[JointLaw.ProgressExponent] = aN;
            p[JointLaw.Kappa] = kappa;
            p[JointLaw.C] = costCol >= 0 ? bestX[costCol] : axis is null ? 0 : bestX[progressCol] * axis.CostPerAmplitude(alpha, sw);
            p[JointLaw.CostExponent] = axis is null ? cN : -aN;
            p[JointLaw.LrSizeExponent] = gamma;
            p[JointLaw.LrDataExponent] = delta;
            p[JointLaw.LrBatchExponent] = bEta;
            p[JointLaw.CostDataExponent] = omega;
            if (_spectrum)
            {
                p[JointLaw.NoiseTimeWeight] = bestX[firstNoise + 1];
                p[JointLaw.NoiseStepWeight] = bestX[firstNoise + 2];
                p[JointLaw.NoiseLevel] = bestX[firstNoise] - bestX[firstNoise + 1] - bestX[firstNoise + 2];
            }
            else if (_clock)
            {
                p[JointLaw.ClockWeight] = bestX[firstNoise + 1];
                p[JointLaw.NoiseLevel] = bestX[firstNoise] - bestX[firstNoise + 1];
                p[JointLaw.ClockScale] = clockC;
                p[JointLaw.ClockShape] = clockShape;
                p[JointLaw.ClockExponent] = clockExponent;
            }
            else if (_lagPrior)
                for (int a = 0; a < _m; a++) p[JointLaw.FirstNoise + a] = shares[a] * bestX[firstNoise];
            else
                for (int a = 0; a < _m; a++) p[JointLaw.FirstNoise + a] = bestX[firstNoise + a];
            // The kernel's parameters are stored in either case (unused when their weights are 0).
            p[JointLaw.NoiseTimeScale] = lambdaT;
            p[JointLaw.NoiseStepScale] = lambdaS;
            p[JointLaw.NoiseShape] = shape;
            p[JointLaw.NoisePowerLog] = power == 1 ? 0 : Math.Log(power);
            p[JointLaw.NoiseSizeExponent] = nN;
            p[JointLaw.NoiseMemorySizeExponent] = nM;
            if (_effectiveClock) p[JointLaw.NoiseClockPower] = 1;
            p[_tangent ? JointLaw.NoiseTangentExponent : JointLaw.NoisePeakExponent] = q;
            p[JointLaw.LastingWeight] = lastingCol >= 0 ? bestX[lastingCol] : 0;
            p[JointLaw.LastingScale] = lastingCol >= 0 ? kappaL : 0;
            if (edgeCol >= 0 && bestX[edgeCol] != 0)
            {
                var e = _edge!;
                (p[JointLaw.EdgeHeight], p[JointLaw.EdgeLn], p[JointLaw.EdgeSizeExponent], p[JointLaw.EdgeBatchExponent], p[JointLaw.EdgeDataExponent], p[JointLaw.EdgeSlope])
                    = (bestX[edgeCol], e.LnEdge, e.SizeExponent, e.BatchExponent, e.DataExponent, e.Slope);
            }
            return (objective, p);
        }

        /// <summary>
        /// The normal equations' solution with column <paramref name="fixedCol"/> held at <paramref name="value"/>: its product moved
        /// to the right-hand side, the rest solved with their constraints.
        /// </summary>
        private static double[] FixColumn(double[,] g, double[] c, bool[] constrained, int fixedCol, double value)
        {
            int n = c.Length, m = n - 1;
            var gr = new double[m, m];
            var cr = new double[m];
            var cons = new bool[m];
            for (int a = 0, ra = 0; a < n; a++)
            {
                if (a == fixedCol) continue;
                cr[ra] = c[a] - g[a, fixedCol] * value;
                cons[ra] = constrained[a];
                for (int b = 0, rb = 0; b < n; b++)
                {
                    if (b == fixedCol) continue;
                    gr[ra, rb++] = g[a, b];
                }
                ra++;
            }
            var xr = NonNegativeLeastSquares.SolveNormal(gr, cr, cons);
            var x = new double[n];
            for (int a = 0, ra = 0; a < n; a++) x[a] = a == fixedCol ? value : xr[ra++];
            return x;
        }
    }
}
