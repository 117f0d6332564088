using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;

namespace HyperLaws.Evaluation;

/// <summary>
/// The members of the ranker <c>ensemble-lr</c> (docs/VALIDATION.md, "Protocol 3 and 17r: the LR axis from the pooled law, the schedule
/// within an LR from both families", helper p3rank4; declared before scoring; wired into <c>rank</c> by helper rankens) and the pieces of
/// their fit that protocol 3 (<c>ScheduleGrid</c>, <c>EnsembleGrid</c>) and <c>rank</c> share: one fit target per run, the anchor on the
/// constant run, the offsets, and the fit of the four members on a set of training runs (<see cref="Fit"/>).
/// <para>Members: <see cref="PerLrMembers"/> fitted on each peak LR's runs alone; the joint law (<see cref="JointLaw"/>) pooled across
/// every run with its noise power p fitted (<see cref="JointFitOptions.FitNoisePower"/>), named <see cref="Pooled"/>.</para>
/// </summary>
public static class LrEnsemble
{
    /// <summary>The members fitted per peak LR (protocol 3's per-LR fit).</summary>
    public static IReadOnlyList<string> PerLrMembers { get; } = ["optlaw", "mpl-g1", "tissue"];

    /// <summary>The pooled member: the joint law across LRs with its noise power fitted.</summary>
    public const string Pooled = "joint-pooled-p";

    /// <summary>The suffix of a member's anchored prediction ("tissue-a").</summary>
    public const string AnchoredSuffix = "-a";

    /// <summary>The weight of each family within an LR (the per-LR members as one family, the anchored pooled member the other).</summary>
    public const double FamilyWeight = 0.5;

    /// <summary>A run's peak LR: its largest LR (0 for a run without steps).</summary>
    public static double PeakLr(IReadOnlyList<double> lrs)
    {
        ArgumentNullException.ThrowIfNull(lrs);
        return lrs.Count == 0 ? 0 : lrs.Max();
    }

    /// <summary>
    /// The last step (1-based) at which the LR is still at its peak; steps after it are the cooldown (or the decay of a cosine). For
    /// a run whose LR ends at its peak, the last step.
    /// </summary>
    public static int LastPeakStep(IReadOnlyList<double> lrs)
    {
        ArgumentNullException.ThrowIfNull(lrs);
        double peak = PeakLr(lrs);
        for (int i = lrs.Count - 1; i >= 0; i--)
            if (lrs[i] == peak) return i + 1;
        return lrs.Count;
    }

    /// <summary>True for a run that ends at its peak LR (a constant schedule after its warmup): the run that gives its LR's stable phase.</summary>
    public static bool EndsAtPeak(IReadOnlyList<double> lrs) => lrs is { Count: > 0 } && LastPeakStep(lrs) == lrs.Count;

    /// <summary>
    /// The fit target of a training run: its observations of <paramref name="split"/>; with <paramref name="cooldownOnly"/> (a run with a
    /// decay at an LR whose stable phase a constant run gives) only those after its last peak-LR step, so that the stable phase is not
    /// counted twice. Null when none is left.
    /// </summary>
    public static FitTarget? Target(TrainingRun run, ScheduleHistory history, bool cooldownOnly, LossSplit split)
    {
        ArgumentNullException.ThrowIfNull(run);
        int from = cooldownOnly ? LastPeakStep(run.LearningRates) : 0;
        var points = run.Split(split).Where(o => o.Step > from).ToArray();
        if (points.Length == 0) return null;
        return new FitTarget(run.Name, history, [.. points.Select(o => o.Step)], [.. points.Select(o => o.Loss)])
        {
            ModelSize = run.Metadata.Parameters ?? double.NaN,
        };
    }

