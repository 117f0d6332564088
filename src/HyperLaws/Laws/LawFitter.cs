
namespace HyperLaws.Laws;

/// <summary>
/// Robust fit of a law to loss curves: minimises the mean Huber loss of relative residuals
/// r_i = (L_hat_i - L_i) / L_i over all points of all curves,
/// rho(r) = r^2/2 for |r| &lt;= delta, delta (|r| - delta/2) beyond.
/// Levenberg-Marquardt runs on psi(r) = sign(r) sqrt(2 rho(r)), whose half sum of squares is exactly
/// sum rho, with Marquardt's diagonal damping and the law's own derivatives when it is an
/// <see cref="IDifferentiableLaw"/> (a forward-difference Jacobian otherwise). Positive parameters
/// are searched as logarithms. Every starting point is probed for a few iterations and the most
/// promising one is run to convergence; all of it is deterministic. Curves equal in everything the law reads (learning rates, steps,
/// model size) share one evaluation of the law (<see cref="EqualCurves"/>; the same fit bit for bit). Laws with their own procedure (<see cref="ISelfFittingLaw"/>) are handed to it.
/// <c>LawFitter.Fit(new MultiPowerLaw(), targets)</c>.
/// </summary>
public static class LawFitter
{
    /// <summary>Fits <paramref name="law"/> to <paramref name="targets"/> (see the type's remarks).</summary>
    /// <param name="law">The law.</param>
    /// <param name="targets">The curves, each checked first.</param>
    /// <param name="options">The fit's settings (defaults when null).</param>
    public static LawFit Fit(IFittableLaw law, IReadOnlyList<FitTarget> targets, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(targets);
        // This fit's curves (and the starts' copies of them): a law may keep data per history walked at every evaluation until the
        // fit ends (FitHistories; OptLaw's walk tables).
        FitHistories.Admit(targets.Select(t => t?.History));
        try
        {
            return FitCore(law, targets, options);
        }
        finally
        {
            FitHistories.Release(targets.Select(t => t?.History));
        }
    }

