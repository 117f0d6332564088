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
/// (so a candidate can share its start with its LR's constant run, where the anchor applies). One peak LR in the runs: no LR axis,
/// the candidates are that LR's (a warning says so; other --peaks are an error).</para>
/// </summary>
internal static class RankEnsembleHandler
{
    public static RankEnsembleResult Run(RankSettings settings, Action<string>? progress)
    {
        int steps = settings.Steps;
        var warnings = new List<string>();
        var all = LawRuns.Load(settings.Runs!);
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
            foreach (var (lr, _) in byLr.Where(kv => !kv.Value.Fit.HasFiniteParameters))
                warnings.Add(FormattableString.Invariant($"{name}'s fit at lr={lr:G4} did not reach finite parameters: it is left out of that LR's family"));
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
        var warmups = settings.Warmups is { } w ? w.Select(x => (int)x).ToList() : DefaultWarmups(fit, steps);
        var grid = new CandidateGrid(settings.Families ?? CandidateGrid.KnownFamilies, peaks, warmups,
            settings.Cooldowns ?? [0.1, 0.2, 0.4], settings.Floors ?? [0, 0.1]);
        var candidates = UserInputException.Guard(() => grid.Schedules(steps, out int skipped) is var list ? (list, skipped) : default);
        if (candidates.list.Count == 0)
            throw new UserInputException($"--warmups: no candidate fits in {steps} steps (every warmup or wsd cooldown is too long).");

        clock.Restart();
        var training = RankCommand.RangeOf(runs);
        // A member's prediction that is not a physical loss for these runs (HyperLaws.Planning.LossPlausibility: not above 0, below half
        // their lowest logged loss or above twice their highest, the rule the single-law ranker and plan apply) is no prediction (NaN):
        // by ensemble-lr's declared edge rules its candidate then ranks last within its LR (a member left in there says nothing about it),
        // or, for the pooled law's level, the set takes the declared fallback. (Rule added by helper rankens after a first try on four
        // lr-scheduling runs, where a per-LR member predicted a mean of -358 for the generated decays of one LR; nothing was scored.)
        var setAsideBy = new SortedDictionary<string, int>(StringComparer.Ordinal);
        double Physical(double v, string member)
        {
            if (double.IsNaN(v) || HyperLaws.Planning.LossPlausibility.IsPhysical(v, training?.LowestLoss ?? double.NaN, training?.HighestLoss ?? double.NaN)) return v;
            setAsideBy[member] = setAsideBy.GetValueOrDefault(member) + 1;
            return double.NaN;
        }
        var predictions = candidates.list.Select(c => fit.Predict(c.Evaluate()))
            .Select(p => p with
            {
                PerLr = [.. p.PerLr.Select((v, l) => Physical(v, LrEnsemble.PerLrMembers[l] + LrEnsemble.AnchoredSuffix))],
                Pooled = Physical(p.Pooled, LrEnsemble.Pooled + LrEnsemble.AnchoredSuffix),
                Level = Physical(p.Level, LrEnsemble.Pooled),
            }).ToList();
        int setAside = setAsideBy.Values.Sum();
        var ranked = UserInputException.Guard(() => fit.Rank(predictions, [.. candidates.list.Select(c => c.ToSpec())]));
        double rankSeconds = clock.Elapsed.TotalSeconds;
        if (setAside > 0)
            warnings.Add($"{setAside} member predictions of the {ranked.Count} candidates are not a physical loss for these runs (not above 0, below half their lowest or above twice their highest logged loss): set aside, so a candidate a member cannot describe ranks last within its LR (by member: {string.Join(", ", setAsideBy.Select(kv => $"{kv.Key} {kv.Value}"))})");

        if (training is { } t && steps > t.MaxSteps)
            warnings.Add($"{steps} steps is {Format.G((double)steps / t.MaxSteps, 3)}x the longest run ({t.MaxSteps} steps): extrapolated");
        int away = ranked.Count(x => fit.LrClass(x.Prediction.Lr) is null);
        if (away > 0)
            warnings.Add($"{away} of {ranked.Count} candidates are at a peak LR without runs: no per-LR member exists there, so within that LR only the pooled joint law ranks them");
        int anchored = ranked.Count(x => x.Prediction.Residuals.Any(r => r != 0));
        if (anchored == 0)
            warnings.Add("no candidate shares its start with a constant-LR run at its peak (warmup or LR differ), so no anchor applies: the members' own predictions rank within each LR (the candidates warm up linearly from 0; runs that warm up otherwise, e.g. from lr/100, share no prefix with them)");
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
        var rows = ranked.Select(x => new RankEnsembleCandidate(schedules[x.Index], x)).ToList();
        return new RankEnsembleResult(fit, split, steps, candidates.skipped, fitSeconds, rankSeconds, training, rows, [.. rows.Take(settings.Top)], warnings);
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

    internal static string SplitName(LossSplit split) => split == LossSplit.Validation ? "validation" : "training";

    /// <summary>
    /// The runs' own warmups: for each LR's anchor run (its constant run), the warmup W (of W or W + 1 steps before the first peak
    /// step, the one whose constant schedule starts as the run does); 1%, 5% and 10% of <paramref name="steps"/> when no LR has one.
    /// </summary>
    internal static List<int> DefaultWarmups(LrEnsembleFit fit, int steps)
    {
        var found = new SortedSet<int>();
        foreach (var run in fit.Anchors.Values.OfType<TrainingRun>())
        {
            var lrs = run.LearningRates;
            double peak = LrEnsemble.PeakLr(lrs);
            int first = Array.FindIndex(lrs, v => v == peak);
            int best = -1, bestShared = -1;
            foreach (int w in new[] { first, first + 1 }.Where(w => w >= 0 && w < steps).Distinct())
            {
                int shared = AnchoredPrediction.SharedPrefix(new ConstantSchedule(peak, Math.Max(steps, w + 1), w).Evaluate(), lrs);
                if (shared > bestShared) (best, bestShared) = (w, shared);
            }
            if (best >= 0) found.Add(best);
        }
        return found.Count > 0 ? [.. found] : [.. new[] { 0.01, 0.05, 0.1 }.Select(x => (int)Math.Round(x * steps)).Distinct()];
    }
}
