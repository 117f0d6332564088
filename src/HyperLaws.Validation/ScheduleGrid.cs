using System.Diagnostics;
using System.Globalization;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 3 of shared/docs/validation.md, the 124M schedule grid of Schaipp et al. 2025
/// (lr-scheduling/data: constant, WSD with linear cooldown fractions 0.1-0.9, sqrt cooldown 0.2, cosine
/// to 0 and to 10%; horizons 15k-50k steps; base LR 1e-4..2e-3, plus one diverged cosine run at 5e-3).
/// <para>Fixed before any held-out result was seen:</para>
/// <list type="bullet">
/// <item>Training runs: the constant runs and the linear-cooldown runs of one fraction
/// (<see cref="GridOptions.TrainFraction"/>, 0.2 by default). Every other run is held out. The
/// grad_norm/ reruns are not read (a subfolder; they repeat grid runs).</item>
/// <item>Fitted curve: the validation points (every 200 steps) by default. A constant run gives the
/// stable phase; of a training cooldown run only the points after its last peak-LR step are used, so the
/// stable phase, which it shares with (or repeats from) the constant run, is not counted twice.</item>
/// <item>Target: history.final-val, the loss on the full validation set after the last step. It is a
/// different estimator than the 32-batch validation points (the first one or two hundredths of a nat
/// higher), so each prediction gets an offset: the mean, over the training runs of its LR (over all
/// training runs for a pooled law), of final validation loss minus the law's value at the run's last
/// step. Only training runs enter it.</item>
/// <item>One law per base LR by default (a law's parameters depend on the peak LR in practice); pooled
/// across LRs with <see cref="GridOptions.Pooled"/>.</item>
/// <item>Diverged runs cannot be predicted by a schedule-to-loss law: they are left out of fitting and
/// scoring and listed in <see cref="GridResult.Excluded"/>, as are runs at an LR without a constant run.</item>
/// <item>Hit rates: groups of held-out runs sharing horizon and LR (the training runs are not
/// candidates, so every candidate is predicted out of sample); groups with one candidate are not counted.</item>
/// </list>
/// </summary>
public static class ScheduleGrid
{
    /// <summary>Top-2 hit rate reported by Opt-Laws (Xie et al., arXiv 2409.04777) for near-optimal schedules on held-out configurations (its own grid, not this one).</summary>
    public const double PublishedTop2 = 0.94;

    /// <summary>
    /// The laws protocol 3 scores when none is named: the catalogue's default set with MPL fitted as "mpl-g1" (gamma at most 1),
    /// which replaced "mpl" here by its declared rule (docs/VALIDATION.md, "Protocol 3: ranking cooldowns after training on long
    /// ones", helper p3rank); "mpl" itself is unchanged and every other protocol keeps it.
    /// </summary>
    public static IReadOnlyList<string> DefaultLaws { get; } = ["optlaw", "mpl-g1", "tissue", "convex"];

    /// <summary>The folder of the grid's W&amp;B exports under a data folder laid out like shared/data.</summary>
    /// <exception cref="ValidationDataException">The folder does not exist.</exception>
    public static string DataFolder(string dataRoot)
    {
        string dir = Path.Combine(dataRoot, "lr-scheduling", "data");
        if (!Directory.Exists(dir)) throw new ValidationDataException($"{dir}: not found (protocol 3 needs the lr-scheduling W&B exports; the data folder must be laid out like shared/data).");
        return dir;
    }

    /// <summary>Reads and classifies every export of the grid folder (not its grad_norm/ subfolder).</summary>
    /// <exception cref="ValidationDataException">The folder is missing, a file cannot be read, or holds no run.</exception>
    public static IReadOnlyList<GridRun> Load(string dataRoot)
    {
        string dir = DataFolder(dataRoot);
        RunSet set;
        try
        {
            set = WandbReader.ReadDirectory(dir);
        }
        catch (IOException e)
        {
            throw new ValidationDataException($"{dir}: {e.Message}");
        }
        if (set.Failures.Count > 0)
            throw new ValidationDataException(set.Failures[0].Message + (set.Failures.Count > 1 ? $" (and {set.Failures.Count - 1} more file(s) in {dir})" : ""));
        if (set.Runs.Count == 0) throw new ValidationDataException($"{dir}: no W&B exports (.json) found.");
        return Order(set.Runs.Select(GridRun.From));
    }

    /// <summary>Runs in grid order: horizon, LR, family, label.</summary>
    public static IReadOnlyList<GridRun> Order(IEnumerable<GridRun> runs) =>
        [.. runs.OrderBy(r => r.Horizon).ThenBy(r => r.Lr).ThenBy(r => r.Family, StringComparer.Ordinal)
            .ThenBy(r => r.CooldownFraction ?? 0).ThenBy(r => r.Label, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)];