    private static LawFit FitCore(IFittableLaw law, IReadOnlyList<FitTarget> targets, FitOptions? options)
    {
        if (targets.Count == 0) throw new ArgumentException("Nothing to fit: no curves.");
        foreach (var t in targets) t.Validate();
        options ??= new FitOptions();
        options.CheckRidgeStops();
        // The declared point budget (FitOptions.MaxPointsPerCurve): curves within it are passed on as they are.
        targets = PointBudget.Apply(targets, options.MaxPointsPerCurve);
        if (law is ISelfFittingLaw own) return own.Fit(targets, options);

        // Each curve's first equal curve (EqualCurves), computed once: the probes' copies of the curves have the same contents.
        int[] source = options.ShareEqualCurves ? EqualCurves(targets) : [.. Enumerable.Range(0, targets.Count)];
        var problem = new Problem(law, targets, options.HuberDelta, source);
        var starts = (options.UseLawStartingPoints ? law.StartingPoints(targets).Concat(options.Starts) : options.Starts).ToList();
        foreach (var start in starts)
            if (start.Length != law.ParameterNames.Count) throw new ArgumentException($"A starting point has {start.Length} values; {law.Name} has {law.ParameterNames.Count} parameters.");
        if (starts.Count == 0)
        {
            if (!options.UseLawStartingPoints) throw new ArgumentException("No starting point: the law's own are switched off and FitOptions.Starts is empty.");
            throw new InvalidOperationException($"{law.Name} gave no starting point.");
        }

        // A law's declared box (IBoundedLaw): every start projected onto it; Minimize keeps the trial points inside.
        var bounds = (law as IBoundedLaw)?.Bounds;
        if (bounds is not null)
        {
            if (bounds.Count != law.ParameterNames.Count) throw new ArgumentException($"{law.Name}'s bounds cover {bounds.Count} parameters; it has {law.ParameterNames.Count}.");
            for (int j = 0; j < bounds.Count; j++)
                if (law.Positive[j] && (!(bounds.Upper[j] > 0) || (double.IsFinite(bounds.Lower[j]) && !(bounds.Lower[j] > 0))))
                    throw new ArgumentException($"{law.Name}: parameter {law.ParameterNames[j]} is positive, so its finite bounds must be positive.");
            starts = [.. starts.Select(s => bounds.Clamp(s))];
        }

        // On request (FitOptions.VariableProjection), a law linear in some parameters (MPL: L0, A, B): the same objective by
        // variable projection (SeparableFitter).
        if (law is ISeparableLaw separable && options.VariableProjection)
        {
            if (bounds is not null) throw new ArgumentException($"{law.Name}: parameter bounds are honoured by the Levenberg-Marquardt fit only, not with FitOptions.VariableProjection.");
            return SeparableFitter.Fit(separable, targets, starts, options);
        }

        // Many curves (FitOptions.CurveSubset: on by default for OptLaw, in its own fit, and MPL): the whole procedure on a few of them, then one run on
        // every curve from that optimum (a 100-run sweep of MPL: a full evaluation costs as much as the few curves' whole probes).
        // The curves are counted, and the few drawn, among the distinct curves (each curve's first equal curve, EqualCurves; the points
        // over all curves, equal ones included: documented, not changed, docs/VALIDATION.md "... after the review"): curves
        // equal in their schedule, steps and size (seeds of one configuration) show the first stage nothing new and cost the law
        // nothing in the run on all (evaluated once), so a sweep of a few schedules repeated is the one-stage fit, and a sweep of many
        // is searched on one run of each of the few (docs/VALIDATION.md, "MPL: the search on a few curves, then a polish on all", and
        // its amendment). With every curve distinct, the rule of before.
        int subset = options.EffectiveCurveSubset(law), probeSubset = options.EffectiveProbeSubset;
        var equal = subset > 0 || probeSubset > 0 ? (options.ShareEqualCurves ? source : EqualCurves(targets)) : source;
        var firsts = Enumerable.Range(0, targets.Count).Where(j => equal[j] == j).ToArray();
        if (FitOptions.SubsetApplies(subset, firsts.Length, problem.Residuals))
        {
            var few = SubsetIndices(firsts.Length, subset).Select(i => targets[firsts[i]]).ToList();
            // FitOptions.SubsetEvery: the few curves thinned (every k-th point counted back from the last), the run on all not.
            int subsetEvery = options.EffectiveSubsetEvery;
            if (subsetEvery >= 2) few = Thinned(few, subsetEvery);
            var first = Fit(law, few, options with { CurveSubset = 0, UseLawStartingPoints = false, Starts = starts });
            if (Continued(problem, first, options with { RelativeTolerance = options.EffectivePolishTolerance(law) }) is { } staged) return staged;
        }

        // Long curves (FitOptions.CoarsePoints; on for MPL by default): the whole procedure on every curve thinned to every k-th
        // point, k = ceil(the longest curve's points / CoarsePoints), then one run on every point from that optimum. An MPL
        // evaluation costs a moment pass per gamma (O(steps)) plus a tree walk per point (O(log steps) nodes and the exact leaves
        // next to it); the first stage's ~150 evaluations walk 1/k of the points, and the run on all points starts at its optimum.
        // Many short curves (FitOptions.CoarseTotalPoints; issue 12, helper mplthin): k counted over the distinct curves' points together
        // (equal curves are evaluated once) where that is the larger k, so a 100-run sweep of 500-point curves is thinned too, every curve kept.
        // With FitOptions.CoarseRidgeTolerance, the first stage of such a fit (k set by the count over all curves) stops on a flat ridge.
        int every = options.CoarseEvery(targets, law), longEvery = every;
        if (options.EffectiveCoarseTotalPoints > 0)
            every = Math.Max(every, options.CoarseTotalEvery(Enumerable.Range(0, targets.Count).Where(j => source[j] == j).Sum(j => targets[j].Steps.Length)));
        if (every >= 2 && problem.Residuals >= FitOptions.CoarseMinPoints)
        {
            double ridge = every > longEvery && options.RidgeTolerance == 0 ? options.EffectiveCoarseRidgeTolerance : options.RidgeTolerance;
            var first = Fit(law, Thinned(targets, every), options with { CoarsePoints = 0, CoarseTotalPoints = 0, UseLawStartingPoints = false, Starts = starts, RidgeTolerance = ridge });
            if (Continued(problem, first, options) is { } staged) return staged;
        }

        // Many curves and several starts (FitOptions.ProbeSubset; issue 12, helper mpl100): the starts' probes on a few of the distinct
        // curves (drawn as above), then the best probe continued on every curve as the best all-curve probe would be (docs/VALIDATION.md,
        // "MPL: the starts probed on a few curves, the best continued on all"). The few curves see only the probes' iterations.
        // Where CurveSubset or the coarse stage applies, it comes first (above).
        int probeIterations = Math.Min(options.ProbeIterations, options.MaxIterations);
        if (starts.Count > 1 && !options.ConvergeEveryStart && options.MaxIterations > probeIterations
            && FitOptions.SubsetApplies(probeSubset, firsts.Length, problem.Residuals))
        {
            var few = SubsetIndices(firsts.Length, probeSubset).Select(i => targets[firsts[i]]).ToList();
            // MaxIterations = the probe's: the nested fit probes every start and returns the best probe without continuing it.
            var probed = Fit(law, few, options with { CurveSubset = 0, ProbeSubset = 0, UseLawStartingPoints = false, Starts = starts, MaxIterations = probeIterations });
            if (Continued(problem, probed, options with { MaxIterations = options.MaxIterations - probeIterations }) is { } staged) return staged;
        }

        // Probe every start for a few iterations, then run only the most promising one to convergence:
        // starts that lead to the same optimum cost a fraction, and a start stuck in a poor basin is dropped early.
        // With FitOptions.ConvergeEveryStart the probe is the whole fit: every start runs to convergence, the lowest objective wins.
        int probe = starts.Count > 1 && !options.ConvergeEveryStart ? Math.Min(options.ProbeIterations, options.MaxIterations) : options.MaxIterations;
        var probes = Probe(law, targets, source, problem, starts, options with { MaxIterations = probe });
        int evaluations = probes.Sum(f => f.Evaluations);
        var best = probes.MinBy(f => f.Objective)!;
        if (!best.Converged && options.MaxIterations > probe)
        {
            var resumed = Minimize(problem, best.Parameters, options with { MaxIterations = options.MaxIterations - probe });
            evaluations += resumed.Evaluations;
            if (resumed.Objective <= best.Objective) best = resumed with { Iterations = resumed.Iterations + best.Iterations };
        }
        return best with { Evaluations = evaluations };
    }