    /// <summary>
    /// r of <see cref="AnchoredPrediction.Residual"/> for a candidate of LR schedule <paramref name="candidate"/>: the observed run is
    /// <paramref name="constant"/> (the constant run at the candidate's peak LR), the observed part the steps on which their schedules
    /// agree (<see cref="AnchoredPrediction.SharedPrefix"/>), the observations those of <paramref name="split"/>, the law's values on the
    /// constant run's schedule (<paramref name="constantHistory"/>). 0 without such a run or with fewer than
    /// <see cref="AnchoredPrediction.Points"/> shared observations.
    /// </summary>
    public static double AnchorResidual(IReadOnlyList<double> candidate, TrainingRun? constant, ScheduleHistory? constantHistory, LawFit fit, LossSplit split)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(fit);
        if (constant is null || constantHistory is null) return 0;
        int until = AnchoredPrediction.SharedPrefix(candidate, constant.LearningRates);
        // AnchoredPrediction.Residual's window (its last Points observations at or before until), cut here so that the law is read at those Points steps only.
        var points = constant.Split(split).Where(o => o.Step <= until).TakeLast(AnchoredPrediction.Points).ToArray();
        if (points.Length < AnchoredPrediction.Points) return 0;
        int[] steps = [.. points.Select(o => o.Step)];
        return AnchoredPrediction.Residual(steps, [.. points.Select(o => o.Loss)], fit.Predict(constantHistory, steps), until);
    }

    /// <summary>
    /// The offsets that move a law's value at a run's last step onto the scale of its final loss: the mean over the training runs
    /// whose final loss and value are finite of (final loss - value), per LR (<paramref name="pooled"/> false; keyed by the runs' LRs
    /// as given) or one for all LRs (<paramref name="pooled"/> true: every LR present gets it, so that all of the LR dependence is
    /// the law's). An LR without such a run has no offset (0 where it is read).
    /// </summary>
    public static Dictionary<double, double> Offsets(IReadOnlyList<(double Lr, double Final, double Value)> runs, bool pooled)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var usable = runs.Where(r => double.IsFinite(r.Final) && double.IsFinite(r.Value)).ToList();
        return pooled
            ? usable.Select(r => r.Lr).Distinct().ToDictionary(lr => lr, _ => usable.Average(r => r.Final - r.Value))
            : usable.GroupBy(r => r.Lr).ToDictionary(g => g.Key, g => g.Average(r => r.Final - r.Value));
    }

    /// <summary>
    /// <c>rank</c>'s rule for member predictions that are not a physical loss (helper rankfix, after a real-data try; not a scored
    /// result; <c>validate</c> does not apply it): within each LR of the candidate set (LRs equal to 1e-9 relative), a member of the
    /// within-LR families (the per-LR members anchored, in the order of <see cref="PerLrMembers"/>, then the pooled member anchored Q)
    /// that gives any candidate of that LR a prediction for which <paramref name="physical"/> is false (or that is not finite) is left out
    /// of that whole LR: its predictions there become NaN, so that <see cref="EnsembleRanking.AxisScores"/> (a member with no finite
    /// prediction at an LR is left out there) averages the per-LR family over the members left and, with no per-LR member left, gives
    /// the pooled family the whole weight (and the reverse). So one member that cannot describe some candidates no longer sends exactly
    /// those candidates last: they are ranked by the members that describe every candidate of their LR. A member absent at an LR (NaN
    /// for all its candidates) is not counted. The pooled member's own prediction J (the LR axis) is untouched here. Where no member
    /// is left at an LR, no member gives its candidates a physical prediction: the caller ranks them last.
    /// </summary>
    /// <param name="predictions">The candidates' member predictions (<see cref="LrEnsembleFit.Predict"/>).</param>
    /// <param name="physical">True for a value that is a physical loss (rank: <c>HyperLaws.Planning.LossPlausibility.IsPhysical</c> for its runs).</param>
    /// <param name="dropped">Each member left out of an LR, in LR order then member order.</param>
    /// <returns>The predictions with the left-out members' values NaN.</returns>
    public static IReadOnlyList<LrEnsemblePrediction> DropUnphysical(IReadOnlyList<LrEnsemblePrediction> predictions, Func<double, bool> physical,
        out IReadOnlyList<LrEnsembleDrop> dropped)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(physical);
        int members = PerLrMembers.Count + 1;
        // Row m of candidate c: the per-LR members' values, then Q.
        var values = predictions.Select(p => p.PerLr.Append(p.Pooled).ToArray()).ToList();
        var classes = new List<double>();
        foreach (var p in predictions)
            if (!classes.Any(v => AnchoredPrediction.Same(v, p.Lr))) classes.Add(p.Lr);
        var list = new List<LrEnsembleDrop>();
        foreach (double lr in classes.Order())
        {
            int[] at = [.. Enumerable.Range(0, predictions.Count).Where(c => AnchoredPrediction.Same(predictions[c].Lr, lr))];
            for (int m = 0; m < members; m++)
            {
                if (at.All(c => double.IsNaN(values[c][m]))) continue;
                int bad = at.Count(c => !(double.IsFinite(values[c][m]) && physical(values[c][m])));
                if (bad == 0) continue;
                foreach (int c in at) values[c][m] = double.NaN;
                list.Add(new LrEnsembleDrop((m < PerLrMembers.Count ? PerLrMembers[m] : Pooled) + AnchoredSuffix, lr, bad, at.Length));
            }
        }
        dropped = list;
        return [.. predictions.Select((p, c) => p with { PerLr = values[c][..^1], Pooled = values[c][^1] })];
    }

    /// <summary>
    /// <c>rank</c>'s ranking of one candidate set (helpers rankens and rankfix; moved here from the CLI so that <c>rank</c> and the
    /// validation of <c>HyperLaws.Validation.LrHoldOut</c> run one implementation): the members' predictions that are not a physical
    /// loss (<paramref name="physical"/> false) are handled as <see cref="DropUnphysical"/> says (a within-LR member left out of its
    /// whole LR); the pooled member's own prediction J (the level across LRs) that is not physical is no level (NaN: the set takes the
    /// declared fallback); the set is ranked by <see cref="Rank"/>; the candidates of an LR where no member is left (each member
    /// there gave some candidate no physical loss) are ranked last, with no score (+infinity) and no predicted loss.
    /// </summary>
    /// <param name="predictions">The candidates' member predictions (<see cref="LrEnsembleFit.Predict"/>).</param>
    /// <param name="names">The candidates' names (the last tie-break).</param>
    /// <param name="physical">True for a value that is a physical loss (<c>HyperLaws.Planning.LossPlausibility.IsPhysical</c> for the runs).</param>
    /// <exception cref="ArgumentException">As <see cref="Rank"/>.</exception>
    public static LrEnsembleScreened RankPhysical(IReadOnlyList<LrEnsemblePrediction> predictions, IReadOnlyList<string> names, Func<double, bool> physical)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(physical);
        var kept = DropUnphysical(predictions, physical, out var dropped)
            .Select(p => double.IsNaN(p.Level) || physical(p.Level) ? p : p with { Level = double.NaN }).ToList();
        int levels = predictions.Count(p => !double.IsNaN(p.Level) && !physical(p.Level));
        var ranked = Rank(kept, names);
        static bool AnyWithin(LrEnsemblePrediction p) => p.PerLr.Append(p.Pooled).Any(double.IsFinite);
        var none = Enumerable.Range(0, predictions.Count).Where(c => AnyWithin(predictions[c]) && !AnyWithin(kept[c])).ToHashSet();
        if (none.Count > 0)
            ranked = [.. ranked.Where(x => !none.Contains(x.Index)),
                .. ranked.Where(x => none.Contains(x.Index)).Select(x => x with { Score = double.PositiveInfinity, PredictedLoss = double.NaN })];
        return new LrEnsembleScreened(ranked, dropped, levels, none.Count);
    }

    /// <summary>
    /// Ranks one candidate set by <see cref="EnsembleRanking.AxisScores"/> (the per-LR members anchored as P_l, the pooled member
    /// anchored as Q, its own prediction as J; lowest first, ties by name). Each candidate's predicted loss is
    /// <code>loss(c) = mean_G J x (1 + score(c)) = mean_{G_eta} J + mean_G J x w(c)</code>
    /// the pooled law's level of the candidate's LR (its mean own prediction over the set's candidates at that LR) plus the within-LR
    /// contrast w of the two families on that scale: a loss in the units of the runs that orders the set exactly as the score does.
    /// NaN when the level is unknown (J not finite and positive for every candidate: the score is then the scale-free mean fallback).
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length, or as <see cref="EnsembleRanking.AxisScores"/>.</exception>
    public static IReadOnlyList<LrEnsembleRanked> Rank(IReadOnlyList<LrEnsemblePrediction> predictions, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(names);
        if (predictions.Count != names.Count) throw new ArgumentException($"{predictions.Count} predictions for {names.Count} names.", nameof(names));
        int n = names.Count;
        var rows = Enumerable.Range(0, PerLrMembers.Count).Select(l => (IReadOnlyList<double>)[.. predictions.Select(p => p.PerLr[l])]).ToList();
        double[] q = [.. predictions.Select(p => p.Pooled)], j = [.. predictions.Select(p => p.Level)], lr = [.. predictions.Select(p => p.Lr)];
        var score = EnsembleRanking.AxisScores(rows, q, j, lr, names);
        var order = EnsembleRanking.AxisOrder(rows, q, j, lr, names);
        bool known = n > 0 && j.All(v => double.IsFinite(v) && v > 0);
        double mean = known ? j.Average() : double.NaN;
        return [.. order.Select(c =>
        {
            double level = known ? Enumerable.Range(0, n).Where(k => AnchoredPrediction.Same(lr[k], lr[c])).Average(k => j[k]) : double.NaN;
            return new LrEnsembleRanked(c, predictions[c], score[c], mean * (1 + score[c]), level);
        })];
    }

    /// <summary>
    /// <c>ensemble-lr-near</c>'s transfer for a candidate at a peak LR <paramref name="lr"/> where the runs have none (docs/VALIDATION.md,
    /// "Protocols 3h and 17h with the nearest seen LR's members", helper lrranker; declared before scoring): the seen LRs that bracket
    /// it, w = ln(lr / eta_a) / ln(eta_b / eta_a) the upper one's weight (linear in log LR), and the class it is ranked in, the nearer
    /// of the two in log LR (a tie: the lower); below the lowest or above the highest seen LR, the nearest alone (w = 0).
    /// </summary>
    /// <exception cref="ArgumentException">No seen LR, a seen LR not positive, or <paramref name="lr"/> not positive.</exception>
    public static LrEnsembleNeighbours Neighbours(double lr, IReadOnlyList<double> seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        if (!(lr > 0)) throw new ArgumentException(FormattableString.Invariant($"the LR {lr} is not positive."), nameof(lr));
        if (seen.Count == 0 || seen.Any(v => !(v > 0))) throw new ArgumentException("the seen LRs must be positive and at least one.", nameof(seen));
        var sorted = seen.Order().ToList();
        if (lr <= sorted[0]) return new(sorted[0], sorted[0], 0, sorted[0]);
        if (lr >= sorted[^1]) return new(sorted[^1], sorted[^1], 0, sorted[^1]);
        int k = sorted.FindIndex(v => v > lr);
        double a = sorted[k - 1], b = sorted[k];
        double w = Math.Log(lr / a) / Math.Log(b / a);
        return new(a, b, w, w <= 0.5 ? a : b);
    }

    /// <summary>
    /// <paramref name="plain"/> moved to a peak LR <paramref name="lr"/> where the runs have none (<c>ensemble-lr-near</c>): each per-LR
    /// member's value at the seen LRs that bracket it (<paramref name="value"/>(its index in <see cref="PerLrMembers"/>, the seen LR)),
    /// interpolated in log LR (<see cref="Neighbours"/>: (1 - w) v_a + w v_b), and <see cref="LrEnsemblePrediction.Lr"/> the seen LR
    /// whose class it is ranked in. Shared by <see cref="LrEnsembleFit.PredictNear"/> and protocol 17h's transfer.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Neighbours"/>.</exception>
    public static LrEnsemblePrediction Near(LrEnsemblePrediction plain, double lr, IReadOnlyList<double> seen, Func<int, double, double> value)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(value);
        var near = Neighbours(lr, seen);
        return plain with
        {
            Lr = near.Joined,
            PerLr = [.. Enumerable.Range(0, PerLrMembers.Count).Select(l => near.Interpolate(value(l, near.Lower), near.UpperWeight > 0 ? value(l, near.Upper) : double.NaN))],
        };
    }

    /// <summary>The pooled member's law: the joint law with <paramref name="joint"/> (default options) and its noise power fitted.</summary>
    public static JointLaw PooledLaw(JointFitOptions? joint = null) => new((joint ?? new JointFitOptions()) with { FitNoisePower = true });

    /// <summary>
    /// Fits the four members on <paramref name="runs"/> (training runs that did not diverge; the caller's order is the fit's order):
    /// each run's peak LR (<see cref="PeakLr"/>; LRs equal to 1e-9 relative share one) groups them; at each LR the per-LR members
    /// are fitted on that LR's runs, the pooled member on all. Each run's target is <see cref="Target"/>, cooldown only where a run
    /// that ends at its peak (<see cref="EndsAtPeak"/>) is among its LR's runs; the first such run is the LR's anchor
    /// (<see cref="AnchorResidual"/>). The offsets (<see cref="Offsets"/>) come from <paramref name="finalLoss"/> of each run
    /// (protocol 3: the separate final validation loss; <c>rank</c>: the run's last observed loss), per LR for the per-LR members,
    /// pooled for the joint law, for the plain and the anchored values apart (as protocol 3 computes them).
    /// </summary>
    /// <exception cref="ArgumentException">No run, or no run with a positive peak LR and an observation of <paramref name="split"/>.</exception>
    /// <param name="runs">The training runs.</param>
    /// <param name="finalLoss">Each run's final loss (for the offsets).</param>
    /// <param name="split">The observations fitted.</param>
    /// <param name="fit">The fitter's options.</param>
    /// <param name="joint">The pooled joint law's options (its noise power fitted whatever they say).</param>
    /// <param name="progress">Progress lines, or null.</param>
    /// <param name="perLrFits">When given, the per-LR fits by (member, LR): a fit found there is used instead of fitting, a new one is
    /// added. A per-LR member's fit depends only on its LR's runs, so fits of the same runs at an LR can be shared between calls on
    /// sets that differ in other LRs (leave one LR out, <c>HyperLaws.Validation.LrHoldOut</c>); the caller keeps the runs of an LR the same.</param>
    public static LrEnsembleFit Fit(IReadOnlyList<TrainingRun> runs, Func<TrainingRun, double> finalLoss, LossSplit split,
        FitOptions? fit = null, JointFitOptions? joint = null, Action<string>? progress = null, IDictionary<(string Member, double Lr), LawFit>? perLrFits = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(finalLoss);
        var lrOf = new Dictionary<TrainingRun, double>();
        var classes = new List<double>();
        foreach (var run in runs)
        {
            double peak = PeakLr(run.LearningRates);
            if (!(peak > 0)) continue;
            int k = classes.FindIndex(v => AnchoredPrediction.Same(v, peak));
            if (k < 0) classes.Add(peak);
            lrOf[run] = k < 0 ? peak : classes[k];
        }
        var used = runs.Where(lrOf.ContainsKey).ToList();
        var anchors = classes.ToDictionary(lr => lr, lr => used.FirstOrDefault(r => lrOf[r] == lr && EndsAtPeak(r.LearningRates)));
        var histories = used.ToDictionary(r => r, r => new ScheduleHistory(r.LearningRates));
        var targets = used.Select(r => (Run: r, Target: Target(r, histories[r], !EndsAtPeak(r.LearningRates) && anchors[lrOf[r]] is not null, split)))
            .Where(x => x.Target is not null).ToList();
        if (targets.Count == 0) throw new ArgumentException($"no run has a positive peak LR and {split.ToString().ToLowerInvariant()} losses to fit.", nameof(runs));
        var lrs = classes.Where(lr => targets.Any(t => lrOf[t.Run] == lr)).Order().ToList();

        double Anchor(IReadOnlyList<double> schedule, double lr, LawFit f) =>
            anchors.GetValueOrDefault(lr) is { } c ? AnchorResidual(schedule, c, histories[c], f, split) : 0;

        // The offsets over every run of the cell (a run whose target is empty too, as protocol 3 computes them).
        LrEnsembleMember Member(LawFit f, int fitted, List<TrainingRun> cell, double lr, bool pooled)
        {
            double Value(TrainingRun r) => f.Predict(histories[r], [r.Steps])[0];
            // One training run's plain and anchored values; the offsets of each from the runs' final losses.
            var rows = cell.Select(r => (Run: r, Value: Value(r), Anchor: Anchor(r.LearningRates, lrOf[r], f))).ToList();
            var plain = Offsets([.. rows.Select(x => (lrOf[x.Run], finalLoss(x.Run), x.Value))], pooled);
            var anchored = Offsets([.. rows.Select(x => (lrOf[x.Run], finalLoss(x.Run), x.Value + x.Anchor))], pooled);
            double Of(Dictionary<double, double> d) => pooled ? d.Values.FirstOrDefault() : d.GetValueOrDefault(lr);
            return new LrEnsembleMember(f, fitted, Of(plain), Of(anchored));
        }

        var perLr = new Dictionary<string, IReadOnlyDictionary<double, LrEnsembleMember>>(StringComparer.Ordinal);
        foreach (string name in PerLrMembers)
        {
            var byLr = new Dictionary<double, LrEnsembleMember>();
            foreach (double lr in lrs)
            {
                var cell = targets.Where(t => lrOf[t.Run] == lr).ToList();
                if (perLrFits is null || !perLrFits.TryGetValue((name, lr), out var f))
                {
                    string where = FormattableString.Invariant($"lr={lr:G4}");
                    progress?.Invoke($"{name}: fitting {where} on {cell.Count} curves ({cell.Sum(x => x.Target!.Steps.Length)} points) ...");
                    var started = System.Diagnostics.Stopwatch.StartNew();
                    f = LawFitter.Fit(LawCatalog.Create(name), [.. cell.Select(x => x.Target!)], fit);
                    progress?.Invoke(FormattableString.Invariant($"{name}: {where} fitted in {started.Elapsed.TotalSeconds:F1} s"));
                    if (perLrFits is not null) perLrFits[(name, lr)] = f;
                }
                byLr[lr] = Member(f, cell.Count, [.. used.Where(r => lrOf[r] == lr)], lr, pooled: false);
            }
            perLr[name] = byLr;
        }
        progress?.Invoke($"{Pooled}: fitting all LRs on {targets.Count} curves ({targets.Sum(x => x.Target!.Steps.Length)} points) ...");
        var pooledClock = System.Diagnostics.Stopwatch.StartNew();
        var pooledFit = LawFitter.Fit(PooledLaw(joint), [.. targets.Select(x => x.Target!)], fit);
        progress?.Invoke(FormattableString.Invariant($"{Pooled}: all LRs fitted in {pooledClock.Elapsed.TotalSeconds:F1} s"));
        var pooledMember = Member(pooledFit, targets.Count, used, double.NaN, pooled: true);
        return new LrEnsembleFit(lrs, perLr, pooledMember, targets.Count, anchors, Anchor, r => lrOf.GetValueOrDefault(r, double.NaN));
    }
}