    /// <summary>The linear cooldown fractions present (the choices of <see cref="GridOptions.TrainFraction"/>).</summary>
    public static IReadOnlyList<double> Fractions(IReadOnlyList<GridRun> runs) =>
        [.. runs.Where(r => r.IsLinearCooldown && !r.Diverged).Select(r => r.CooldownFraction!.Value).Distinct().Order()];

    /// <summary>Fits each law on the training runs and predicts the final validation loss of every other run.</summary>
    /// <exception cref="ArgumentException">The training fraction has no runs, or an unknown law is named.</exception>
    public static GridResult Run(IReadOnlyList<GridRun> runs, IReadOnlyList<string> laws, GridOptions? options = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(laws);
        options ??= new GridOptions();
        var fractions = Fractions(runs);
        if (!fractions.Contains(options.TrainFraction))
            throw new ArgumentException(FormattableString.Invariant($"no linear-cooldown runs with fraction {options.TrainFraction} (available: {string.Join(", ", fractions.Select(f => f.ToString(CultureInfo.InvariantCulture)))})."));
        foreach (string law in laws) LawCatalog.Create(law);

        var (train, heldOut, excluded) = Split(Order(runs), options.TrainFraction);
        var targets = train.ToDictionary(r => r, r => Target(r, options.FitOn));
        var results = new List<LawGridResult>();
        foreach (string law in laws)
        {
            var watch = Stopwatch.StartNew();
            var fits = new List<GridFit>();
            var fitOf = new Dictionary<double, LawFit>();
            var cells = new List<(double? Lr, List<GridRun> Runs)>();
            if (options.Pooled) cells.Add((null, train));
            else cells.AddRange(train.GroupBy(r => r.Lr).OrderBy(g => g.Key).Select(g => ((double?)g.Key, g.ToList())));
            if (options.SharedMplShape && !options.Pooled && LawCatalog.Create(law) is MultiPowerLaw mpl)
            {
                // One drop shape (C, beta, gamma) across the base LRs, L0, A, alpha and B per LR (SharedShapeMpl); the law's box
                // (mpl-box) on the shape.
                var lrs = cells.Select(c => c.Lr!.Value).ToList();
                var shared = new SharedShapeMpl(lrs, mpl.Bounds);
                var all = cells.SelectMany(c => c.Runs).Select(r => targets[r]).Where(x => x is not null).Select(x => x!).ToList();
                progress?.Invoke($"{law}: fitting one shape across {lrs.Count} LRs on {all.Count} curves ({all.Sum(x => x.Steps.Length)} points) ...");
                var started = Stopwatch.StartNew();
                var fit = LawFitter.Fit(shared, all, options.Fit);
                progress?.Invoke(FormattableString.Invariant($"{law}: shared shape fitted in {started.Elapsed.TotalSeconds:F1} s"));
                foreach (var (lr, cellRuns) in cells)
                {
                    var t = cellRuns.Select(r => targets[r]).Where(x => x is not null).Select(x => x!).ToList();
                    var own = new LawFit(new MultiPowerLaw(), shared.GroupParameters(fit.Parameters, shared.GroupOf(lr!.Value)), fit.Objective, fit.Iterations, fit.Evaluations, fit.Converged, fit.StopReason);
                    fits.Add(new GridFit(lr, own, t.Count, t.Sum(x => x.Steps.Length)));
                    foreach (var r in cellRuns) fitOf[r.Lr] = own;
                }
                cells.Clear();
            }
            foreach (var (lr, cellRuns) in cells)
            {
                var t = cellRuns.Select(r => targets[r]).Where(x => x is not null).Select(x => x!).ToList();
                string where = lr is { } l ? FormattableString.Invariant($"lr={l:G4}") : "all LRs";
                progress?.Invoke($"{law}: fitting {where} on {t.Count} curves ({t.Sum(x => x.Steps.Length)} points) ...");
                var started = Stopwatch.StartNew();
                var model = Create(law, options, cellRuns, runs);
                var fitOptions = options.MplWideStarts && model is MultiPowerLaw m ? WideStarts(m, cellRuns, targets, options.Fit) : options.Fit;
                var fit = LawFitter.Fit(model, t, fitOptions);
                progress?.Invoke(FormattableString.Invariant($"{law}: {where} fitted in {started.Elapsed.TotalSeconds:F1} s"));
                fits.Add(new GridFit(lr, fit, t.Count, t.Sum(x => x.Steps.Length)));
                foreach (var r in cellRuns) fitOf[r.Lr] = fit;
            }

            // Law value at each run's last step; the offset moves it onto the final-validation scale.
            double Value(GridRun r) => fitOf[r.Lr].Predict(r.History, [r.Horizon])[0];
            var (offsets, predictions) = Offset(train, heldOut, Value, options.Pooled);
            results.Add(Score(law, fits, offsets, predictions, ByPrediction, watch.Elapsed));
            if (options.Anchored)
            {
                // The same fits, each run's value anchored on the observed level where it shares its schedule with its LR's
                // constant run (AnchoredPrediction; docs/VALIDATION.md, "Protocol 3 and 17r: the observed level plus the law's
                // remaining drop"); the offset recomputed from the anchored training values.
                double Anchored(GridRun r) => Value(r) + AnchorResidual(r, fitOf[r.Lr], train, options.FitOn);
                var (aOffsets, aPredictions) = Offset(train, heldOut, Anchored, options.Pooled);
                results.Add(Score(law + AnchoredSuffix, fits, aOffsets, aPredictions, ByPrediction, watch.Elapsed));
            }
            progress?.Invoke(FormattableString.Invariant($"{law}: done in {watch.Elapsed.TotalSeconds:F1} s"));
        }
        return new GridResult(options, train, heldOut, excluded, results);
    }