    /// <summary>
    /// The second stage of a staged fit (<see cref="FitOptions.CurveSubset"/>, <see cref="FitOptions.CoarsePoints"/>,
    /// <see cref="FitOptions.ProbeSubset"/>): one Levenberg-Marquardt run on every curve and point of <paramref name="problem"/> from
    /// <paramref name="first"/>'s optimum with <paramref name="options"/>, its iterations and evaluations those of both stages; null
    /// when the first stage ended at a non-finite point (the caller then fits without that stage).
    /// </summary>
    private static LawFit? Continued(Problem problem, LawFit first, FitOptions options)
    {
        if (!first.HasFiniteParameters) return null;
        var all = Minimize(problem, first.Parameters, options);
        return all with { Iterations = all.Iterations + first.Iterations, Evaluations = all.Evaluations + first.Evaluations };
    }

    /// <summary>
    /// The curves of a fit's coarse first stage (<see cref="FitOptions.CoarsePoints"/>): each curve's points i with (n - 1 - i) mod
    /// <paramref name="every"/> = 0, n its number of points (every k-th point counted back from the last, which is always kept; a
    /// curve of fewer than k points keeps its last alone); history, name and model size kept.
    /// </summary>
    internal static List<FitTarget> Thinned(IReadOnlyList<FitTarget> targets, int every) =>
        [.. targets.Select(t =>
        {
            int n = t.Steps.Length, kept = (n + every - 1) / every;
            var steps = new int[kept];
            var loss = new double[kept];
            for (int j = 0; j < kept; j++)
            {
                int i = n - 1 - (kept - 1 - j) * every;
                steps[j] = t.Steps[i];
                loss[j] = t.Loss[i];
            }
            return t with { Steps = steps, Loss = loss };
        })];

    /// <summary>
    /// The <paramref name="count"/> curves of a fit's first stage on a subset (<see cref="FitOptions.CurveSubset"/>), of
    /// <paramref name="total"/>, in increasing order: those with the smallest Knuth multiplicative hash i x 2654435761 mod 2^32,
    /// a fixed pseudo-random choice that spreads over the curves' order without following a period of it (every tenth curve of a
    /// sweep that cycles through ten schedules would be ten runs of one schedule).
    /// </summary>
    internal static int[] SubsetIndices(int total, int count) =>
        [.. Enumerable.Range(0, total).OrderBy(i => unchecked((uint)i * 2654435761u)).ThenBy(i => i).Take(Math.Min(count, total)).Order()];

    /// <summary>
    /// The starts' probes, side by side: each start after the first on its own copies of the curves' schedule histories (a law's
    /// per-history caches, e.g. MPL's segment tree and its moments, are then never shared between threads), so each probe
    /// computes what it computes in sequence, and the results come back in the starts' order. When probes throw, the first
    /// one's exception (in order) is rethrown as it is. <paramref name="source"/>: each curve's first equal curve, as for
    /// <paramref name="problem"/> (the copies have the same contents, so the same equal curves).
    /// </summary>
    private static List<LawFit> Probe(IFittableLaw law, IReadOnlyList<FitTarget> targets, int[] source, Problem problem, List<double[]> starts, FitOptions options)
    {
        bool parallel = starts.Count > 1 && options.ParallelProbes;
        return [.. RunStarts(starts.Count, parallel, i => Minimize(i == 0 || !parallel ? problem : new Problem(law, Copies(targets), options.HuberDelta, source), starts[i], options))];
    }

