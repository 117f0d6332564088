namespace HyperLaws.Validation;

/// <summary>One ranker's pairs with a candidate at the held-out LR in one candidate set (<see cref="LrHoldOut.Count"/>).</summary>
/// <param name="Ranker">The ranker (<see cref="LrHoldOut.Rankers"/>).</param>
/// <param name="Fraction">The training fraction.</param>
/// <param name="HeldLr">The LR held out.</param>
/// <param name="Set">The candidate set's name.</param>
/// <param name="WithinCorrect">Pairs within the held-out LR ordered right.</param>
/// <param name="WithinPairs">Pairs within the held-out LR (actual losses differ).</param>
/// <param name="AcrossCorrect">Pairs across (one candidate at the held-out LR) ordered right.</param>
/// <param name="AcrossPairs">Pairs across.</param>
/// <param name="AcrossSameShapeCorrect">Of the across pairs, those of one schedule shape at two LRs ordered right.</param>
/// <param name="AcrossSameShapePairs">Of the across pairs, those of one schedule shape at two LRs.</param>
public sealed record LrHoldOutPairs(string Ranker, double Fraction, double HeldLr, string Set, int WithinCorrect, int WithinPairs, int AcrossCorrect, int AcrossPairs,
    int AcrossSameShapeCorrect = 0, int AcrossSameShapePairs = 0)
{
    /// <summary>All pairs ordered right.</summary>
    public int Correct => WithinCorrect + AcrossCorrect;

    /// <summary>All pairs.</summary>
    public int Pairs => WithinPairs + AcrossPairs;
}
