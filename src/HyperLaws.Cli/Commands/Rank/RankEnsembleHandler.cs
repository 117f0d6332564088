using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Runs;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.Rank;

/// <summary>
/// <c>rank --ranker ensemble-lr</c>: fits <see cref="LrEnsemble"/>'s members on <c>--runs</c> (the fit protocol 3 uses:
/// <see cref="LrEnsemble.Fit"/>), builds the candidate grid and ranks it as one set by <see cref="LrEnsembleFit.Rank"/>; no console I/O
/// (progress goes to <c>progress</c>).
/// <para>Fixed here (helper rankens): the runs are fitted on their validation losses when every run has them (protocol 3's fitted
/// curve), else on their training losses; each run's final loss for the offsets is its last loss of that split. The default peaks are
/// the runs' own peak LRs (where every member exists; at another peak only the pooled law ranks), the default warmups the runs' own
/// (so a candidate can share its start with its LR's constant run, where the anchor applies). The candidates warm up in the runs' own
/// shape (linear or cosine, from the runs' own start as a fraction of the peak, e.g. lr/100; read from each LR's constant run by
/// <see cref="OwnWarmups"/>, helper rankfix), with the lengths of --warmups when given.</para>
/// <para>A member that predicts a loss that is not physical for some candidate of an LR is left out of that LR's candidates
/// (<see cref="LrEnsemble.DropUnphysical"/>, helper rankfix). One peak LR in the runs: no LR axis,
/// the candidates are that LR's (a warning says so; other --peaks are an error).</para>
/// </summary>
internal static class RankEnsembleHandler
{
    public static RankEnsembleResult Run(RankSettings settings, Action<string>? progress)
    {
        int steps = settings.Steps;
        var warnings = new List<string>();
        var all = LawRuns.Load(settings.Runs!);
        var runNotes = RunNote.Of(all);
        warnings.AddRange(LawRuns.TornTailTexts(runNotes));
        var usable = LawRuns.WithoutDiverged(all);
        if (usable.Count < all.Count)
            warnings.Add($"{all.Count - usable.Count} of {all.Count} runs diverged and are left out of the fits (a schedule-to-loss law cannot describe them)");
        var split = usable.All(r => r.Split(LossSplit.Validation).Any()) ? LossSplit.Validation : LossSplit.Train;
        // The fit's order: peak LR, steps, name (ordinal), so that the result does not depend on the order the files were given in.
        var runs = usable.Where(r => r.Split(split).Any() && LrEnsemble.PeakLr(r.LearningRates) > 0)
            .OrderBy(r => LrEnsemble.PeakLr(r.LearningRates)).ThenBy(r => r.Steps).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        if (runs.Count == 0)
            throw new UserInputException($"--runs: no run has {SplitName(split)} losses and a positive learning rate, so ensemble-lr has nothing to fit.");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var fit = UserInputException.Guard(() => LrEnsemble.Fit(runs, r => r.Final(split)?.Loss ?? double.NaN, split, progress: progress));
        double fitSeconds = clock.Elapsed.TotalSeconds;
        foreach (var (name, byLr) in fit.PerLr)
            foreach (var (lr, member) in byLr.Where(kv => !kv.Value.Fit.HasFiniteParameters))
                warnings.Add(NotFinite(name, lr, member.Fit, runs.Where(r => fit.LrClass(LrEnsemble.PeakLr(r.LearningRates)) == lr).ToList(), split));
        if (!fit.PooledMember.Fit.HasFiniteParameters)
            warnings.Add($"{LrEnsemble.Pooled}'s fit did not reach finite parameters: no LR axis, the candidates are ordered by the declared fallback (the scale-free mean of the anchored members)");

        bool oneLr = fit.Lrs.Count == 1;
        var peaks = settings.Peaks ?? [.. fit.Lrs];
        if (oneLr)
        {
            double lr = fit.Lrs[0];
            if (peaks.Any(p => fit.LrClass(p) is null))
                throw new UserInputException(FormattableString.Invariant($"--peaks: the runs have one peak LR ({Format.G(lr)}), so ensemble-lr has no LR axis to rank other peaks on; drop --peaks, give runs at two or more peak LRs, or rank by one fitted law (--law)."));
            warnings.Add($"the runs have one peak LR ({Format.G(lr)}): ensemble-lr has no LR axis, so every candidate is at that LR and is ordered within it by the two families (the per-LR members and the joint law, anchored; the documented one-LR rule)");
        }
        // The runs' own warmups (length, shape, start); with --warmups, its lengths in each of the runs' own shapes and starts.
        var own = OwnWarmups(fit, steps);
        List<(WarmupShape Shape, double Init)> starts = [.. own.Select(x => (x.Shape, x.Init)).Distinct()];
        if (starts.Count == 0) starts.Add((WarmupShape.Linear, 0));
        List<OwnWarmup> warmups = settings.Warmups is { } w
            ? [.. starts.SelectMany(st => w.Select(x => new OwnWarmup((int)x, st.Shape, st.Init)))]
            : own.Count > 0 ? own : [.. FallbackWarmups(steps).Select(x => new OwnWarmup(x, WarmupShape.Linear, 0))];
        var candidates = UserInputException.Guard(() => Schedules(settings, peaks, warmups, steps));
        if (candidates.list.Count == 0)
            throw new UserInputException($"--warmups: no candidate fits in {steps} steps (every warmup or wsd cooldown is too long).");

        clock.Restart();
        var training = RankCommand.RangeOf(runs);
        // A member's prediction that is not a physical loss for these runs (HyperLaws.Planning.LossPlausibility: not above 0, below half
        // their lowest logged loss or above twice their highest, the rule the single-law ranker and plan apply) is no prediction.
        // Within an LR (helper rankfix, after a real-data try on which every decay to LR 0 ranked last because one member, mpl-g1,
        // predicted no physical loss for them; not a scored result): such a member is left out of ALL the candidates of that LR
        // (LrEnsemble.DropUnphysical), so the LR's family weights are renormalised over the members left, and a candidate ranks last
        // only when no member gives its LR a physical prediction. The pooled law's own prediction (the LR axis) that is not physical is
        // no level (NaN): the set takes the declared fallback (rule of helper rankens; validate applies neither rule).
        bool IsPhysical(double v) => HyperLaws.Planning.LossPlausibility.IsPhysical(v, training?.LowestLoss ?? double.NaN, training?.HighestLoss ?? double.NaN);
        // A per-LR member whose fit did not reach finite parameters gives no prediction at that LR (NaN: left out as the warning says).
        // Its values can still look finite (mpl-g1 with C = beta = Infinity on a constant-LR MLPerf curve, protocol 19: 3.0051 at #1),
        // so they are set aside here, in rank only (validate's protocols use LrEnsembleFit.Predict as declared).
        var notFinite = fit.PerLr.SelectMany(kv => kv.Value.Where(m => !m.Value.Fit.HasFiniteParameters).Select(m => (Member: kv.Key, Lr: m.Key))).ToHashSet();
        LrEnsemblePrediction Usable(LrEnsemblePrediction p) => notFinite.Count == 0 ? p
            : p with { PerLr = [.. p.PerLr.Select((v, l) => notFinite.Contains((LrEnsemble.PerLrMembers[l], p.Lr)) ? double.NaN : v)] };
        var screened = UserInputException.Guard(() => LrEnsemble.RankPhysical([.. candidates.list.Select(c => Usable(fit.Predict(c.Evaluate())))],
            [.. candidates.list.Select(c => c.ToSpec())], IsPhysical));
        var (ranked, dropped, levelsSetAside) = (screened.Ranked, screened.Dropped, screened.LevelsSetAside);
        double rankSeconds = clock.Elapsed.TotalSeconds;
        foreach (var d in dropped)
            warnings.Add(FormattableString.Invariant($"{d.Member} predicts no physical loss for {d.Unphysical} of the {d.Candidates} candidates at lr={Format.G(d.Lr)} (not above 0, below half the runs' lowest or above twice their highest logged loss): it is left out of all {d.Candidates} candidates of that LR, whose family weights are renormalised over the members left"));
        if (screened.NoMember > 0)
            warnings.Add($"{screened.NoMember} of {ranked.Count} candidates are at an LR where no member gives a physical prediction: ranked last, no predicted loss");
        if (levelsSetAside > 0)
            warnings.Add($"{levelsSetAside} of {ranked.Count} candidates have no physical prediction of {LrEnsemble.Pooled}'s own loss (the LR level): set aside");

        if (training is { } t && steps > t.MaxSteps)
            warnings.Add($"{steps} steps is {Format.G((double)steps / t.MaxSteps, 3)}x the longest run ({t.MaxSteps} steps): extrapolated");
        int away = ranked.Count(x => fit.LrClass(x.Prediction.Lr) is null);
        if (away > 0)
            warnings.Add($"{away} of {ranked.Count} candidates are at a peak LR without runs (marked): no per-LR member exists there, so within that LR only the pooled joint law ranks them; {HeldOutLrEvidence}");
        int anchored = ranked.Count(x => x.Prediction.Residuals.Any(r => r != 0));
        if (anchored == 0)
            warnings.Add("no candidate shares its start with a constant-LR run at its peak (no constant run, or its warmup or LR differ), so no anchor applies: the members' own predictions rank within each LR");
        int unscored = ranked.Count(x => double.IsPositiveInfinity(x.Score));
        if (unscored > 0)
            warnings.Add($"{unscored} of {ranked.Count} candidates have a member in their LR's family that gives them no prediction (set aside or not finite): ranked last, no predicted loss");
        if (ranked.Any(x => double.IsNaN(x.LevelLoss)))
            warnings.Add($"{LrEnsemble.Pooled} predicts no positive finite loss for some candidate: the LR axis is unknown, the candidates are ordered by the scale-free mean of the anchored members (the declared fallback) and no predicted loss is given");
        if (ImplausibleLosses(training, [.. ranked.Select(x => x.PredictedLoss).Where(double.IsFinite)], "candidates' predicted losses") is { } implausible)
            warnings.Add(implausible);
        warnings.Add("no calibrated interval exists for ensemble-lr: the spread shown is the lowest to the highest member prediction of each candidate, not an interval");
        warnings.Add("divergence is not screened: a candidate may blow up at a peak LR the runs never saw");

        var schedules = candidates.list;
        var rows = ranked.Select(x => new RankEnsembleCandidate(schedules[x.Index], x) { AtLrWithoutRuns = fit.LrClass(x.Prediction.Lr) is null }).ToList();
        // The #1 at an end of the candidates' peaks or warmups: the grid's end, not a bracketed optimum (AxisEdge, as contour's).
        List<(string Text, System.Text.Json.Nodes.JsonObject Json)> edges = rows.Count == 0 ? [] : AxisEdge.OfBest(rows[0].Schedule, schedules, peaksFromRuns: settings.Peaks is null);
        warnings.AddRange(edges.Select(e => e.Text));
        return new RankEnsembleResult(fit, split, steps, candidates.skipped, fitSeconds, rankSeconds, training, rows, [.. rows.Take(settings.Top)], warnings) { Edges = [.. edges.Select(e => e.Json)], RunNotes = runNotes };
    }

