namespace HyperLaws.Validation;

/// <summary>Protocol 17r's result.</summary>
/// <param name="Fractions">The training fractions.</param>
/// <param name="Rankers">The rankers.</param>
/// <param name="Groups">Every scored group at every fraction.</param>
/// <param name="LeftOut">The groups of one run (nothing to rank).</param>
/// <param name="Scores">Per ranker: all fractions, then each fraction.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record LrScheduleRankingResult(IReadOnlyList<double> Fractions, IReadOnlyList<string> Rankers, IReadOnlyList<RankCheckGroup> Groups,
    IReadOnlyList<string> LeftOut, IReadOnlyList<RankCheckScore> Scores, TimeSpan Elapsed);
