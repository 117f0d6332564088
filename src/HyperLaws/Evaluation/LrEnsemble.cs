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
    public static LrEnsembleFit Fit(IReadOnlyList<TrainingRun> runs, Func<TrainingRun, double> finalLoss, LossSplit split,
        FitOptions? fit = null, JointFitOptions? joint = null, Action<string>? progress = null)
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
                string where = FormattableString.Invariant($"lr={lr:G4}");
                progress?.Invoke($"{name}: fitting {where} on {cell.Count} curves ({cell.Sum(x => x.Target!.Steps.Length)} points) ...");
                var started = System.Diagnostics.Stopwatch.StartNew();
                var f = LawFitter.Fit(LawCatalog.Create(name), [.. cell.Select(x => x.Target!)], fit);
                progress?.Invoke(FormattableString.Invariant($"{name}: {where} fitted in {started.Elapsed.TotalSeconds:F1} s"));
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

/// <summary>One fitted member of <see cref="LrEnsemble"/> at one LR (or pooled).</summary>
/// <param name="Fit">The law's fit.</param>
/// <param name="Runs">How many runs it was fitted on.</param>
/// <param name="Offset">The offset of its plain value (<see cref="LrEnsemble.Offsets"/>).</param>
/// <param name="AnchoredOffset">The offset of its anchored value.</param>
public sealed record LrEnsembleMember(LawFit Fit, int Runs, double Offset, double AnchoredOffset);

/// <summary>One candidate's member predictions (<see cref="LrEnsembleFit.Predict"/>): per-LR members NaN where no member exists at its LR.</summary>
/// <param name="Lr">The candidate's peak LR.</param>
/// <param name="PerLr">The per-LR members' anchored predictions, in the order of <see cref="LrEnsemble.PerLrMembers"/>.</param>
/// <param name="Pooled">The pooled member's anchored prediction (Q).</param>
/// <param name="Level">The pooled member's own prediction (J), the level across LRs.</param>
/// <param name="Residuals">The anchor residuals r of the per-LR members then the pooled one (0 where no anchor applies).</param>
/// <param name="AnchoredSteps">The steps the candidate shares with its LR's constant run (0 without one).</param>
public sealed record LrEnsemblePrediction(double Lr, IReadOnlyList<double> PerLr, double Pooled, double Level, IReadOnlyList<double> Residuals, int AnchoredSteps);

/// <summary>One candidate ranked by <see cref="LrEnsembleFit.Rank"/>.</summary>
/// <param name="Index">Its index among the candidates given.</param>
/// <param name="Prediction">The members' predictions.</param>
/// <param name="Score">Its <see cref="EnsembleRanking.AxisScores"/> score (lower first).</param>
/// <param name="PredictedLoss">mean_G J x (1 + score) (<see cref="LrEnsembleFit.Rank"/>); NaN when the level is unknown.</param>
/// <param name="LevelLoss">mean_{G_eta} J, the pooled law's level of its LR over the set; NaN when unknown.</param>
public sealed record LrEnsembleRanked(int Index, LrEnsemblePrediction Prediction, double Score, double PredictedLoss, double LevelLoss)
{
    /// <summary>The within-LR part of <see cref="PredictedLoss"/>: PredictedLoss - LevelLoss = mean_G J x w(c).</summary>
    public double WithinLr => PredictedLoss - LevelLoss;
}

/// <summary>The four members of <see cref="LrEnsemble"/> fitted on a set of runs (<see cref="LrEnsemble.Fit"/>).</summary>
public sealed class LrEnsembleFit
{
    private readonly Func<IReadOnlyList<double>, double, LawFit, double> _anchor;
    private readonly Func<TrainingRun, double> _lrOf;

    internal LrEnsembleFit(IReadOnlyList<double> lrs, IReadOnlyDictionary<string, IReadOnlyDictionary<double, LrEnsembleMember>> perLr, LrEnsembleMember pooled,
        int runs, IReadOnlyDictionary<double, TrainingRun?> anchors, Func<IReadOnlyList<double>, double, LawFit, double> anchor, Func<TrainingRun, double> lrOf)
    {
        Anchors = anchors;
        Lrs = lrs;
        PerLr = perLr;
        PooledMember = pooled;
        Runs = runs;
        _anchor = anchor;
        _lrOf = lrOf;
    }

