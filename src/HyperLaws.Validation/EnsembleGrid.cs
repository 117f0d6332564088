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
    public static IReadOnlyList<string> PerLrMembers { get; } = ["optlaw", "mpl-g1", "tissue"];

    /// <summary>The pooled member: the joint law across LRs with its noise power fitted (<see cref="JointFitOptions.FitNoisePower"/>).</summary>
    public const string PooledJoint = "joint-pooled-p";

    /// <summary>The primary ensemble's name (<see cref="EnsembleRule.ScaleFreeMean"/>).</summary>
    public const string Primary = "ensemble";

    /// <summary>The secondary ensemble's name (<see cref="EnsembleRule.Borda"/>).</summary>
    public const string Secondary = "ensemble-borda";

    /// <summary>
    /// Fits the members at <paramref name="options"/>' training fraction (the per-LR ones per LR, the joint law pooled with p
    /// fitted, whatever <see cref="GridOptions.Pooled"/> says) and adds both ensembles after them.
    /// </summary>
    public static GridResult Run(IReadOnlyList<GridRun> runs, GridOptions? options = null, Action<string>? progress = null)
    {
        options ??= new GridOptions();
        var perLr = ScheduleGrid.Run(runs, PerLrMembers, options with { Pooled = false }, progress);
        var joint = options.Joint ?? new JointFitOptions();
        var pooled = ScheduleGrid.Run(runs, ["joint"], options with { Pooled = true, Joint = joint with { FitNoisePower = true } }, progress);
        var members = perLr.Laws.Append(pooled.Laws.Single() with { Law = PooledJoint }).ToList();
        return perLr with
        {
            Options = options with { Pooled = false },
            Laws = [.. members, Combine(Primary, members, EnsembleRule.ScaleFreeMean), Combine(Secondary, members, EnsembleRule.Borda)],
        };
    }

    /// <summary>
    /// The ensemble of <paramref name="members"/> (protocol-3 results of one training fraction, over the same runs) as a protocol-3
    /// result: each candidate set is ordered by <paramref name="rule"/> over the members' predicted final losses; its predicted
    /// final loss (for the errors only) is the plain mean of the members'. It has no fits or offsets of its own.
    /// </summary>
    /// <exception cref="ArgumentException">No member, or the members do not predict the same runs.</exception>
    public static LawGridResult Combine(string name, IReadOnlyList<LawGridResult> members, EnsembleRule rule)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one member.", nameof(members));
        var byName = members.Select(m => m.Predictions.ToDictionary(p => p.Run.Name, StringComparer.Ordinal)).ToList();
        var runs = members[0].Predictions;
        foreach (var (m, d) in members.Zip(byName))
            if (d.Count != runs.Count || runs.Any(p => !d.ContainsKey(p.Run.Name)))
                throw new ArgumentException($"member {m.Law} does not predict the same runs as {members[0].Law}.", nameof(members));
        var predictions = runs.Select(p => p with
        {
            Predicted = byName.Average(d => d[p.Run.Name].Predicted),
            LawValue = byName.Average(d => d[p.Run.Name].LawValue),
        }).ToList();

        IReadOnlyList<double> Key(IReadOnlyList<GridPrediction> set)
        {
            var names = set.Select(p => p.Run.Name).ToList();
            var values = byName.Select(d => (IReadOnlyList<double>)[.. names.Select(n => d[n].Predicted)]).ToList();
            return [.. EnsembleRanking.Positions(values, names, rule).Select(k => (double)k)];
        }

        return ScheduleGrid.Score(name, [], new Dictionary<double, double>(), predictions, Key, TimeSpan.FromTicks(members.Sum(m => m.Elapsed.Ticks)));
    }
}
