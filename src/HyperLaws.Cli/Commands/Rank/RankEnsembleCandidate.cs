using HyperLaws.Evaluation;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.Rank;

/// <summary>One candidate of <c>rank --ranker ensemble-lr</c>: its schedule and its ranking.</summary>
internal sealed record RankEnsembleCandidate(LrSchedule Schedule, LrEnsembleRanked Ranked)
{
    /// <summary>True for a candidate at a peak LR where the runs have no run (no per-LR member, no anchor: only the pooled joint law ranks it).</summary>
    public bool AtLrWithoutRuns { get; init; }

    /// <summary>The members' predictions (the per-LR members and the pooled one anchored, the pooled one's own) that are finite.</summary>
    public IReadOnlyList<double> Finite => [.. Values.Select(v => v.Value).Where(double.IsFinite)];

    /// <summary>
    /// Each member's value by name, in the order of <see cref="LrEnsemble.PerLrMembers"/> anchored ("optlaw-a"), then the pooled one
    /// anchored, then the pooled one's own (<see cref="LrEnsemble.Pooled"/>, the level): NaN where the member gives none.
    /// </summary>
    public IReadOnlyList<(string Name, double Value)> Values =>
    [
        .. LrEnsemble.PerLrMembers.Select((m, l) => (m + LrEnsemble.AnchoredSuffix, l < Ranked.Prediction.PerLr.Count ? Ranked.Prediction.PerLr[l] : double.NaN)),
        (LrEnsemble.Pooled + LrEnsemble.AnchoredSuffix, Ranked.Prediction.Pooled),
        (LrEnsemble.Pooled, Ranked.Prediction.Level),
    ];

    /// <summary>
    /// The members that give this candidate no value although they exist at its LR: left out of its LR (a prediction not physical for
    /// some candidate of that LR, <see cref="LrEnsemble.DropUnphysical"/>), a fit that did not reach finite parameters, or (the pooled
    /// one's own) a level set aside as not physical; the warnings say which. At a peak LR without runs the per-LR members do not exist
    /// there and are not listed.
    /// </summary>
    public IReadOnlyList<string> LeftOut =>
        [.. Values.Where((v, i) => !double.IsFinite(v.Value) && !(AtLrWithoutRuns && i < LrEnsemble.PerLrMembers.Count)).Select(v => v.Name)];
}
