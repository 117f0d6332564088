namespace HyperLaws.Validation;

/// <summary>
/// Top-k hit rates as in Opt-Laws (../shared/docs/schedule-laws.md): over groups of runs that share
/// everything but the schedule, the fraction of groups whose truly best run is among the k runs with the
/// lowest predicted loss. A group with one candidate tells nothing and is not counted. Ties are broken
/// by name, so the result is deterministic; a run whose prediction is not finite ranks last.
/// </summary>
public static class ScheduleRanking
{
    /// <summary>Lowest actual loss first (ties by name).</summary>
    public static IReadOnlyList<RankedCandidate> ByActual(IEnumerable<RankedCandidate> candidates) =>
        [.. candidates.OrderBy(c => c.Actual).ThenBy(c => c.Name, StringComparer.Ordinal)];

    /// <summary>Lowest predicted loss first; a non-finite prediction (a law that failed on the run) ranks last.</summary>
    public static IReadOnlyList<RankedCandidate> ByPredicted(IEnumerable<RankedCandidate> candidates) =>
        [.. candidates.OrderBy(c => double.IsFinite(c.Predicted) ? c.Predicted : double.PositiveInfinity).ThenBy(c => c.Name, StringComparer.Ordinal)];

    /// <summary>Groups candidates by a key (groups in the order their keys first appear, candidates in input order).</summary>
    public static IReadOnlyList<RankingGroup> Group<T>(IEnumerable<T> items, Func<T, string> key, Func<T, RankedCandidate> candidate) =>
        [.. items.GroupBy(key, StringComparer.Ordinal).Select(g => new RankingGroup(g.Key, [.. g.Select(candidate)]))];

    /// <summary>Top-1 and Top-2 hits over the groups with two or more candidates.</summary>
    public static HitRates Score(IEnumerable<RankingGroup> groups)
    {
        int counted = 0, top1 = 0, top2 = 0, skipped = 0;
        foreach (var g in groups)
        {
            foreach (var c in g.Candidates)
                if (!double.IsFinite(c.Actual))
                    throw new ArgumentException($"group {g.Key}: {c.Name} has a non-finite actual loss ({c.Actual}).");
            if (g.Candidates.Count < 2)
            {
                skipped++;
                continue;
            }
            counted++;
            int rank = g.PredictedRankOfBest;
            if (rank <= 1) top1++;
            if (rank <= 2) top2++;
        }
        return new HitRates(counted, top1, top2, skipped);
    }

    /// <summary>
    /// Pairwise order accuracy (protocol 17r): over every pair of candidates of a group whose actual losses differ, whether the
    /// predicted order (<see cref="ByPredicted"/>: non-finite last, ties by name) puts the actually lower one first. Pairs of equal
    /// actual loss are not counted.
    /// </summary>
    /// <returns>The pairs ordered right and the pairs counted.</returns>
    public static (int Correct, int Pairs) Pairwise(IEnumerable<RankingGroup> groups)
    {
        int correct = 0, pairs = 0;
        foreach (var g in groups)
        {
            var order = ByPredicted(g.Candidates);
            for (int i = 0; i < order.Count; i++)
                for (int j = i + 1; j < order.Count; j++)
                {
                    if (order[i].Actual == order[j].Actual) continue;
                    pairs++;
                    if (order[i].Actual < order[j].Actual) correct++;
                }
        }
        return (correct, pairs);
    }
}
