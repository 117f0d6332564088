using System.Diagnostics;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Planning;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocols 3h and 17h of docs/VALIDATION.md ("Protocols 3h and 17h: <c>ensemble-lr</c> at a peak LR without runs, leave one LR out",
/// helper lrhold; declared before scoring): <c>rank</c>'s ranker <c>ensemble-lr</c> fitted without the runs of one peak LR, ranking
/// that LR's candidates with the others'. Scored by the order of the pairs with a candidate at the held-out LR (within it and
/// across), against the pooled joint law alone, its anchored form and single laws fitted across the remaining LRs; and, on the full
/// fit, rankfix's member drop (<see cref="LrEnsemble.RankPhysical"/>) against the declared path without it.
/// </summary>
public static class LrHoldOut
{
    /// <summary><c>ensemble-lr</c> as <c>rank</c> runs it: with the member drop (<see cref="LrEnsemble.RankPhysical"/>); the headline.</summary>
    public const string Ensemble = "ensemble-lr";

    /// <summary>
    /// <c>ensemble-lr-near</c> (helper lrranker, declared before scoring; an option, not <c>rank</c>'s): <c>ensemble-lr</c> with the drop,
    /// a candidate at the held-out LR taken to the seen LRs that bracket it (<see cref="LrEnsembleFit.PredictNear"/>,
    /// <see cref="LrEnsemble.Neighbours"/>); identical to <see cref="Ensemble"/> at seen LRs.
    /// </summary>
    public const string Near = "ensemble-lr-near";

    /// <summary><c>ensemble-lr</c> without the drop (<see cref="LrEnsemble.Rank"/>, validate's declared path).</summary>
    public const string NoDrop = "ensemble-lr-nodrop";

    /// <summary>The reference: <c>ensemble-lr</c> (with the drop) fitted on every LR, the held-out one included.</summary>
    public const string Seen = "ensemble-lr (LR seen)";

    /// <summary>The single laws fitted as one law across the fold's LRs (peers).</summary>
    public static IReadOnlyList<string> SingleLaws => LrEnsemble.PerLrMembers;

    /// <summary>The rankers in report order.</summary>
    public static IReadOnlyList<string> Rankers { get; } =
        [Ensemble, Near, NoDrop, LrEnsemble.Pooled, LrEnsemble.Pooled + LrEnsemble.AnchoredSuffix, .. SingleLaws, Seen];

    /// <summary>
    /// Protocol 3h: at each training fraction (<see cref="ScheduleGrid.Fractions"/> when <paramref name="fractions"/> is null), protocol
    /// 3's training runs and held-out candidates; the full fit (<see cref="LrEnsemble.Fit"/>) for the drop check on protocol 3's (horizon,
    /// LR) groups, then each LR held out in turn, every horizon's held-out candidates across LRs ranked as one set.
    /// </summary>
    /// <exception cref="ArgumentException">A fraction the grid does not have.</exception>
    public static LrHoldOutResult Grid(IReadOnlyList<GridRun> runs, IReadOnlyList<double>? fractions = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var watch = Stopwatch.StartNew();
        var available = ScheduleGrid.Fractions(runs);
        fractions ??= available;
        var pairs = new List<LrHoldOutPairs>();
        var drops = new List<LrHoldOutDropCheck>();
        var notes = new List<string>();
        foreach (double f in fractions)
        {
            if (!available.Contains(f)) throw new ArgumentException(FormattableString.Invariant($"no linear-cooldown runs with fraction {f}."));
            Action<string>? say = progress is { } p ? m => p(FormattableString.Invariant($"train fraction {f}: {m}")) : null;
            var (train, heldOut, _) = ScheduleGrid.Split(ScheduleGrid.Order(runs), f);
            var final = train.ToDictionary(g => g.Run, g => g.FinalLoss);
            var cache = new Dictionary<(string Member, double Lr), LawFit>();
            var full = LrEnsemble.Fit([.. train.Select(g => g.Run)], r => final[r], LossSplit.Validation, progress: say, perLrFits: cache);
            var fullPhysical = Physical(train.Select(g => g.Run));
            var fullPredictions = heldOut.ToDictionary(g => g, g => full.Predict(g.Run.LearningRates));
            var fullNear = heldOut.ToDictionary(g => g, g => full.PredictNear(g.Run.LearningRates));

            // rankfix's drop on protocol 3's own candidate sets (one horizon and LR each), with and without.
            var withDrop = new List<RankingGroup>();
            var without = new List<RankingGroup>();
            int changed = 0, nearChanged = 0;
            foreach (var set in heldOut.GroupBy(g => ScheduleGrid.GroupKey(g.Horizon, g.Lr), StringComparer.Ordinal))
            {
                var c = set.ToList();
                var (a, b) = (Positions(c, fullPredictions, fullPhysical, notes, set.Key, f), Positions(c, fullPredictions, null, null, set.Key, f));
                if (!a.SequenceEqual(b)) changed++;
                if (!Positions(c, fullNear, fullPhysical, null, set.Key, f).SequenceEqual(a)) nearChanged++;
                withDrop.Add(Group(set.Key, c, a));
                without.Add(Group(set.Key, c, b));
            }
            var (cw, pw) = ScheduleRanking.Pairwise(withDrop);
            var (cn, _) = ScheduleRanking.Pairwise(without);
            drops.Add(new LrHoldOutDropCheck(f, withDrop.Count, changed, ScheduleRanking.Score(withDrop).Top2Hits, ScheduleRanking.Score(without).Top2Hits, cw, cn, pw, nearChanged));

            foreach (double held in full.Lrs)
            {
                say?.Invoke(FormattableString.Invariant($"lr={held:G4} held out ..."));
                var foldRuns = train.Where(g => !AnchoredPrediction.Same(g.Lr, held)).ToList();
                var fold = LrEnsemble.Fit([.. foldRuns.Select(g => g.Run)], r => final[r], LossSplit.Validation, progress: say, perLrFits: cache);
                var physical = Physical(foldRuns.Select(g => g.Run));
                var singles = SingleLaws.Select(law => PooledSingle(law, foldRuns, say)).ToList();
                foreach (var set in heldOut.GroupBy(g => g.Horizon).OrderBy(g => g.Key))
                {
                    var c = set.ToList();
                    if (!c.Any(g => AnchoredPrediction.Same(g.Lr, held))) continue;
                    var predictions = c.ToDictionary(g => g, g => fold.Predict(g.Run.LearningRates));
                    var near = c.ToDictionary(g => g, g => fold.PredictNear(g.Run.LearningRates));
                    string key = FormattableString.Invariant($"S={set.Key} lr={held:G4} held out");
                    var keys = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal)
                    {
                        [Ensemble] = Positions(c, predictions, physical, notes, key, f),
                        [Near] = Positions(c, near, physical, null, key, f),
                        [NoDrop] = Positions(c, predictions, null, null, key, f),
                        [LrEnsemble.Pooled] = [.. c.Select(g => predictions[g].Level)],
                        [LrEnsemble.Pooled + LrEnsemble.AnchoredSuffix] = [.. c.Select(g => predictions[g].Pooled)],
                        [Seen] = Positions(c, fullPredictions, fullPhysical, null, key, f),
                    };
                    for (int l = 0; l < SingleLaws.Count; l++) keys[SingleLaws[l]] = [.. c.Select(singles[l])];
                    foreach (string ranker in Rankers)
                        pairs.Add(Count(ranker, f, held, key, [.. c.Select(g => new RankedCandidate(g.Name, g.FinalLoss, 0))], [.. c.Select(g => g.Lr)], keys[ranker], [.. c.Select(g => g.Label)]));
                }
            }
        }
        return new LrHoldOutResult("3h", Rankers, pairs, drops, notes, watch.Elapsed);
    }

    /// <summary>
    /// Protocol 17h: protocol 17r's groups (<see cref="LrScheduleRanking.Groups"/>, two or more runs) at its fractions; per group and
    /// fraction the full fit (17r's) for the drop check, then, where the group has two or more peak LRs, each LR held out in turn.
    /// </summary>
    public static LrHoldOutResult LrSchedule(IReadOnlyList<CrossDataRun> runs, IReadOnlyList<double>? fractions = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var watch = Stopwatch.StartNew();
        fractions ??= LrScheduleRanking.Fractions;
        var pairs = new List<LrHoldOutPairs>();
        var drops = new List<LrHoldOutDropCheck>();
        var notes = new List<string>();
        foreach (double f in fractions)
        {
            var withDrop = new List<RankingGroup>();
            var without = new List<RankingGroup>();
            int changed = 0, nearChanged = 0;
            foreach (var (key, members) in LrScheduleRanking.Groups(runs).Where(g => g.Runs.Count >= 2))
            {
                progress?.Invoke(FormattableString.Invariant($"{key} f={f}: {members.Count} candidates ..."));
                var targets = members.Select(r => LrScheduleRanking.Prefix(r, f)).ToList();
                var actual = members.Select(LrScheduleRanking.Actual).ToList();
                var names = members.Select(r => r.Name).ToList();
                var shapes = members.Select(r => Shape(r)).ToList();
                double[] lrs = [.. members.Select(r => LrEnsemble.PeakLr(r.Run.LearningRates))];
                var classes = Classes(lrs);
                RankedCandidate[] candidates = [.. names.Select((n, i) => new RankedCandidate(n, actual[i], 0))];

                // The per-LR members at each LR on its prefixes, anchored on each run's own prefix (17r's fits); kept for the folds.
                var perLr = new double[LrEnsemble.PerLrMembers.Count][];
                var perLrFit = new Dictionary<(int Member, double Lr), LawFit?>();
                for (int l = 0; l < LrEnsemble.PerLrMembers.Count; l++)
                {
                    perLr[l] = [.. members.Select(_ => double.NaN)];
                    foreach (double lr in classes)
                    {
                        int[] at = At(lrs, lr);
                        var fit = LrScheduleRanking.FitOrNull(LawCatalog.Create(LrEnsemble.PerLrMembers[l]), [.. at.Select(i => targets[i])]);
                        perLrFit[(l, lr)] = fit;
                        foreach (int i in at) perLr[l][i] = Anchored(fit, members[i], targets[i]);
                    }
                }
                var joint = LrScheduleRanking.FitOrNull(PooledJoint(), targets);
                var full = Predictions(members, lrs, i => [.. perLr.Select(row => row[i])], joint, i => targets[i]);
                var fullPhysical = Physical(members.Select((r, i) => Cut(r, targets[i])));
                var a = Positions(names, full, fullPhysical, notes, FormattableString.Invariant($"{key} f={f}"), f);
                var b = Positions(names, full, null, null, key, f);
                if (!a.SequenceEqual(b)) changed++;
                // Every LR seen: no candidate is transferred, so ensemble-lr-near's order is ensemble-lr's by construction (counted as 3h counts it).
                if (!Positions(names, Transferred(full, lrs, classes, _ => true, perLrFit, members), fullPhysical, null, key, f).SequenceEqual(a)) nearChanged++;
                withDrop.Add(new RankingGroup(key, [.. candidates.Select((c, i) => c with { Predicted = a[i] })]));
                without.Add(new RankingGroup(key, [.. candidates.Select((c, i) => c with { Predicted = b[i] })]));
                if (classes.Count < 2) continue;

                foreach (double held in classes)
                {
                    var kept = Enumerable.Range(0, members.Count).Where(i => !AnchoredPrediction.Same(lrs[i], held)).ToList();
                    var keptTargets = kept.Select(i => targets[i]).ToList();
                    var foldJoint = LrScheduleRanking.FitOrNull(PooledJoint(), keptTargets);
                    bool Fitted(int i) => kept.Contains(i);
                    var predictions = Predictions(members, lrs, i => [.. perLr.Select(row => Fitted(i) ? row[i] : double.NaN)], foldJoint, i => Fitted(i) ? targets[i] : null);
                    var physical = Physical(kept.Select(i => Cut(members[i], targets[i])));
                    var keptClasses = Classes([.. kept.Select(i => lrs[i])]);
                    string foldKey = FormattableString.Invariant($"{key} f={f} lr={held:G4} held out");
                    var keys = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal)
                    {
                        [Ensemble] = Positions(names, predictions, physical, notes, foldKey, f),
                        [Near] = Positions(names, Transferred(predictions, lrs, keptClasses, Fitted, perLrFit, members), physical, null, foldKey, f),
                        [NoDrop] = Positions(names, predictions, null, null, foldKey, f),
                        [LrEnsemble.Pooled] = [.. predictions.Select(p => p.Level)],
                        [LrEnsemble.Pooled + LrEnsemble.AnchoredSuffix] = [.. predictions.Select(p => p.Pooled)],
                        [Seen] = a,
                    };
                    for (int l = 0; l < SingleLaws.Count; l++)
                    {
                        // One law across the fold's LRs; with one LR left that is its per-LR fit (the same targets and fitter).
                        var fit = keptClasses.Count == 1 ? perLrFit[(l, classes.First(c => AnchoredPrediction.Same(c, keptClasses[0])))] : LrScheduleRanking.FitOrNull(LawCatalog.Create(SingleLaws[l]), keptTargets);
                        keys[SingleLaws[l]] = [.. members.Select(r => Plain(fit, r))];
                    }
                    foreach (string ranker in Rankers)
                        pairs.Add(Count(ranker, f, held, foldKey, candidates, lrs, keys[ranker], shapes));
                }
            }
            var (cw, pw) = ScheduleRanking.Pairwise(withDrop);
            var (cn, _) = ScheduleRanking.Pairwise(without);
            drops.Add(new LrHoldOutDropCheck(f, withDrop.Count, changed, ScheduleRanking.Score(withDrop.Where(g => g.Candidates.Count >= 3)).Top2Hits,
                ScheduleRanking.Score(without.Where(g => g.Candidates.Count >= 3)).Top2Hits, cw, cn, pw, nearChanged));
        }
        return new LrHoldOutResult("17h", Rankers, pairs, drops, notes, watch.Elapsed);
    }

    /// <summary>
    /// The pairs of one ranked set that involve the held-out LR: over every pair of candidates whose actual losses differ and of which
    /// at least one is at <paramref name="held"/>, whether the ranker's order (<see cref="ScheduleRanking.ByPredicted"/> of
    /// <paramref name="keys"/>: non-finite last, ties by name) puts the lower actual loss first; within (both at the LR) and across,
    /// and of the across pairs those of two candidates of the same <paramref name="shapes"/> (the same schedule at two LRs; none
    /// without shapes).
    /// </summary>
    public static LrHoldOutPairs Count(string ranker, double fraction, double held, string set, IReadOnlyList<RankedCandidate> candidates,
        IReadOnlyList<double> lrs, IReadOnlyList<double> keys, IReadOnlyList<string>? shapes = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(lrs);
        ArgumentNullException.ThrowIfNull(keys);
        var lrOf = candidates.Select((c, i) => (c.Name, Lr: lrs[i])).ToDictionary(x => x.Name, x => x.Lr, StringComparer.Ordinal);
        var shapeOf = candidates.Select((c, i) => (c.Name, Shape: shapes?[i])).ToDictionary(x => x.Name, x => x.Shape, StringComparer.Ordinal);
        var order = ScheduleRanking.ByPredicted(candidates.Select((c, i) => c with { Predicted = keys[i] }));
        int wc = 0, wp = 0, ac = 0, ap = 0, sc = 0, sp = 0;
        for (int i = 0; i < order.Count; i++)
            for (int j = i + 1; j < order.Count; j++)
            {
                if (order[i].Actual == order[j].Actual) continue;
                bool hi = AnchoredPrediction.Same(lrOf[order[i].Name], held), hj = AnchoredPrediction.Same(lrOf[order[j].Name], held);
                if (!hi && !hj) continue;
                int right = order[i].Actual < order[j].Actual ? 1 : 0;
                if (hi && hj) (wc, wp) = (wc + right, wp + 1);
                else
                {
                    (ac, ap) = (ac + right, ap + 1);
                    if (shapeOf[order[i].Name] is { } s && s == shapeOf[order[j].Name]) (sc, sp) = (sc + right, sp + 1);
                }
            }
        return new LrHoldOutPairs(ranker, fraction, held, set, wc, wp, ac, ap, sc, sp);
    }

    /// <summary>
    /// 17h's <c>ensemble-lr-near</c>: each candidate not <paramref name="seen"/> in the fold gets the per-LR members of the fold's LRs
    /// <paramref name="keptClasses"/> that bracket its peak, each fit's plain prediction of the run (17h has no offsets: as its single
    /// laws predict an unseen run), interpolated in log LR and ranked in the nearer LR's class (<see cref="LrEnsemble.Near"/>, as <c>rank</c>'s);
    /// a seen candidate's prediction is kept.
    /// </summary>
    private static List<LrEnsemblePrediction> Transferred(IReadOnlyList<LrEnsemblePrediction> predictions, double[] lrs, IReadOnlyList<double> keptClasses,
        Func<int, bool> seen, Dictionary<(int Member, double Lr), LawFit?> perLrFit, IReadOnlyList<CrossDataRun> runs) =>
        [.. predictions.Select((p, i) =>
        {
            if (seen(i)) return p;
            double Value(int l, double lr) => Plain(perLrFit.First(x => x.Key.Member == l && AnchoredPrediction.Same(x.Key.Lr, lr)).Value, runs[i]);
            return LrEnsemble.Near(p, lrs[i], keptClasses, Value);
        })];

    /// <summary>A protocol-17 run's schedule for the shape split (its name without the set and the LR: "cos", "wsd0.2", "const").</summary>
    private static string Shape(CrossDataRun r)
    {
        string name = r.Name.StartsWith(r.Set + "-", StringComparison.Ordinal) ? r.Name[(r.Set.Length + 1)..] : r.Name;
        int lr = name.IndexOf("-lr", StringComparison.Ordinal);
        return lr > 0 ? name[..lr] : name;
    }

    /// <summary>The pooled member's law (<see cref="LrEnsemble.PooledLaw"/>; 17r fits the same: the joint law with its noise power fitted).</summary>
    private static JointLaw PooledJoint() => LrEnsemble.PooledLaw();

    /// <summary>True for a loss that is physical for <paramref name="runs"/> (<see cref="LossPlausibility"/>, the rule <c>rank</c> applies).</summary>
    private static Func<double, bool> Physical(IEnumerable<TrainingRun> runs)
    {
        var (lowest, highest) = LossPlausibility.Observed(runs);
        return v => LossPlausibility.IsPhysical(v, lowest, highest);
    }

    /// <summary>The run cut to the observations a fit on <paramref name="prefix"/> saw (steps up to the prefix's last).</summary>
    private static TrainingRun Cut(CrossDataRun r, FitTarget prefix) => r.Run with { Observations = [.. r.Run.Observations.Where(o => o.Step <= prefix.Steps[^1])] };

    /// <summary>
    /// Each candidate's position (1-based) in <c>ensemble-lr</c>'s order of the set: with <paramref name="physical"/>, <c>rank</c>'s
    /// path (<see cref="LrEnsemble.RankPhysical"/>; its drops noted); without, the declared path (<see cref="LrEnsemble.Rank"/>).
    /// </summary>
    private static double[] Positions(IReadOnlyList<string> names, IReadOnlyList<LrEnsemblePrediction> predictions, Func<double, bool>? physical,
        List<string>? notes, string set, double fraction)
    {
        IReadOnlyList<LrEnsembleRanked> ranked;
        if (physical is null) ranked = LrEnsemble.Rank(predictions, names);
        else
        {
            var screened = LrEnsemble.RankPhysical(predictions, names, physical);
            ranked = screened.Ranked;
            if (notes is not null)
            {
                foreach (var d in screened.Dropped)
                    notes.Add(FormattableString.Invariant($"f={fraction} {set}: {d.Member} left out at lr={d.Lr:G4} ({d.Unphysical} of {d.Candidates} not physical)"));
                if (screened.LevelsSetAside > 0) notes.Add(FormattableString.Invariant($"f={fraction} {set}: {screened.LevelsSetAside} levels set aside"));
            }
        }
        var position = new double[names.Count];
        for (int k = 0; k < ranked.Count; k++) position[ranked[k].Index] = k + 1;
        return position;
    }

    private static double[] Positions(List<GridRun> set, Dictionary<GridRun, LrEnsemblePrediction> predictions, Func<double, bool>? physical,
        List<string>? notes, string key, double fraction) =>
        Positions([.. set.Select(g => g.Name)], [.. set.Select(g => predictions[g])], physical, notes, key, fraction);

    private static RankingGroup Group(string key, List<GridRun> set, double[] positions) =>
        new(key, [.. set.Select((g, i) => new RankedCandidate(g.Name, g.FinalLoss, positions[i]))]);

    /// <summary>
    /// A single law fitted as one law across <paramref name="runs"/> (protocol 3's pooled fit: <see cref="LrEnsemble.Target"/> of each
    /// run, cooldown only for a run that does not end at its peak, every LR of the grid having its constant run; the pooled offset
    /// of <see cref="LrEnsemble.Offsets"/>); its plain prediction of a run's final loss.
    /// </summary>
    private static Func<GridRun, double> PooledSingle(string law, List<GridRun> runs, Action<string>? progress)
    {
        var targets = runs.Select(g => ScheduleGrid.Target(g, LossSplit.Validation)).OfType<FitTarget>().ToList();
        progress?.Invoke($"{law}: fitting the fold's LRs as one law on {targets.Count} curves ...");
        var fit = LawFitter.Fit(LawCatalog.Create(law), targets);
        double Value(GridRun g) => fit.Predict(g.History, [g.Horizon])[0];
        var offset = LrEnsemble.Offsets([.. runs.Select(g => (g.Lr, g.FinalLoss, Value(g)))], pooled: true).Values.FirstOrDefault();
        return g => Value(g) + offset;
    }

    /// <summary>The LR classes of <paramref name="lrs"/> (equal to 1e-9 relative), ascending.</summary>
    private static List<double> Classes(IReadOnlyList<double> lrs)
    {
        var classes = new List<double>();
        foreach (double v in lrs)
            if (!classes.Any(c => AnchoredPrediction.Same(c, v))) classes.Add(v);
        classes.Sort();
        return classes;
    }

    private static int[] At(IReadOnlyList<double> lrs, double lr) => [.. Enumerable.Range(0, lrs.Count).Where(i => AnchoredPrediction.Same(lrs[i], lr))];

    /// <summary>A fit's prediction anchored on the run's own prefix (17r's anchored member); NaN without a fit or where it throws.</summary>
    private static double Anchored(LawFit? fit, CrossDataRun r, FitTarget? target) => Predict(fit, r, target).Anchored;

    private static double Plain(LawFit? fit, CrossDataRun r) => Predict(fit, r, null).Plain;

    private static (double Plain, double Anchored) Predict(LawFit? fit, CrossDataRun r, FitTarget? target)
    {
        if (fit is null) return (double.NaN, double.NaN);
        try
        {
            return LrScheduleRanking.PredictRun(fit, r, target);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return (double.NaN, double.NaN);
        }
    }

    /// <summary>
    /// The candidates' <see cref="LrEnsemblePrediction"/>s in 17r's terms: the per-LR members anchored (NaN where none), Q the joint
    /// law anchored on the run's prefix (plain where the run was not seen), J its plain prediction.
    /// </summary>
    private static List<LrEnsemblePrediction> Predictions(IReadOnlyList<CrossDataRun> runs, double[] lrs, Func<int, double[]> perLr, LawFit? joint, Func<int, FitTarget?> target) =>
        [.. runs.Select((r, i) =>
        {
            var (plain, anchored) = Predict(joint, r, target(i));
            return new LrEnsemblePrediction(lrs[i], perLr(i), anchored, plain, [.. Enumerable.Repeat(0.0, LrEnsemble.PerLrMembers.Count + 1)], 0);
        })];
}
