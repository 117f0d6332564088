namespace HyperLaws.Evaluation;

/// <summary>How <see cref="EnsembleRanking"/> combines its member laws' predictions.</summary>
public enum EnsembleRule
{
    /// <summary>
    /// score(c) = (1/L) sum_l pred[l][c] / m_l, m_l the mean of law l's finite predictions over the candidates; lowest first,
    /// ties by name (ordinal). Invariant under multiplying one law's predictions by a positive constant.
    /// </summary>
    ScaleFreeMean,

    /// <summary>
    /// Borda count: points(c) = sum_l rank_l(c) (1 = law l's lowest prediction, ties by name, non-finite last); fewest first,
    /// ties by the <see cref="ScaleFreeMean"/> score, then by name. Invariant under any increasing transform of one law.
    /// </summary>
    Borda,
}