    /// <summary>
    /// <paramref name="run"/> for every start index, side by side when <paramref name="parallel"/> (the caller gives each start
    /// after the first its own <see cref="Copies"/>), the results in the starts' order. When runs throw, the first one's exception
    /// (in order) is rethrown as it is.
    /// </summary>
    internal static T[] RunStarts<T>(int count, bool parallel, Func<int, T> run)
    {
        var results = new T[count];
        if (!parallel)
        {
            for (int i = 0; i < count; i++) results[i] = run(i);
            return results;
        }
        var errors = new System.Runtime.ExceptionServices.ExceptionDispatchInfo?[count];
        Parallel.For(0, count, i =>
        {
            try
            {
                results[i] = run(i);
            }
            catch (Exception e)
            {
                errors[i] = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        });
        foreach (var error in errors) error?.Throw();
        return results;
    }

    /// <summary>Where each curve's points start in the points of all <paramref name="targets"/> together.</summary>
    internal static int[] Offsets(IReadOnlyList<FitTarget> targets)
    {
        var offsets = new int[targets.Count];
        for (int j = 1; j < offsets.Length; j++) offsets[j] = offsets[j - 1] + targets[j - 1].Steps.Length;
        return offsets;
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every curve, in parallel when there are several curves with
    /// distinct histories; each writes only its own slice, so the result is the same as in sequence.
    /// </summary>
    internal static void ForEachTarget(IReadOnlyList<FitTarget> targets, Action<int> body)
    {
        if (targets.Count > 1 && targets.Select(t => t.History).Distinct().Count() == targets.Count)
        {
            try
            {
                Parallel.For(0, targets.Count, body);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
            {
                // Surface the law's own exception (the first curve's, as in sequence) unwrapped.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        else
            for (int j = 0; j < targets.Count; j++) body(j);
    }

    /// <summary>The curves with copies of their histories (curves that share a history share its copy).</summary>
    internal static List<FitTarget> Copies(IReadOnlyList<FitTarget> targets)
    {
        var copies = new Dictionary<ScheduleHistory, ScheduleHistory>(ReferenceEqualityComparer.Instance);
        return [.. targets.Select(t => t with { History = copies.TryGetValue(t.History, out var c) ? c : copies[t.History] = t.History.Copy() })];
    }

    /// <summary>
    /// For each curve, the first curve equal to it in everything a law's prediction reads (<see cref="FitTarget.History"/>'s learning
    /// rates bit for bit, <see cref="FitTarget.Steps"/> and <see cref="FitTarget.ModelSize"/> bit for bit; the losses may differ): itself
    /// when there is none. A law's prediction is a function of those alone (it is deterministic, and any cache it keeps on a history is
    /// computed from the history's values), so equal curves get equal predictions and derivatives bit for bit, and
    /// <see cref="Problem"/> evaluates the law once per distinct curve and copies the result to its equals (issue 12: the benchmark's
    /// 100-run sweep cycles through 10 schedules, the runs of one schedule differing only in their noise, as seeds of a sweep do).
    /// </summary>
    internal static int[] EqualCurves(IReadOnlyList<FitTarget> targets)
    {
        var source = new int[targets.Count];
        if (targets.Count < 2) return source;   // one curve: itself (index 0)
        var first = new Dictionary<long, List<int>>();
        for (int j = 0; j < targets.Count; j++)
        {
            var t = targets[j];
            var lr = System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(t.History.EtaSpan);
            var steps = t.Steps.AsSpan();
            long key = ContentHash(lr, steps, BitConverter.DoubleToInt64Bits(t.ModelSize));
            source[j] = j;
            if (!first.TryGetValue(key, out var candidates)) first[key] = candidates = [];
            foreach (int u in candidates)
            {
                var o = targets[u];
                if (BitConverter.DoubleToInt64Bits(o.ModelSize) == BitConverter.DoubleToInt64Bits(t.ModelSize) && o.Steps.AsSpan().SequenceEqual(steps)
                    && (ReferenceEquals(o.History, t.History) || System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(o.History.EtaSpan).SequenceEqual(lr)))
                {
                    source[j] = u;
                    break;
                }
            }
            if (source[j] == j) candidates.Add(j);
        }
        return source;
    }

    /// <summary>An FNV-1a-style hash of a curve's learning-rate bits, steps and model size (only to find candidates; equality is checked in full).</summary>
    private static long ContentHash(ReadOnlySpan<long> lr, ReadOnlySpan<int> steps, long size)
    {
        ulong h = 14695981039346656037UL;
        foreach (long v in lr) h = (h ^ (ulong)v) * 1099511628211UL;
        foreach (int v in steps) h = (h ^ (uint)v) * 1099511628211UL;
        h = (h ^ (ulong)size) * 1099511628211UL;
        return unchecked((long)h);
    }

    /// <param name="source">Each curve's first equal curve (<see cref="EqualCurves"/>; itself when sharing is off or it has none).</param>
    private sealed class Problem(IFittableLaw law, IReadOnlyList<FitTarget> targets, double delta, int[] source)
    {
        public IFittableLaw Law { get; } = law;

        /// <summary>Each curve's first equal curve (itself when sharing is off or it has none).</summary>
        private readonly int[] _source = source;

        /// <summary>The curves the law is evaluated on: the first of each set of equal curves, in order.</summary>
        private readonly int[] _distinct = [.. Enumerable.Range(0, targets.Count).Where(j => source[j] == j)];

        /// <summary>The targets of <see cref="_distinct"/> (the targets themselves when all are distinct).</summary>
        private readonly IReadOnlyList<FitTarget> _distinctTargets =
            Enumerable.Range(0, targets.Count).All(j => source[j] == j) ? targets : [.. targets.Where((_, j) => source[j] == j)];

        /// <summary>Runs <paramref name="body"/> on the index of every distinct curve (<see cref="ForEachTarget"/> over them).</summary>
        private void ForEachDistinct(Action<int> body)
        {
            var distinct = _distinct;
            ForEachTarget(_distinctTargets, u => body(distinct[u]));
        }

        /// <summary>Points each curve's gradient at its first equal curve's (computed by <see cref="ForEachDistinct"/>).</summary>
        private void ShareGradients(double[][] gradients)
        {
            for (int j = 0; j < targets.Count; j++) gradients[j] = gradients[_source[j]];
        }

        /// <summary>Copies each distinct curve's values in <paramref name="values"/> to the curves equal to it.</summary>
        private void CopyToEquals(double[] values)
        {
            for (int j = 0; j < targets.Count; j++)
            {
                int u = _source[j];
                if (u != j) values.AsSpan(_offsets[u], targets[u].Steps.Length).CopyTo(values.AsSpan(_offsets[j], targets[j].Steps.Length));
            }
        }

        private readonly ParameterBounds? _bounds = (law as IBoundedLaw)?.Bounds;

        /// <summary>The law's box in the search coordinates (a positive parameter's ends as logarithms); null: unbounded.</summary>
        public (double[] Lower, double[] Upper)? Box { get; } = (law as IBoundedLaw)?.Bounds is { } b
            ? ([.. Enumerable.Range(0, b.Count).Select(j => law.Positive[j] ? (b.Lower[j] > 0 ? Math.Log(b.Lower[j]) : double.NegativeInfinity) : b.Lower[j])],
               [.. Enumerable.Range(0, b.Count).Select(j => law.Positive[j] ? Math.Log(b.Upper[j]) : b.Upper[j])])
            : null;

        public int Residuals { get; } = targets.Sum(t => t.Steps.Length);

        /// <summary>The Huber threshold of the relative residuals.</summary>
        public double Delta => delta;

        public int Evaluations { get; private set; }

        public double[] ToParameters(double[] z)
        {
            var p = new double[z.Length];
            for (int j = 0; j < z.Length; j++) p[j] = Law.Positive[j] ? Math.Exp(z[j]) : z[j];
            // exp(ln b) may round past the end b itself: the parameters are clamped to the box as declared.
            if (_bounds is not null)
                for (int j = 0; j < p.Length; j++) p[j] = Math.Clamp(p[j], _bounds.Lower[j], _bounds.Upper[j]);
            return p;
        }

        public double[] FromParameters(double[] p)
        {
            var z = new double[p.Length];
            for (int j = 0; j < p.Length; j++) z[j] = Law.Positive[j] ? Math.Log(Math.Max(p[j], 1e-300)) : p[j];
            return z;
        }

        /// <summary>
        /// psi of every relative residual and its Jacobian in the search coordinates, from the law's own
        /// derivatives; false when the law gives a non-finite value or derivative.
        /// </summary>
        public bool EvaluateWithJacobian(IDifferentiableLaw law, double[] z, double[] psi, double[,] jac)
        {
            Evaluations++;
            var p = ToParameters(z);
            var gradients = PredictWithGradients(p.Length, psi, (j, t, gradient) =>
                law.PredictWithGradient(p, t.History, t.ModelSize, t.Steps, psi.AsSpan(_offsets[j], t.Steps.Length), gradient));
            return JacobianRows(p, psi, gradients, jac);
        }

        /// <summary>
        /// Each distinct curve's predictions and gradients (n per step, a fresh array per curve) by <paramref name="predict"/>(curve,
        /// target, gradient), then copied to the curves equal to it (<see cref="CopyToEquals"/> of <paramref name="psi"/>,
        /// <see cref="ShareGradients"/>): the part <see cref="EvaluateWithJacobian"/> and <see cref="EvaluateFused"/> share.
        /// </summary>
        private double[][] PredictWithGradients(int n, double[] psi, Action<int, FitTarget, double[]> predict)
        {
            var gradients = new double[targets.Count][];
            ForEachDistinct(j =>
            {
                var t = targets[j];
                gradients[j] = new double[t.Steps.Length * n];
                predict(j, t, gradients[j]);
            });
            CopyToEquals(psi);
            ShareGradients(gradients);
            return gradients;
        }

        /// <summary>psi and its Jacobian rows from the predictions in <paramref name="psi"/> and their gradients; false at the first non-finite value.</summary>
        private bool JacobianRows(double[] p, double[] psi, double[][] gradients, double[,] jac)
        {
            int n = p.Length;
            for (int ti = 0; ti < targets.Count; ti++)
            {
                var t = targets[ti];
                int offset = _offsets[ti];
                var span = psi.AsSpan(offset, t.Steps.Length);
                var gradient = gradients[ti];
                for (int i = 0; i < span.Length; i++)
                {
                    double r = (span[i] - t.Loss[i]) / t.Loss[i];
                    if (!double.IsFinite(r)) return false;
                    double a = Math.Abs(r);
                    double slope;   // d psi / d prediction
                    if (a <= delta)
                    {
                        span[i] = r;
                        slope = 1 / t.Loss[i];
                    }
                    else
                    {
                        span[i] = Math.Sign(r) * Math.Sqrt(delta * (2 * a - delta));
                        slope = delta / Math.Abs(span[i]) / t.Loss[i];
                    }
                    for (int j = 0; j < n; j++)
                    {
                        double g = slope * gradient[i * n + j] * (Law.Positive[j] ? p[j] : 1);
                        if (!double.IsFinite(g)) return false;
                        jac[offset + i, j] = g;
                    }
                }
            }
            return true;
        }

        private readonly int[] _offsets = Offsets(targets);

        /// <summary>
        /// One fused evaluation of <paramref name="law"/> at <paramref name="z"/> (<see cref="IFusedGradientLaw"/>): writes into
        /// <paramref name="psi"/> what <see cref="Evaluate"/> writes and returns what it returns, and into <paramref name="jac"/> what
        /// <see cref="EvaluateWithJacobian"/> would write, with its return value in <paramref name="jacobianOk"/> (the same loops over
        /// the same values, so the same numbers bit for bit). Counts one evaluation; the Jacobian counts one more when it is used
        /// (<see cref="CountJacobian"/>), so evaluation counts are those of the separate calls.
        /// </summary>
        public bool EvaluateFused(IFusedGradientLaw law, double[] z, double[] psi, double[] gradientPsi, double[,] jac, out bool jacobianOk)
        {
            Evaluations++;
            var p = ToParameters(z);
            var gradients = PredictWithGradients(p.Length, psi, (j, t, gradient) =>
                law.PredictFused(p, t.History, t.Steps, psi.AsSpan(_offsets[j], t.Steps.Length), gradientPsi.AsSpan(_offsets[j], t.Steps.Length), gradient));
            CopyToEquals(gradientPsi);
            jacobianOk = JacobianRows(p, gradientPsi, gradients, jac);
            return ToPsi(psi);
        }

        /// <summary>
        /// A trial point's psi (<see cref="Evaluate"/>, or <see cref="EvaluateFused"/> when <paramref name="fused"/> is given), stopped
        /// early where the trial certainly does not lower the objective: returns false when <see cref="Evaluate"/> would return false
        /// or when HalfSquares of the complete psi would be at least <paramref name="cost"/>, and otherwise fills <paramref name="psi"/>
        /// (and the fused Jacobian) with exactly the numbers of the complete evaluation and returns true. Levenberg-Marquardt rejects
        /// such a trial either way and uses nothing it computed, so the fit's path is the same bit for bit; a rejected trial costs
        /// only the curves evaluated before the proof. Counts one evaluation, as before.
        /// <para>
        /// The proof (issue 12, helper mpl100): the curves (each distinct curve with the curves equal to it) are evaluated one at a
        /// time in decreasing order of their share of <paramref name="current"/>'s squares, side by side, and the squares of the
        /// finished ones are added into P. Every square is the one the complete evaluation computes (the same psi, bit for bit), so P
        /// is a floating-point sum of a subset of HalfSquares' terms, both sums of at most m nonnegative terms (m = the residuals) in
        /// some order. With g = (m - 1) u / (1 - (m - 1) u), u = 2^-53 (Higham, Accuracy and Stability of Numerical Algorithms, 2nd
        /// ed., eq. 4.4, for any order of summation): P &lt;= S_sub (1 + g) and HalfSquares' sum &gt;= S_all (1 - g) &gt;= S_sub (1 - g),
        /// S the exact sums, so 0.5 P (1 - g) / (1 + g) &lt;= HalfSquares(psi). The test 0.5 P f &gt;= cost with
        /// f = 1 - 4 (m + 2) u (below (1 - g) / (1 + g) less the two products' roundings) therefore implies HalfSquares(psi) &gt;= cost.
        /// P and HalfSquares add the same computed squares, so underflowed squares need no allowance; below a cost of 1e-200 every
        /// trial is evaluated in full all the same. A non-finite prediction stops the evaluation too (Evaluate's false).
        /// </para>
        /// </summary>
        public bool EvaluateTrial(IFusedGradientLaw? fused, double[] z, double[] psi, double[]? gradientPsi, double[,]? jac, double cost, double[] current, out bool jacobianOk)
        {
            jacobianOk = false;
            if (!(cost >= 1e-200 && cost < double.PositiveInfinity) || _units.Length < 2)
                return fused is null ? Evaluate(z, psi) : EvaluateFused(fused, z, psi, gradientPsi!, jac!, out jacobianOk);
            Evaluations++;
            var p = ToParameters(z);
            int n = p.Length;
            var gradients = fused is null ? null : new double[targets.Count][];
            // The units in decreasing order of their curves' share of the current point's squares (ties in index order): a trial
            // that raises the objective is most likely shown to do so by the curves that hold most of it.
            var weight = new double[_units.Length];
            for (int u = 0; u < _units.Length; u++)
                foreach (int j in _units[u])
                    foreach (double v in current.AsSpan(_offsets[j], targets[j].Steps.Length)) weight[u] += v * v;
            var order = Enumerable.Range(0, _units.Length).OrderByDescending(u => weight[u]).ThenBy(u => u).ToArray();
            double factor = 1 - 4.0 * (Residuals + 2.0) * 1.1102230246251565e-16;
            double partial = 0;
            bool stop = false;
            var gate = new object();
            void Unit(int u)
            {
                var members = _units[u];
                int j = members[0];
                var t = targets[j];
                int length = t.Steps.Length;
                if (fused is null)
                    Law.Predict(p, t.History, t.ModelSize, t.Steps, psi.AsSpan(_offsets[j], length));
                else
                {
                    gradients![j] = new double[length * n];
                    fused.PredictFused(p, t.History, t.Steps, psi.AsSpan(_offsets[j], length), gradientPsi.AsSpan(_offsets[j], length), gradients[j]);
                }
                // The predictions to the equal curves first (as CopyToEquals), then each curve's psi and squares.
                foreach (int k in members)
                {
                    if (k == j) continue;
                    psi.AsSpan(_offsets[j], length).CopyTo(psi.AsSpan(_offsets[k], length));
                    if (fused is not null) gradientPsi.AsSpan(_offsets[j], length).CopyTo(gradientPsi.AsSpan(_offsets[k], length));
                }
                double squares = 0;
                bool finite = true;
                foreach (int k in members)
                {
                    if (!ToPsi(k, psi)) { finite = false; break; }
                    foreach (double v in psi.AsSpan(_offsets[k], length)) squares += v * v;
                }
                lock (gate)
                {
                    partial += squares;
                    if (!finite || 0.5 * partial * factor >= cost) stop = true;
                }
            }
            RunInOrder(order, Unit, () => Volatile.Read(ref stop));
            if (stop) return false;
            if (fused is not null)
            {
                ShareGradients(gradients!);
                jacobianOk = JacobianRows(p, gradientPsi!, gradients!, jac!);
            }
            return true;
        }

        /// <summary>Each distinct curve (the first of a set of equal curves) followed by the curves equal to it, in index order.</summary>
        private readonly int[][] _units = [.. Enumerable.Range(0, targets.Count).Where(j => source[j] == j)
            .Select(u => Enumerable.Range(0, targets.Count).Where(k => source[k] == u).ToArray())];

        /// <summary>
        /// <paramref name="body"/> on each of <paramref name="order"/>'s units, taken in that order by as many workers as there are
        /// processors (one when curves share a history object, as <see cref="ForEachTarget"/>); a worker starts no unit once
        /// <paramref name="stopped"/> says so. The first exception (in order of the units) is rethrown as it is.
        /// </summary>
        private void RunInOrder(int[] order, Action<int> body, Func<bool> stopped)
        {
            bool parallel = _units.Select(m => targets[m[0]].History).Distinct().Count() == _units.Length;
            int workers = parallel ? Math.Min(Environment.ProcessorCount, order.Length) : 1;
            if (workers <= 1)
            {
                foreach (int u in order)
                {
                    if (stopped()) return;
                    body(u);
                }
                return;
            }
            int next = -1;
            var errors = new System.Runtime.ExceptionServices.ExceptionDispatchInfo?[order.Length];
            Parallel.For(0, workers, _ =>
            {
                int i;
                while (!stopped() && (i = Interlocked.Increment(ref next)) < order.Length)
                {
                    try
                    {
                        body(order[i]);
                    }
                    catch (Exception e)
                    {
                        errors[i] = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                        return;
                    }
                }
            });
            foreach (var error in errors) error?.Throw();
        }

        /// <summary>Counts a Jacobian taken from an earlier fused evaluation at the same point as one evaluation, as the separate call was.</summary>
        public void CountJacobian() => Evaluations++;

        /// <summary>Counts a trial point rejected without evaluation (equal to the current point) as one evaluation, as its evaluation was.</summary>
        public void CountSkippedTrial() => Evaluations++;

        /// <summary>psi of every relative residual; false when the law gives a non-finite value.</summary>
        public bool Evaluate(double[] z, double[] psi)
        {
            Evaluations++;
            var p = ToParameters(z);
            ForEachDistinct(j => Law.Predict(p, targets[j].History, targets[j].ModelSize, targets[j].Steps, psi.AsSpan(_offsets[j], targets[j].Steps.Length)));
            CopyToEquals(psi);
            return ToPsi(psi);
        }

        /// <summary>psi of every relative residual from the predictions in <paramref name="psi"/>; false at the first non-finite value.</summary>
        private bool ToPsi(double[] psi)
        {
            for (int j = 0; j < targets.Count; j++)
                if (!ToPsi(j, psi)) return false;
            return true;
        }

        /// <summary>psi of curve <paramref name="j"/>'s relative residuals from its predictions in <paramref name="psi"/>; false at the first non-finite value.</summary>
        private bool ToPsi(int j, double[] psi)
        {
            var t = targets[j];
            var span = psi.AsSpan(_offsets[j], t.Steps.Length);
            for (int i = 0; i < span.Length; i++)
            {
                double r = (span[i] - t.Loss[i]) / t.Loss[i];
                if (!double.IsFinite(r)) return false;
                double a = Math.Abs(r);
                span[i] = a <= delta ? r : Math.Sign(r) * Math.Sqrt(delta * (2 * a - delta));
            }
            return true;
        }
    }

    private static LawFit Minimize(Problem problem, double[] start, FitOptions options)
    {
        int n = start.Length, m = problem.Residuals;
        var z = problem.FromParameters(start);
        var box = problem.Box;
        if (box is { } startBox)
            for (int j = 0; j < n; j++) z[j] = Math.Clamp(z[j], startBox.Lower[j], startBox.Upper[j]);
        var r = new double[m];
        var trial = new double[m];
        var jac = new double[m, n];
        // A law with a fused evaluation (IFusedGradientLaw, FitOptions.FusedTrials): every trial point is evaluated with its
        // Jacobian, and the Jacobian of an accepted point is the next iteration's (no second evaluation there). The values,
        // Jacobians and so the steps are those of the separate calls, bit for bit.
        var fused = options.FusedTrials ? problem.Law as IFusedGradientLaw : null;
        var nextJac = fused is null ? null : new double[m, n];
        var gradientPsi = fused is null ? null : new double[m];
        bool nextReady = false, nextOk = false, trialOk = false;
        int evaluationsBefore = problem.Evaluations;
        if (!(fused is null ? problem.Evaluate(z, r) : problem.EvaluateFused(fused, z, r, gradientPsi!, nextJac!, out nextOk)))
        {
            var failed = new LawFit(problem.Law, start, double.PositiveInfinity, 0, problem.Evaluations - evaluationsBefore, false, "non-finite prediction at the start");
            options.Trace?.Invoke(failed);
            return failed;
        }

        nextReady = fused is not null;
        // The flat-ridge stop (FitOptions.RidgeTolerance; off unless its tolerance is positive): fed the start and
        // every accepted point's residuals. Off, nothing below depends on it, so the fit is the one without it bit for bit.
        double ridgeTolerance = options.RidgeTolerance;
        var ridge = ridgeTolerance > 0 ? new FlatRidgeStop(m, options.RidgeWindow, ridgeTolerance, problem.Delta) : null;
        ridge?.Add(r);
        double cost = HalfSquares(r);
        double lambda = 1e-3;
        string reason = "iteration cap";
        bool converged = false;
        int iteration = 0;
        for (; iteration < options.MaxIterations; iteration++)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            if (nextReady)
            {
                (jac, nextJac) = (nextJac!, jac);
                nextReady = false;
                problem.CountJacobian();
                if (!nextOk)
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++) jac[i, j] = 0;
            }
            else if (problem.Law is IDifferentiableLaw differentiable)
            {
                if (!problem.EvaluateWithJacobian(differentiable, z, trial, jac))
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++) jac[i, j] = 0;
            }
            // Forward-difference Jacobian in the search coordinates.
            else for (int j = 0; j < n; j++)
            {
                double h = 1e-6 * Math.Max(1.0, Math.Abs(z[j]));
                double saved = z[j];
                z[j] = saved + h;
                bool ok = problem.Evaluate(z, trial);
                z[j] = saved;
                for (int i = 0; i < m; i++) jac[i, j] = ok ? (trial[i] - r[i]) / h : 0;
            }
            var jtj = new double[n, n];
            var jtr = new double[n];
            for (int i = 0; i < m; i++)
                for (int a = 0; a < n; a++)
                {
                    jtr[a] += jac[i, a] * r[i];
                    for (int b = a; b < n; b++) jtj[a, b] += jac[i, a] * jac[i, b];
                }
            for (int a = 0; a < n; a++)
                for (int b = 0; b < a; b++) jtj[a, b] = jtj[b, a];
            if (box is { } held)
            {
                // A parameter at an end of its box whose descent direction -J'r points out of the box is held this iteration
                // (its row and column of the normal equations replaced by the identity, its gradient by 0): the projected step.
                for (int j = 0; j < n; j++)
                {
                    if (!((z[j] <= held.Lower[j] && jtr[j] > 0) || (z[j] >= held.Upper[j] && jtr[j] < 0))) continue;
                    for (int k = 0; k < n; k++) jtj[j, k] = jtj[k, j] = 0;
                    jtj[j, j] = 1;
                    jtr[j] = 0;
                }
            }

            bool accepted = false;
            for (int attempt = 0; attempt < 30 && !accepted; attempt++)
            {
                var step = SolveDamped(jtj, jtr, lambda);
                if (step is null) { lambda *= 10; continue; }
                var zNew = new double[n];
                for (int j = 0; j < n; j++) zNew[j] = z[j] + step[j];
                if (box is { } inside)
                    for (int j = 0; j < n; j++) zNew[j] = Math.Clamp(zNew[j], inside.Lower[j], inside.Upper[j]);
                // A trial point equal to the current point bit for bit (a zero step: a Jacobian zeroed because the law's derivatives were
                // not finite, or a step below the last bit of every coordinate) is the current point: the law is deterministic, so its
                // evaluation would give the current residuals bit for bit, HalfSquares(trial) = cost, and it would be rejected. It is
                // rejected without the evaluation and counted as one (FitOptions.SkipStillTrials: the same fit in every field, bit
                // for bit; issue 12, helper mplcost: a run stuck there made 30 such evaluations in its last iteration).
                if (options.SkipStillTrials && SameBits(zNew, z))
                {
                    problem.CountSkippedTrial();
                    lambda *= 4;
                    continue;
                }
                // A trial is evaluated only as far as needed to show it does not lower the objective (Problem.EvaluateTrial: the same
                // decision and, when it is accepted, the same numbers bit for bit; FitOptions.EarlyReject false: always in full).
                bool evaluated = options.EarlyReject
                    ? problem.EvaluateTrial(fused, zNew, trial, gradientPsi, nextJac, cost, r, out trialOk)
                    : fused is null ? problem.Evaluate(zNew, trial) : problem.EvaluateFused(fused, zNew, trial, gradientPsi!, nextJac!, out trialOk);
                if (evaluated && HalfSquares(trial) < cost)
                {
                    (nextReady, nextOk) = (fused is not null, trialOk);
                    double newCost = HalfSquares(trial);
                    double decrease = (cost - newCost) / Math.Max(cost, 1e-300);
                    z = zNew;
                    (r, trial) = (trial, r);
                    cost = newCost;
                    lambda = Math.Max(lambda / 3, 1e-12);
                    accepted = true;
                    if (decrease < options.RelativeTolerance)
                    {
                        converged = true;
                        reason = "objective change below tolerance";
                    }
                    if (ridge is not null && ridge.Add(r) && !converged)
                    {
                        converged = true;
                        reason = "predictions moved less than the ridge tolerance of the residual RMS (a flat ridge)";
                    }
                }
                else
                {
                    lambda *= 4;
                }
            }
            if (!accepted)
            {
                converged = true;
                reason = "no damped step lowers the objective (a minimum)";
                break;
            }
            if (converged) break;
            options.Trace?.Invoke(new LawFit(problem.Law, problem.ToParameters(z), cost / m, iteration + 1, problem.Evaluations - evaluationsBefore, false, "running"));
        }
        var parameters = problem.ToParameters(z);
        // A parameter searched as a logarithm can run off to infinity (MPL's B on some runs): that is no convergence.
        if (!Array.TrueForAll(parameters, double.IsFinite)) (converged, reason) = (false, "a parameter ran off to infinity");
        var fit = new LawFit(problem.Law, parameters, cost / m, iteration, problem.Evaluations - evaluationsBefore, converged, reason);
        options.Trace?.Invoke(fit);
        return fit;
    }

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> hold the same doubles bit for bit (so -0 differs from 0).</summary>
    private static bool SameBits(double[] a, double[] b) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(a.AsSpan()).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(b.AsSpan()));

    private static double HalfSquares(double[] r)
    {
        double s = 0;
        foreach (double v in r) s += v * v;
        return 0.5 * s;
    }

    /// <summary>Solves (J'J + lambda diag(J'J)) step = -J'r by Gaussian elimination with partial pivoting.</summary>
    internal static double[]? SolveDamped(double[,] jtj, double[] jtr, double lambda)
    {
        int n = jtr.Length;
        var a = new double[n, n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) a[i, j] = jtj[i, j];
            a[i, i] += lambda * Math.Max(jtj[i, i], 1e-12);
            a[i, n] = -jtr[i];
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int i = col + 1; i < n; i++) if (Math.Abs(a[i, col]) > Math.Abs(a[pivot, col])) pivot = i;
            if (Math.Abs(a[pivot, col]) < 1e-300) return null;
            if (pivot != col)
                for (int j = col; j <= n; j++) (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            for (int i = col + 1; i < n; i++)
            {
                double f = a[i, col] / a[col, col];
                for (int j = col; j <= n; j++) a[i, j] -= f * a[col, j];
            }
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = a[i, n];
            for (int j = i + 1; j < n; j++) s -= a[i, j] * x[j];
            x[i] = s / a[i, i];
        }
        return x.All(double.IsFinite) ? x : null;
    }
}