    /// <summary>The peak LRs of the runs, ascending (one per class of LRs equal to 1e-9 relative).</summary>
    public IReadOnlyList<double> Lrs { get; }

    /// <summary>Per per-LR member (<see cref="LrEnsemble.PerLrMembers"/>), its fit at each LR of <see cref="Lrs"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<double, LrEnsembleMember>> PerLr { get; }

    /// <summary>The pooled joint law (<see cref="LrEnsemble.Pooled"/>).</summary>
    public LrEnsembleMember PooledMember { get; }

    /// <summary>Per LR of <see cref="Lrs"/>, the run that anchors its candidates (its first run that ends at its peak), or null.</summary>
    public IReadOnlyDictionary<double, TrainingRun?> Anchors { get; }

    /// <summary>How many runs gave a fit target.</summary>
    public int Runs { get; }

    /// <summary>The LR of <see cref="Lrs"/> that <paramref name="run"/> was grouped under (NaN for a run not fitted).</summary>
    public double LrOf(TrainingRun run) => _lrOf(run);

    /// <summary>The LR of <see cref="Lrs"/> equal to <paramref name="peak"/> to 1e-9 relative, or null.</summary>
    public double? LrClass(double peak) => Lrs.Cast<double?>().FirstOrDefault(v => AnchoredPrediction.Same(v!.Value, peak));

    /// <summary>
    /// The members' predictions of a candidate with LR schedule <paramref name="lrs"/> (index 0 is step 1) at its last step: each
    /// member's value law(S) plus its offset; anchored, plus the residual r on its LR's constant run (<see cref="LrEnsemble.AnchorResidual"/>)
    /// and the anchored offset. A per-LR member exists only at the LRs of the runs (NaN elsewhere); the pooled member everywhere
    /// (anchored only where its LR has a constant run).
    /// </summary>
    public LrEnsemblePrediction Predict(double[] lrs)
    {
        ArgumentNullException.ThrowIfNull(lrs);
        double peak = LrEnsemble.PeakLr(lrs);
        var history = new ScheduleHistory(lrs);
        int[] at = [lrs.Length];
        double? cls = LrClass(peak);
        var perLr = new List<double>();
        var residuals = new List<double>();
        foreach (string name in LrEnsemble.PerLrMembers)
        {
            if (cls is not { } lr || !PerLr[name].TryGetValue(lr, out var m))
            {
                perLr.Add(double.NaN);
                residuals.Add(0);
                continue;
            }
            double r = _anchor(lrs, lr, m.Fit);
            perLr.Add(m.Fit.Predict(history, at)[0] + r + m.AnchoredOffset);
            residuals.Add(r);
        }
        double v = PooledMember.Fit.Predict(history, at)[0];
        double rq = cls is { } c ? _anchor(lrs, c, PooledMember.Fit) : 0;
        residuals.Add(rq);
        int shared = cls is { } a && Anchors.GetValueOrDefault(a) is { } run ? AnchoredPrediction.SharedPrefix(lrs, run.LearningRates) : 0;
        return new LrEnsemblePrediction(cls ?? peak, perLr, v + rq + PooledMember.AnchoredOffset, v + PooledMember.Offset, residuals, shared);
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
    public IReadOnlyList<LrEnsembleRanked> Rank(IReadOnlyList<LrEnsemblePrediction> predictions, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(names);
        if (predictions.Count != names.Count) throw new ArgumentException($"{predictions.Count} predictions for {names.Count} names.", nameof(names));
        int n = names.Count;
        var rows = Enumerable.Range(0, LrEnsemble.PerLrMembers.Count).Select(l => (IReadOnlyList<double>)[.. predictions.Select(p => p.PerLr[l])]).ToList();
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
}
