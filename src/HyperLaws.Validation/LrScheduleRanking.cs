using System.Diagnostics;
using System.Globalization;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 17r of docs/VALIDATION.md ("Protocol 17r: ranking candidate schedules on the lr-scheduling runs outside shared/data",
/// helper rank17; declared before scoring): the second data set's ranking check that p3ens's adoption rule for <c>rank --ensemble</c>
/// asks for. A group is the runs of one manifest set (data set, model size, batch) with the same horizon S (schedules x peak LRs);
/// at each training fraction f every candidate is seen up to step f S, protocol 3's ensemble members (<see cref="EnsembleGrid"/>:
/// optlaw, mpl-g1, tissue per peak LR; the joint law across the group's LRs with its noise power fitted) are fitted on those
/// prefixes by protocol 17's fitter (<see cref="IdentifiedFitter"/>, its default rule) and predict each candidate's last validation
/// loss; each member, the primary ensemble and Borda (<see cref="EnsembleRanking"/>) order the group. Scored by
/// <see cref="ScheduleRanking.Pairwise"/> over every group and by <see cref="ScheduleRanking.Score"/> over the groups of three or more.
/// </summary>
public static class LrScheduleRanking
{
    /// <summary>The declared training fractions.</summary>
    public static IReadOnlyList<double> Fractions { get; } = [0.25, 0.5, 0.75];

    /// <summary>The rankers, in report order: the four members (predictions of <see cref="Members"/>' order), then the two ensembles.</summary>
    /// <remarks>The last, <see cref="EnsembleGrid.Weighted"/>: the scale-free mean weighted by each member's held-out tails of the
    /// group's prefixes (docs/VALIDATION.md, "Protocol 3 and 17r: the ensemble weighted by its members' held-out tails").</remarks>
    /// <remarks>After it, the members anchored on their own prefixes (<see cref="AnchoredPrediction"/>) and their scale-free mean,
    /// <see cref="EnsembleGrid.Anchored"/> (docs/VALIDATION.md, "Protocol 3 and 17r: the observed level plus the law's remaining drop").</remarks>
    /// <remarks>Last, <see cref="EnsembleGrid.Axes"/>: the LR axis from the pooled joint law, the schedule within an LR from both families.</remarks>
    public static IReadOnlyList<string> Rankers { get; } = [.. EnsembleGrid.PerLrMembers, EnsembleGrid.PooledJoint, EnsembleGrid.Primary, EnsembleGrid.Secondary, EnsembleGrid.Weighted,
        .. EnsembleGrid.PerLrMembers.Append(EnsembleGrid.PooledJoint).Select(m => m + ScheduleGrid.AnchoredSuffix), EnsembleGrid.Anchored, EnsembleGrid.Axes];

    /// <summary>The members' names (protocol 3's ensemble): the per-LR laws, then the pooled joint law.</summary>
    public static IReadOnlyList<string> Members { get; } = [.. EnsembleGrid.PerLrMembers, EnsembleGrid.PooledJoint];

    /// <summary>The candidate sets: the runs grouped by set and horizon (config.iterations), groups and runs in name order.</summary>
    /// <exception cref="ValidationDataException">A run has no <c>iterations</c> tag (not a W&amp;B export of lr-scheduling).</exception>
    public static IReadOnlyList<(string Key, IReadOnlyList<CrossDataRun> Runs)> Groups(IReadOnlyList<CrossDataRun> runs) =>
        [.. runs.GroupBy(GroupKey, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<CrossDataRun>)[.. g.OrderBy(r => r.Name, StringComparer.Ordinal)]))];

    private static string GroupKey(CrossDataRun r) => r.Run.Metadata.Tags.TryGetValue("iterations", out var s)
        ? $"{r.Set} S={s}"
        : throw new ValidationDataException($"{r.Run.Metadata.Source ?? r.Name}: no 'iterations' in the run's metadata (not an lr-scheduling W&B export?).");

    /// <summary>Runs protocol 17r: every group of two or more runs at every fraction; groups of one run are listed as left out.</summary>
    /// <param name="runs">Protocol 17's runs (<see cref="CrossDataLrSchedule.Load"/>: cut at their last validation observation).</param>
    /// <param name="fractions">The training fractions (<see cref="Fractions"/> when null).</param>
    /// <param name="progress">Progress lines, or null.</param>
    /// <exception cref="ValidationDataException">A run has no validation loss at its last step or none in a prefix.</exception>
    public static LrScheduleRankingResult Run(IReadOnlyList<CrossDataRun> runs, IReadOnlyList<double>? fractions = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        fractions ??= Fractions;
        var watch = Stopwatch.StartNew();
        var all = Groups(runs);
        var groups = new List<RankCheckGroup>();
        foreach (double f in fractions)
            foreach (var (key, members) in all.Where(g => g.Runs.Count >= 2))
            {
                progress?.Invoke(FormattableString.Invariant($"{key} f={f}: {members.Count} candidates ..."));
                groups.Add(Rank(key, members, f));
            }
        var scores = Rankers.SelectMany(ranker => fractions.Select(f => (double?)f).Prepend(null).Select(f => Score(ranker, f, groups))).ToList();
        return new LrScheduleRankingResult(fractions, Rankers, groups, [.. all.Where(g => g.Runs.Count < 2).Select(g => g.Key)], scores, watch.Elapsed);
    }

    /// <summary>One ranker's scores over the groups of one fraction (all fractions when null).</summary>
    public static RankCheckScore Score(string ranker, double? fraction, IEnumerable<RankCheckGroup> groups)
    {
        var sets = groups.Where(g => fraction is null || g.Fraction == fraction).Select(g => g.ByRanker[ranker]).ToList();
        var (correct, pairs) = ScheduleRanking.Pairwise(sets);
        return new RankCheckScore(ranker, fraction, ScheduleRanking.Score(sets.Where(g => g.Candidates.Count >= 3)), correct, pairs);
    }

    /// <summary>
    /// One candidate set at one fraction: the members fitted on the candidates' prefixes (per peak LR, and the joint law across
    /// them), each ranker's group (a member's key its predicted loss; an ensemble's the candidate's position in its order).
    /// </summary>
    internal static RankCheckGroup Rank(string key, IReadOnlyList<CrossDataRun> runs, double fraction)
    {
        var targets = runs.Select(r => Prefix(r, fraction)).ToList();
        var actual = runs.Select(Actual).ToList();
        var names = runs.Select(r => r.Name).ToList();
        var predicted = new List<IReadOnlyList<double>>();
        var anchored = new List<IReadOnlyList<double>>();
        var tails = new List<double>();
        foreach (string law in EnsembleGrid.PerLrMembers)
        {
            var row = new double[runs.Count];
            var rowA = new double[runs.Count];
            var tail = new double[runs.Count];
            foreach (var cell in Enumerable.Range(0, runs.Count).GroupBy(i => runs[i].Run.LearningRates.Max()))
            {
                var idx = cell.ToList();
                var (y, ya) = Predict(LawCatalog.Create(law), [.. idx.Select(i => targets[i])], [.. idx.Select(i => runs[i])]);
                var e = TailErrors(() => LawCatalog.Create(law), [.. idx.Select(i => targets[i])]);
                for (int k = 0; k < idx.Count; k++) (row[idx[k]], rowA[idx[k]], tail[idx[k]]) = (y[k], ya[k], e[k]);
            }
            predicted.Add(row);
            anchored.Add(rowA);
            tails.Add(HeldOutTail.Mean(tail));
        }
        // Protocol 3's pooled member (EnsembleGrid.PooledJoint): one joint law across the group's LRs, its noise power fitted.
        var (joint, jointA) = Predict(new JointLaw(new JointFitOptions { FitNoisePower = true }), targets, runs);
        predicted.Add(joint);
        anchored.Add(jointA);
        tails.Add(HeldOutTail.Mean(TailErrors(() => new JointLaw(new JointFitOptions { FitNoisePower = true }), targets)));

        RankingGroup Group(IReadOnlyList<double> keys) => new(key, [.. names.Select((n, i) => new RankedCandidate(n, actual[i], keys[i]))]);
        var byRanker = new Dictionary<string, RankingGroup>(StringComparer.Ordinal);
        for (int l = 0; l < Members.Count; l++) byRanker[Members[l]] = Group(predicted[l]);
        byRanker[EnsembleGrid.Primary] = Group([.. EnsembleRanking.Positions(predicted, names, EnsembleRule.ScaleFreeMean).Select(k => (double)k)]);
        byRanker[EnsembleGrid.Secondary] = Group([.. EnsembleRanking.Positions(predicted, names, EnsembleRule.Borda).Select(k => (double)k)]);
        byRanker[EnsembleGrid.Weighted] = Group([.. EnsembleRanking.WeightedPositions(predicted, names, [.. tails.Select(HeldOutTail.Weight)]).Select(k => (double)k)]);
        for (int l = 0; l < Members.Count; l++) byRanker[Members[l] + ScheduleGrid.AnchoredSuffix] = Group(anchored[l]);
        byRanker[EnsembleGrid.Anchored] = Group([.. EnsembleRanking.Positions(anchored, names, EnsembleRule.ScaleFreeMean).Select(k => (double)k)]);
        // EnsembleGrid.Axes: the anchored members within a peak LR (the per-LR ones as one family), the pooled joint law's own prediction across LRs.
        byRanker[EnsembleGrid.Axes] = Group([.. EnsembleRanking.AxisPositions(anchored.Take(anchored.Count - 1).ToList(), anchored[^1], predicted[^1],
            [.. runs.Select(r => r.Run.LearningRates.Max())], names).Select(k => (double)k)]);
        return new RankCheckGroup(key, fraction, names, actual, [.. predicted], byRanker) { HeldOutErrors = tails };
    }

    /// <summary>
    /// Each prefix's held-out tail error (<see cref="HeldOutTail.Errors"/>): the law refitted by protocol 17's fitter on the first
    /// three quarters of each prefix's steps, scored on the last quarter. Only the prefixes (the data a user would have) enter.
    /// </summary>
    private static double[] TailErrors(Func<IFittableLaw> law, IReadOnlyList<FitTarget> targets) =>
        HeldOutTail.Errors(targets, heads => IdentifiedFitter.Fit(law(), heads).Fit);

    /// <summary>The candidate's validation losses at steps &lt;= f S (S its last step).</summary>
    internal static FitTarget Prefix(CrossDataRun r, double fraction)
    {
        double until = fraction * r.Run.Steps;
        var points = r.Run.Split(LossSplit.Validation).Where(o => o.Step <= until).ToList();
        if (points.Count == 0)
            throw new ValidationDataException(FormattableString.Invariant($"{r.Run.Metadata.Source ?? r.Name}: no validation loss at steps <= {until:F0} (fraction {fraction})."));
        return FitTarget.Of(r.Run, points);
    }

    /// <summary>The target: the validation loss at the run's last step (its last validation observation after the cut).</summary>
    internal static double Actual(CrossDataRun r) =>
        r.Run.Split(LossSplit.Validation).Where(o => o.Step == r.Run.Steps).Select(o => o.Loss).DefaultIfEmpty(double.NaN).Last() is var y && double.IsFinite(y) ? y
            : throw new ValidationDataException($"{r.Run.Metadata.Source ?? r.Name}: no validation loss at the last step {r.Run.Steps.ToString(CultureInfo.InvariantCulture)}.");

    /// <summary>
    /// The law fitted on <paramref name="targets"/> (<see cref="IdentifiedFitter"/>, default rule) and its own prediction at each run's last
    /// step from the run's schedule; and that prediction anchored on the run's own prefix (<see cref="AnchoredPrediction.Residual"/> over
    /// the last points of its target, the law on the run's schedule). NaN (ranked last) for a failed fit, non-finite parameters, or a
    /// prediction that is not a finite positive loss (a cross-entropy is positive).
    /// </summary>
    private static (double[] Plain, double[] Anchored) Predict(IFittableLaw law, IReadOnlyList<FitTarget> targets, IReadOnlyList<CrossDataRun> runs)
    {
        var none = runs.Select(_ => double.NaN).ToArray();
        if (FitOrNull(law, targets) is not { } fit) return (none, none);
        try
        {
            var plain = new double[runs.Count];
            var anchored = new double[runs.Count];
            for (int i = 0; i < runs.Count; i++) (plain[i], anchored[i]) = PredictRun(fit, runs[i], targets[i]);
            return (plain, anchored);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return (none, none);
        }
    }

    /// <summary>The law fitted on <paramref name="targets"/> by <see cref="IdentifiedFitter"/> (default rule); null for a failed fit or non-finite parameters.</summary>
    internal static LawFit? FitOrNull(IFittableLaw law, IReadOnlyList<FitTarget> targets)
    {
        try
        {
            var fit = IdentifiedFitter.Fit(law, targets).Fit;
            return fit.HasFiniteParameters ? fit : null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return null;
        }
    }

    /// <summary>
    /// <paramref name="fit"/>'s own prediction at the run's last step from its schedule, and that prediction anchored on the run's own
    /// prefix <paramref name="target"/> (<see cref="Anchor"/>; with no prefix, <paramref name="target"/> null, the plain prediction):
    /// each NaN when not a finite positive loss. May throw as the law's prediction does.
    /// </summary>
    internal static (double Plain, double Anchored) PredictRun(LawFit fit, CrossDataRun r, FitTarget? target)
    {
        var history = new ScheduleHistory(r.Run.LearningRates);
        double size = r.Run.Metadata.Parameters ?? double.NaN;
        double y = fit.Predict(history, [r.Run.Steps], size)[0];
        double a = target is null ? y : y + Anchor(fit, history, target, size);
        return (double.IsFinite(y) && y > 0 ? y : double.NaN, double.IsFinite(a) && a > 0 ? a : double.NaN);
    }

    /// <summary>
    /// The anchor r of <paramref name="fit"/> on <paramref name="target"/> (<see cref="AnchoredPrediction.Residual"/>), in its own try so that
    /// its failure leaves the plain prediction: 0 (the anchored prediction is the plain one) when the law cannot be read along the prefix.
    /// </summary>
    internal static double Anchor(LawFit fit, ScheduleHistory history, FitTarget target, double size)
    {
        try
        {
            return AnchoredPrediction.Residual(target.Steps, target.Loss, fit.Predict(history, target.Steps, size), target.Steps[^1]);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return 0;
        }
    }
}
