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
/// <param name="BestTied">Whether another finite LR of the cell has exactly the best loss (<paramref name="BestLr"/> is then the lowest of them).</param>
public sealed record LrSweepCell(string Cell, double N, double D, int FiniteLrs, int DivergedLrs, double BestLr, bool Bracketed, double LawLr, bool BestTied = false)
{
    /// <summary>|log2(LawLr / BestLr)| in sweep steps.</summary>
    public double OptimumLog2 => Math.Abs(Math.Log2(LawLr / BestLr));

    /// <summary>Whether the optimum is nearer the best LR than half a sweep step (<see cref="LrSweepFold.IsNearest"/>'s rule).</summary>
    public bool IsNearest => LrSweepFold.NearestStep(OptimumLog2);

    /// <summary>Whether the optimum is within one sweep step of the best LR (rounded to 9 digits).</summary>
    public bool IsWithinStep => LrSweepFold.WithinOneStep(OptimumLog2);
}
