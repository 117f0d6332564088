namespace HyperLaws.Validation;

/// <summary>One candidate set of protocol 17r at one training fraction.</summary>
/// <param name="Key">"SET S=ITERATIONS".</param>
/// <param name="Fraction">The training fraction.</param>
/// <param name="Runs">The candidates' names.</param>
/// <param name="Actual">Their last validation losses.</param>
/// <param name="Predicted">Per member (<see cref="LrScheduleRanking.Members"/>' order), its predicted losses (NaN: failed).</param>
/// <param name="ByRanker">Each ranker's group (<see cref="LrScheduleRanking.Rankers"/>).</param>
public sealed record RankCheckGroup(string Key, double Fraction, IReadOnlyList<string> Runs, IReadOnlyList<double> Actual,
    IReadOnlyList<IReadOnlyList<double>> Predicted, IReadOnlyDictionary<string, RankingGroup> ByRanker)
{
    /// <summary>Per member (<see cref="LrScheduleRanking.Members"/>' order), its mean held-out tail error on the group's prefixes (<see cref="HyperLaws.Evaluation.HeldOutTail"/>; NaN: none, +infinity: failed).</summary>
    public IReadOnlyList<double> HeldOutErrors { get; init; } = [];
}
