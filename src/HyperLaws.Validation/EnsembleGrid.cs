using HyperLaws.Evaluation;
using HyperLaws.Laws.Joint;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 3 ranked by a declared ensemble of laws (docs/VALIDATION.md, "Protocol 3: ranking by a declared ensemble of laws",
/// helper p3ens; declared before scoring). The members are fitted as protocol 3 fits them; every candidate set protocol 3 scores
/// is then ordered by <see cref="EnsembleRanking"/> over the members' predicted final losses of that set.
/// </summary>
public static class EnsembleGrid
{
    /// <summary>The members fitted per LR (protocol 3's default fit): the laws it scores with an averaged Top-2 of at least 60%.</summary>
    public static IReadOnlyList<string> PerLrMembers => LrEnsemble.PerLrMembers;

    /// <summary>The pooled member: the joint law across LRs with its noise power fitted (<see cref="JointFitOptions.FitNoisePower"/>).</summary>
    public const string PooledJoint = LrEnsemble.Pooled;

    /// <summary>The primary ensemble's name (<see cref="EnsembleRule.ScaleFreeMean"/>).</summary>
    public const string Primary = "ensemble";

    /// <summary>The secondary ensemble's name (<see cref="EnsembleRule.Borda"/>).</summary>
    public const string Secondary = "ensemble-borda";

    /// <summary>
    /// The ensemble weighted by its members' held-out tails (<see cref="CombineWeighted"/>; docs/VALIDATION.md, "Protocol 3 and 17r:
    /// the ensemble weighted by its members' held-out tails", helper p3rank2; declared before scoring).
    /// </summary>
    public const string Weighted = "ensemble-w";

    /// <summary>
    /// The primary ensemble over the anchored members (<see cref="GridOptions.Anchored"/>; docs/VALIDATION.md, "Protocol 3 and 17r: the
    /// observed level plus the law's remaining drop", helper p3rank3; declared before scoring).
    /// </summary>
    public const string Anchored = "ensemble-a";

    /// <summary>
    /// The LR axis from the pooled member, the schedule within an LR from both families (<see cref="EnsembleRanking.AxisScores"/>: the
    /// anchored per-LR members as one family and the anchored pooled member, half each, within an LR; the pooled member's own prediction
    /// for the level of each LR; docs/VALIDATION.md, "Protocol 3 and 17r: the LR axis from the pooled law, the schedule within an LR
    /// from both families", helper p3rank4; declared before scoring).
    /// </summary>
    public const string Axes = "ensemble-lr";

    /// <summary>
    /// Fits the members at <paramref name="options"/>' training fraction (the per-LR ones per LR, the joint law pooled with p
    /// fitted, whatever <see cref="GridOptions.Pooled"/> says) and adds the three ensembles after them: the scale-free mean, Borda,
    /// and the scale-free mean weighted by each member's held-out tails on the training runs (<see cref="ScheduleGrid.HeldOutTailErrors"/>);
    /// then the members anchored (the same fits, <see cref="GridOptions.Anchored"/>) and their scale-free mean (<see cref="Anchored"/>);
    /// last <see cref="Axes"/> (the anchored members within an LR, the pooled member's own prediction across LRs).
    /// </summary>
    public static GridResult Run(IReadOnlyList<GridRun> runs, GridOptions? options = null, Action<string>? progress = null)
    {
        options ??= new GridOptions();
        var perLrOptions = options with { Pooled = false, Anchored = true };
        var perLr = ScheduleGrid.Run(runs, PerLrMembers, perLrOptions, progress);
        var joint = options.Joint ?? new JointFitOptions();
        var pooledOptions = options with { Pooled = true, Joint = joint with { FitNoisePower = true }, Anchored = true };
        var pooled = ScheduleGrid.Run(runs, ["joint"], pooledOptions, progress);
        static bool IsAnchored(LawGridResult r) => r.Law.EndsWith(ScheduleGrid.AnchoredSuffix, StringComparison.Ordinal);
        var members = perLr.Laws.Where(r => !IsAnchored(r)).Append(pooled.Laws.Single(r => !IsAnchored(r)) with { Law = PooledJoint }).ToList();
        var anchored = perLr.Laws.Where(IsAnchored).Append(pooled.Laws.Single(IsAnchored) with { Law = PooledJoint + ScheduleGrid.AnchoredSuffix }).ToList();
        var tails = new List<IReadOnlyDictionary<GridRun, double>>();
        foreach (string law in PerLrMembers)
        {
            progress?.Invoke($"{law}: held-out tails of the training runs ...");
            tails.Add(ScheduleGrid.HeldOutTailErrors(runs, law, perLrOptions));
        }
        progress?.Invoke($"{PooledJoint}: held-out tails of the training runs ...");
        tails.Add(ScheduleGrid.HeldOutTailErrors(runs, "joint", pooledOptions));
        foreach (var (law, t) in members.Select(m => m.Law).Zip(tails))
            progress?.Invoke($"{law}: held-out tail error by LR: " + string.Join(", ", t.GroupBy(kv => kv.Key.Lr).OrderBy(g => g.Key)
                .Select(g => FormattableString.Invariant($"{g.Key:G4} {HeldOutTail.Mean(g.Select(kv => kv.Value)):G3}"))));
        return perLr with
        {
            Options = perLrOptions,
            Laws = [.. members, Combine(Primary, members, EnsembleRule.ScaleFreeMean), Combine(Secondary, members, EnsembleRule.Borda),
                CombineWeighted(Weighted, members, tails), .. anchored, Combine(Anchored, anchored, EnsembleRule.ScaleFreeMean),
                CombineAxes(Axes, anchored, members[^1])],
        };
    }

    /// <summary>
    /// The members' weights for one candidate set: per member, <see cref="HeldOutTail.Weight"/> of the mean held-out tail error
    /// over the training runs at the set's LRs (<paramref name="tails"/>, one map per member, as <see cref="ScheduleGrid.HeldOutTailErrors"/>).
    /// </summary>
    public static double[] Weights(IReadOnlyList<IReadOnlyDictionary<GridRun, double>> tails, IReadOnlyCollection<double> lrs)
    {
        ArgumentNullException.ThrowIfNull(tails);
        ArgumentNullException.ThrowIfNull(lrs);
        return [.. tails.Select(t => HeldOutTail.Weight(HeldOutTail.Mean(t.Where(kv => lrs.Contains(kv.Key.Lr)).Select(kv => kv.Value))))];
    }

    /// <summary>
    /// The ensemble of <paramref name="members"/> ordered by <see cref="EnsembleRanking.WeightedScores"/>, each candidate set with the
    /// members' <see cref="Weights"/> at the set's LRs; its predicted final loss (for the errors only) the plain mean of the members', as <see cref="Combine(string, IReadOnlyList{LawGridResult}, EnsembleRule)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Combine(string, IReadOnlyList{LawGridResult}, EnsembleRule)"/>; or not one map of tails per member.</exception>
    public static LawGridResult CombineWeighted(string name, IReadOnlyList<LawGridResult> members, IReadOnlyList<IReadOnlyDictionary<GridRun, double>> tails)
    {
        ArgumentNullException.ThrowIfNull(tails);
        if (tails.Count != members.Count) throw new ArgumentException($"{tails.Count} maps of held-out tails for {members.Count} members.", nameof(tails));
        return CombineBy(name, members, (values, names, set) => EnsembleRanking.WeightedPositions(values, names, Weights(tails, [.. set.Select(p => p.Run.Lr).Distinct()])));
    }

    /// <summary>
    /// The ensemble of <paramref name="members"/> (protocol-3 results of one training fraction, over the same runs) as a protocol-3
    /// result: each candidate set is ordered by <paramref name="rule"/> over the members' predicted final losses; its predicted
    /// final loss (for the errors only) is the plain mean of the members'. It has no fits or offsets of its own.
    /// </summary>
    /// <exception cref="ArgumentException">No member, or the members do not predict the same runs.</exception>
    public static LawGridResult Combine(string name, IReadOnlyList<LawGridResult> members, EnsembleRule rule) =>
        CombineBy(name, members, (values, names, _) => EnsembleRanking.Positions(values, names, rule));

    /// <summary>
    /// <see cref="Axes"/>: each candidate set ordered by <see cref="EnsembleRanking.AxisScores"/> with <paramref name="members"/>' last
    /// as the pooled member within an LR (the others per LR) and <paramref name="pooledLevel"/> for the LR axis; its predicted final
    /// loss (for the errors only) the plain mean of <paramref name="members"/>', as <see cref="Combine(string, IReadOnlyList{LawGridResult}, EnsembleRule)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two members, or the members and the level do not predict the same runs.</exception>
    public static LawGridResult CombineAxes(string name, IReadOnlyList<LawGridResult> members, LawGridResult pooledLevel)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count < 2) throw new ArgumentException("the axis ensemble needs per-LR members and a pooled one.", nameof(members));
        return CombineBy(name, [.. members, pooledLevel], (values, names, set) =>
            EnsembleRanking.AxisPositions(values.Take(members.Count - 1).ToList(), values[members.Count - 1], values[members.Count], [.. set.Select(p => p.Run.Lr)], names),
            members.Count);
    }

    private static LawGridResult CombineBy(string name, IReadOnlyList<LawGridResult> members,
        Func<IReadOnlyList<IReadOnlyList<double>>, IReadOnlyList<string>, IReadOnlyList<GridPrediction>, int[]> positions, int? averaged = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one member.", nameof(members));
        var byName = members.Select(m => m.Predictions.ToDictionary(p => p.Run.Name, StringComparer.Ordinal)).ToList();
        var runs = members[0].Predictions;
        foreach (var (m, d) in members.Zip(byName))
            if (d.Count != runs.Count || runs.Any(p => !d.ContainsKey(p.Run.Name)))
                throw new ArgumentException($"member {m.Law} does not predict the same runs as {members[0].Law}.", nameof(members));
        var mean = byName.Take(averaged ?? byName.Count).ToList();   // the members whose plain mean is the ensemble's predicted loss
        var predictions = runs.Select(p => p with
        {
            Predicted = mean.Average(d => d[p.Run.Name].Predicted),
            LawValue = mean.Average(d => d[p.Run.Name].LawValue),
        }).ToList();

        IReadOnlyList<double> Key(IReadOnlyList<GridPrediction> set)
        {
            var names = set.Select(p => p.Run.Name).ToList();
            var values = byName.Select(d => (IReadOnlyList<double>)[.. names.Select(n => d[n].Predicted)]).ToList();
            return [.. positions(values, names, set).Select(k => (double)k)];
        }

        return ScheduleGrid.Score(name, [], new Dictionary<double, double>(), predictions, Key, TimeSpan.FromTicks(members.Sum(m => m.Elapsed.Ticks)));
    }
}
