namespace HyperLaws.Validation;

/// <summary>One cell of protocol 20 (a size and horizon, the peak LR swept alone): its best LR and the optimum of the law fitted on every run.</summary>
/// <param name="Cell">The cell's label (optimizer, size, Chinchilla multiple).</param>
/// <param name="N">Non-embedding parameters.</param>
/// <param name="D">Tokens.</param>
/// <param name="FiniteLrs">Peak LRs with a finite loss (at most 2x the cell's best).</param>
/// <param name="DivergedLrs">Peak LRs whose loss exceeds 2x the cell's best (diverged; not fitted).</param>
/// <param name="BestLr">The LR of the cell's lowest final loss.</param>
/// <param name="Bracketed">Whether the best LR has a finite run at a lower and at a higher LR.</param>
/// <param name="LawLr">The optimum of the law fitted on every finite run of every cell, over the cell's LR grid.</param>
public sealed record LrSweepCell(string Cell, double N, double D, int FiniteLrs, int DivergedLrs, double BestLr, bool Bracketed, double LawLr)
{
    /// <summary>|log2(LawLr / BestLr)| in sweep steps.</summary>
    public double OptimumLog2 => Math.Abs(Math.Log2(LawLr / BestLr));
}