    /// <summary>The suffix of a law's anchored result (<see cref="GridOptions.Anchored"/>): "tissue" and "tissue-a".</summary>
    public const string AnchoredSuffix = "-a";

    /// <summary>
    /// The offsets and the predictions of every training and held-out run from the law's <paramref name="value"/> at each run's last
    /// step. Offset = mean over training runs of (final validation loss - value): per LR for per-LR laws; one for all LRs for a
    /// pooled law, so that all of its LR dependence is the law's.
    /// </summary>
    private static (Dictionary<double, double> Offsets, List<GridPrediction> Predictions) Offset(List<GridRun> train, List<GridRun> heldOut, Func<GridRun, double> value, bool pooled)
    {
        var trainValues = train.ToDictionary(r => r, value);
        var offsets = LrEnsemble.Offsets([.. train.Select(r => (r.Lr, r.FinalLoss, trainValues[r]))], pooled);
        var predictions = new List<GridPrediction>();
        foreach (var r in Order(train.Concat(heldOut)))
        {
            double v = trainValues.TryGetValue(r, out double t) ? t : value(r);
            predictions.Add(new GridPrediction(r, v + offsets.GetValueOrDefault(r.Lr), v, trainValues.ContainsKey(r)));
        }
        return (offsets, predictions);
    }

    /// <summary>
    /// r of <see cref="AnchoredPrediction.Residual"/> for run <paramref name="r"/>: the observed run is the training constant run at
    /// its LR (protocol 3's only stable-phase run; every grid run at that LR starts as it does), the observed part the steps on which
    /// their schedules agree (<see cref="AnchoredPrediction.SharedPrefix"/>), the observations those of <paramref name="split"/>,
    /// the law's values on the constant run's schedule. 0 without such a run.
    /// </summary>
    internal static double AnchorResidual(GridRun r, LawFit fit, IReadOnlyList<GridRun> train, LossSplit split)
    {
        var constant = train.FirstOrDefault(c => c.Family == "constant" && c.Lr == r.Lr);
        return LrEnsemble.AnchorResidual(r.Run.LearningRates, constant?.Run, constant?.History, fit, split);
    }