    /// <summary>
    /// The warning for a per-LR member whose fit did not reach finite parameters (left out of that LR's family): which parameters, and
    /// the terms the LR's runs do not identify (<see cref="HyperLaws.Fitting.Identification"/>; e.g. no fitted point shows an LR decay),
    /// which the ensemble's fit (protocol 3's: every term free, none held at a prior as <c>fit</c> and <c>plan</c> hold them) can run off
    /// (found on protocol 19: mpl-g1 on one 14-point constant-LR MLPerf curve).
    /// </summary>
    internal static string NotFinite(string member, double lr, HyperLaws.Laws.LawFit fit, IReadOnlyList<TrainingRun> runs, LossSplit split)
    {
        var names = fit.Law.ParameterNames;
        var bad = Enumerable.Range(0, fit.Parameters.Length).Where(i => !double.IsFinite(fit.Parameters[i]))
            .Select(i => FormattableString.Invariant($"{(i < names.Count ? names[i] : $"#{i}")} = {fit.Parameters[i]}")).ToList();
        var targets = runs.Select(r => LrEnsemble.Target(r, new HyperLaws.Laws.ScheduleHistory(r.LearningRates), false, split)).OfType<HyperLaws.Laws.FitTarget>().ToList();
        IReadOnlyList<HyperLaws.Fitting.UnidentifiedTerm> unidentified = fit.Law is HyperLaws.Laws.IFittableLaw law && targets.Count > 0 ? HyperLaws.Fitting.Identification.Of(law, targets) : [];
        return FormattableString.Invariant($"{member}'s fit at lr={lr:G4} did not reach finite parameters ({string.Join(", ", bad)})")
            + string.Concat(unidentified.Select(u => $"; its {u.Term} term ({string.Join(", ", u.Parameters)}) is not identified by that LR's runs: {u.Reason}"))
            + (unidentified.Count > 0 ? " (this ranker fits every term freely; `hyperlaws fit` holds such a term at its prior)" : "")
            + ": it is left out of that LR's family, no prediction from it is used";
    }

    /// <summary>
    /// A warning when some of <paramref name="losses"/> are not a physical loss for the runs (<see cref="HyperLaws.Planning.LossPlausibility.IsPhysical"/>:
    /// not above half their lowest or twice their highest logged loss); null when all are, or the runs' range is unknown.
    /// </summary>
    private static string? ImplausibleLosses((double MinPeak, double MaxPeak, int MaxSteps, int Runs, double LowestLoss, double HighestLoss)? training,
        IReadOnlyCollection<double> losses, string what)
    {
        if (training is not { } t) return null;
        var outside = losses.Where(l => !HyperLaws.Planning.LossPlausibility.IsPhysical(l, t.LowestLoss, t.HighestLoss)).ToList();
        if (outside.Count == 0) return null;
        double lo = HyperLaws.Planning.LossPlausibility.MinFractionOfLowest * t.LowestLoss, hi = HyperLaws.Planning.LossPlausibility.MaxFactorOfHighest * t.HighestLoss;
        return $"{outside.Count} of {losses.Count} {what} ({Format.G(outside.Min(), 5)}{(outside.Count > 1 ? $" to {Format.G(outside.Max(), 5)}" : "")}) lie outside [{Format.G(lo, 4)}, {Format.G(hi, 4)}], half the lowest and twice the highest loss the training runs logged: not physical, the law does not describe this schedule (it extrapolates beyond its runs)";
    }

    /// <summary>
    /// What leave one LR out measured of ensemble-lr at a peak LR without runs (docs/VALIDATION.md, "Protocols 3h and 17h", helper
    /// lrhold; its declared rule decides the first words): the pairs with a candidate at the held-out LR ordered right.
    /// </summary>
    internal const string HeldOutLrEvidence = "not validated at LRs without runs: fitted without one peak LR's runs, ensemble-lr ordered 49.8% of the "
        + "pairs with a candidate at that LR right on the lr-scheduling runs (protocol 17h: 121 of 243, one LR left per fold; the pooled joint "
        + "law alone 52.7%; with the LR's runs 73.7%), below the declared 70% (docs/VALIDATION.md, \"Protocols 3h and 17h\", with protocol 3h on the 124M grid)";

    internal static string SplitName(LossSplit split) => split == LossSplit.Validation ? "validation" : "training";

    /// <summary>The warmups when the runs give none: 1%, 5% and 10% of <paramref name="steps"/>.</summary>
    internal static IEnumerable<int> FallbackWarmups(int steps) => new[] { 0.01, 0.05, 0.1 }.Select(x => (int)Math.Round(x * steps)).Distinct();

    /// <summary>A candidate warmup: its length W, its shape and the LR it starts from as a fraction of the peak.</summary>
    internal readonly record struct OwnWarmup(int Steps, WarmupShape Shape, double Init);

    /// <summary>
    /// The runs' own warmups: for each LR's anchor run (its constant run, <see cref="LrEnsembleFit.Anchors"/>), the warmup whose constant
    /// schedule at the run's peak shares the most first steps with the run (<see cref="AnchoredPrediction.SharedPrefix"/>; the first
    /// found on a tie), among: W of W or W + 1 steps before the first peak step; linear from 0 (<see cref="WarmupSchedule"/>'s default),
    /// linear from the start that gives the run's first LR eta_1 (init = (eta_1 - peak / W) / (1 - 1 / W), from eta_1 = init +
    /// (peak - init) / W, W &gt;= 2), or cosine from eta_1 (<see cref="WarmupShape.Cosine"/>: eta_1 = init), the start as a fraction of
    /// the peak without floating-point noise (0.01 for a warmup from lr/100, as the lr-scheduling runs have). Distinct, in anchor order;
    /// empty when no LR has a constant run.
    /// </summary>
    internal static List<OwnWarmup> OwnWarmups(LrEnsembleFit fit, int steps)
    {
        var found = new List<OwnWarmup>();
        foreach (var run in fit.Anchors.Values.OfType<TrainingRun>())
        {
            var lrs = run.LearningRates;
            double peak = LrEnsemble.PeakLr(lrs);
            int first = Array.FindIndex(lrs, v => v == peak);
            OwnWarmup? best = null;
            int bestShared = -1;
            foreach (int w in new[] { first, first + 1 }.Where(w => w >= 0 && w < steps).Distinct())
            {
                var starts = new List<(WarmupShape Shape, double Init)> { (WarmupShape.Linear, 0) };
                if (w >= 2)
                {
                    starts.Add((WarmupShape.Linear, (lrs[0] - peak / w) / (1 - 1.0 / w) / peak));
                    starts.Add((WarmupShape.Cosine, lrs[0] / peak));
                }
                foreach (var (shape, init) in starts)
                {
                    double fraction = HyperLaws.Numerics.Significant.WithoutNoise(init);
                    if (!(fraction >= 0 && fraction < 1)) continue;
                    var own = CandidateGrid.TryBuild(ScheduleFamily.Constant.Name, peak, Math.Max(steps, w + 1), w, double.NaN, double.NaN, shape, fraction);
                    int shared = own is null ? -1 : AnchoredPrediction.SharedPrefix(own.Evaluate(), lrs);
                    if (shared > bestShared) (best, bestShared) = (new OwnWarmup(w, shape, fraction), shared);
                }
            }
            if (best is { } b && !found.Contains(b)) found.Add(b);
        }
        return found;
    }

    /// <summary>The candidate grid of <paramref name="warmups"/> (one grid per warmup shape and start), duplicates removed; how many combinations were skipped.</summary>
    private static (List<LrSchedule> list, int skipped) Schedules(RankSettings settings, IReadOnlyList<double> peaks, IReadOnlyList<OwnWarmup> warmups, int steps)
    {
        var list = new List<LrSchedule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int skipped = 0;
        foreach (var start in warmups.GroupBy(x => (x.Shape, x.Init)))
        {
            var grid = new CandidateGrid(settings.Families ?? CandidateGrid.KnownFamilies, peaks, [.. start.Select(x => x.Steps).Distinct()],
                settings.Cooldowns ?? [0.1, 0.2, 0.4], settings.Floors ?? [0, 0.1])
            {
                WarmupShape = start.Key.Shape,
                WarmupInit = start.Key.Init,
            };
            var made = grid.Schedules(steps, out int k);
            skipped += k;
            foreach (var s in made)
                if (seen.Add(s.ToSpec())) list.Add(s);
        }
        return (list, skipped);
    }
}
