using HyperLaws.Evaluation;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.Rank;

/// <summary>One candidate of <c>rank --ranker ensemble-lr</c>: its schedule and its ranking.</summary>
internal sealed record RankEnsembleCandidate(LrSchedule Schedule, LrEnsembleRanked Ranked)
{
    /// <summary>True for a candidate at a peak LR where the runs have no run (no per-LR member, no anchor: only the pooled joint law ranks it).</summary>
    public bool AtLrWithoutRuns { get; init; }

    /// <summary>The members' predictions (the per-LR members and the pooled one anchored, the pooled one's own) that are finite.</summary>
    public IReadOnlyList<double> Finite => [.. Ranked.Prediction.PerLr.Append(Ranked.Prediction.Pooled).Append(Ranked.Prediction.Level).Where(double.IsFinite)];
}