    /// <summary>
    /// Each training run's held-out tail error for <paramref name="law"/> (<see cref="HeldOutTail.Errors"/>; docs/VALIDATION.md,
    /// "Protocol 3 and 17r: the ensemble weighted by its members' held-out tails"): the law refitted as <see cref="Run"/> fits it
    /// (per LR, or pooled with <see cref="GridOptions.Pooled"/>; the same law, fitter and options) on the first three quarters of
    /// each training run's fitted points, scored on the last quarter. Training runs only; held-out runs never enter. Runs without
    /// a fit target are left out. Not defined for <see cref="GridOptions.SharedMplShape"/> or <see cref="GridOptions.MplWideStarts"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The training fraction has no runs, an unknown law, or a shared shape or wide starts asked for.</exception>
    public static IReadOnlyDictionary<GridRun, double> HeldOutTailErrors(IReadOnlyList<GridRun> runs, string law, GridOptions options)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(options);
        if (options.SharedMplShape || options.MplWideStarts) throw new ArgumentException("held-out tails are defined for the plain per-LR or pooled fit only.", nameof(options));
        if (!Fractions(runs).Contains(options.TrainFraction))
            throw new ArgumentException(FormattableString.Invariant($"no linear-cooldown runs with fraction {options.TrainFraction}."));
        var (train, _, _) = Split(Order(runs), options.TrainFraction);
        var targets = train.Select(r => (Run: r, Target: Target(r, options.FitOn))).Where(x => x.Target is not null).ToList();
        var cells = options.Pooled ? [targets] : targets.GroupBy(x => x.Run.Lr).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var errors = new Dictionary<GridRun, double>();
        foreach (var cell in cells)
        {
            var cellRuns = cell.Select(x => x.Run).ToList();
            var e = HeldOutTail.Errors([.. cell.Select(x => x.Target!)], heads => LawFitter.Fit(Create(law, options, cellRuns, runs), heads, options.Fit));
            for (int i = 0; i < cell.Count; i++) errors[cell[i].Run] = e[i];
        }
        return errors;
    }

    /// <summary>
    /// The fit options of <see cref="GridOptions.MplWideStarts"/> for one LR's MPL fit: MPL (with the law's box) fitted on the LR's
    /// constant run(s) alone gives L0, A and alpha (its drop, seen only in the warmup, is not identified there); the starts are that
    /// fit and that fit with B, C, beta and gamma at the published means (Luo et al. 2025), added to the law's own; every start is
    /// run to convergence. With no constant run among <paramref name="cellRuns"/>, only the full multi-start.
    /// </summary>
    internal static FitOptions WideStarts(MultiPowerLaw law, IReadOnlyList<GridRun> cellRuns, IReadOnlyDictionary<GridRun, FitTarget?> targets, FitOptions? fit)
    {
        fit ??= new FitOptions();
        var constant = cellRuns.Where(r => r.Family == "constant").Select(r => targets[r]).Where(x => x is not null).Select(x => x!).ToList();
        if (constant.Count == 0) return fit with { ConvergeEveryStart = true };
        var stable = LawFitter.Fit(law, constant, fit).Parameters;
        var published = (double[])stable.Clone();
        foreach (int j in (int[])[MultiPowerLaw.B, MultiPowerLaw.C, MultiPowerLaw.Beta, MultiPowerLaw.Gamma])
            published[j] = MplShapeBox.PublishedMean(j);
        return fit with { Starts = [.. fit.Starts, stable, published], ConvergeEveryStart = true };
    }

    /// <summary>The law of that name; "joint" with <see cref="GridOptions.Joint"/> when given.</summary>
    /// <remarks>With <see cref="GridOptions.JointEdge"/>, the joint law's stability edge from <paramref name="train"/> and the diverged runs of <paramref name="all"/>.</remarks>
    private static IFittableLaw Create(string law, GridOptions options, IReadOnlyList<GridRun> train, IReadOnlyList<GridRun> all)
    {
        if (!string.Equals(law, "joint", StringComparison.OrdinalIgnoreCase) || (options.Joint is null && options.JointEdge is null)) return LawCatalog.Create(law);
        var joint = options.Joint ?? new Laws.Joint.JointFitOptions();
        return new Laws.Joint.JointLaw(GridEdge.With(joint, options.JointEdge, train, all));
    }

    /// <summary>The name of a (horizon, LR) group.</summary>
    public static string GroupKey(int horizon, double lr) => FormattableString.Invariant($"S={horizon} lr={lr:G4}");

    /// <summary>A single law's ranking key: its predicted final loss.</summary>
    private static IReadOnlyList<double> ByPrediction(IReadOnlyList<GridPrediction> candidates) => [.. candidates.Select(p => p.Predicted)];

    /// <summary>
    /// Scores one ranker on protocol 3: the final-loss errors of the held-out predictions, and every candidate set ranked by
    /// <paramref name="rankKey"/> (lower first, ties by name, non-finite last; a single law's key is its prediction, an
    /// ensemble's its position in the ensemble's order of that set): the (horizon, LR) groups, the group of each horizon's best
    /// LR, the per-horizon groups over all LRs, and each (LR, horizon)'s linear cooldowns.
    /// </summary>
    internal static LawGridResult Score(string law, IReadOnlyList<GridFit> fits, IReadOnlyDictionary<double, double> offsets, IReadOnlyList<GridPrediction> predictions,
        Func<IReadOnlyList<GridPrediction>, IReadOnlyList<double>> rankKey, TimeSpan elapsed)
    {
        var scored = predictions.Where(p => !p.Training).ToList();
        var groups = Groups(scored, p => GroupKey(p.Run.Horizon, p.Run.Lr), rankKey);
        var atBest = new List<RankingGroup>();
        foreach (var h in scored.GroupBy(p => p.Run.Horizon))
            atBest.Add(groups.Single(g => g.Key == GroupKey(h.Key, h.MinBy(p => p.Actual)!.Run.Lr)));
        var across = Groups(scored, p => FormattableString.Invariant($"S={p.Run.Horizon} (all LRs)"), rankKey);
        return new LawGridResult(law, fits, offsets, predictions, FinalLossError.Of(scored), groups,
            ScheduleRanking.Score(groups), ScheduleRanking.Score(atBest), ScheduleRanking.Score(across),
            BestCooldowns(predictions, rankKey), elapsed);
    }

    /// <summary>Ranking groups by a key (as <see cref="ScheduleRanking.Group"/>), each candidate's predicted value the ranker's key over its group.</summary>
    private static IReadOnlyList<RankingGroup> Groups(IReadOnlyList<GridPrediction> items, Func<GridPrediction, string> key, Func<IReadOnlyList<GridPrediction>, IReadOnlyList<double>> rankKey) =>
        [.. items.GroupBy(key, StringComparer.Ordinal).Select(g =>
        {
            var members = g.ToList();
            var k = rankKey(members);
            return new RankingGroup(g.Key, [.. members.Select((p, i) => new RankedCandidate(p.Run.Name, p.Actual, k[i]))]);
        })];

    /// <summary>Training runs, held-out runs and excluded runs (with the reason), in grid order.</summary>
    internal static (List<GridRun> Train, List<GridRun> HeldOut, List<ExcludedRun> Excluded) Split(IReadOnlyList<GridRun> runs, double fraction)
    {
        var train = new List<GridRun>();
        var heldOut = new List<GridRun>();
        var excluded = new List<ExcludedRun>();
        var fittable = runs.Where(r => r.Family == "constant" && !r.Diverged).Select(r => r.Lr).ToHashSet();
        foreach (var r in runs)
        {
            if (r.Diverged)
                excluded.Add(new ExcludedRun(r, $"diverged (the loss exploded at step {r.DivergedAt?.ToString(CultureInfo.InvariantCulture) ?? "?"}); a schedule-to-loss law cannot predict divergence, so the run is left out of fitting and scoring"));
            else if (!double.IsFinite(r.FinalLoss))
                excluded.Add(new ExcludedRun(r, "no final validation loss (history.final-val) at the last step"));
            else if (!fittable.Contains(r.Lr))
                excluded.Add(new ExcludedRun(r, FormattableString.Invariant($"no constant run at lr={r.Lr:G4} to fit on")));
            else if (r.Family == "constant" || (r.IsLinearCooldown && r.CooldownFraction == fraction))
                train.Add(r);
            else
                heldOut.Add(r);
        }
        return (train, heldOut, excluded);
    }

    /// <summary>
    /// The fit target of a training run: its observations of the chosen split; for a run with a cooldown,
    /// only those after its last peak-LR step (the stable phase comes from the constant run). Null when none is left.
    /// </summary>
    internal static FitTarget? Target(GridRun r, LossSplit split) => LrEnsemble.Target(r.Run, r.History, r.Family != "constant", split);

    /// <summary>Per (LR, horizon) with two or more linear cooldown runs: the fraction ranked best by <paramref name="rankKey"/> and the one that was.</summary>
    private static List<BestCooldown> BestCooldowns(IReadOnlyList<GridPrediction> predictions, Func<IReadOnlyList<GridPrediction>, IReadOnlyList<double>> rankKey)
    {
        var list = new List<BestCooldown>();
        foreach (var cell in predictions.Where(p => p.Run.IsLinearCooldown).GroupBy(p => (p.Run.Lr, p.Run.Horizon)).OrderBy(g => g.Key.Lr).ThenBy(g => g.Key.Horizon))
        {
            var c = cell.ToList();
            if (c.Count < 2) continue;
            var k = rankKey(c);
            var predicted = c.Select((p, i) => (p, Key: k[i])).OrderBy(x => double.IsFinite(x.Key) ? x.Key : double.PositiveInfinity).ThenBy(x => x.p.Run.CooldownFraction).First().p;
            var actual = c.OrderBy(p => p.Actual).ThenBy(p => p.Run.CooldownFraction).First();
            list.Add(new BestCooldown(cell.Key.Lr, cell.Key.Horizon, predicted.Run.CooldownFraction!.Value, actual.Run.CooldownFraction!.Value,
                predicted.Actual - actual.Actual, c.Count));
        }
        return list;
    }
}
