namespace HyperLaws.Validation;

/// <summary>One ranker's protocol-17r scores over one fraction's groups (<see cref="Fraction"/> null: all fractions).</summary>
/// <param name="Ranker">The ranker.</param>
/// <param name="Fraction">The fraction, or null for all.</param>
/// <param name="Triples">Top-1/Top-2 over the groups of three or more candidates.</param>
/// <param name="Correct">Pairs ordered right (<see cref="ScheduleRanking.Pairwise"/>).</param>
/// <param name="Pairs">Pairs counted.</param>
public sealed record RankCheckScore(string Ranker, double? Fraction, HitRates Triples, int Correct, int Pairs)
{
    /// <summary>Correct / Pairs (NaN without pairs).</summary>
    public double Accuracy => Pairs == 0 ? double.NaN : (double)Correct / Pairs;
}
