namespace HyperLaws.Validation;

/// <summary>
/// One target cell of a protocol 22 split (<see cref="MarinSize"/>): its best finite run predicted by Chinchilla's law fitted on the
/// training cells' best losses, and the joint law's LR optimum at the cell's batch, warmup and horizon.
/// </summary>
/// <param name="Cell">The cell's label.</param>
/// <param name="N">Non-embedding parameters.</param>
/// <param name="D">Training tokens.</param>
/// <param name="Best">The cell's best finite loss (the target of the Chinchilla rows).</param>
/// <param name="BestLr">The LR of that run (the lower on a tie).</param>
/// <param name="Chinchilla">L = E + A/N^alpha + B/D^beta fitted on the training cells' best losses, at (N, D).</param>
/// <param name="ChinchillaFixedAlpha">The same with alpha fixed at Hoffmann's 0.34; NaN where not declared (22a-horizon).</param>
/// <param name="LawLr">The joint law's lowest-loss peak LR over <see cref="MarinSize.OptimumGrid"/> (0.001-0.032, log-spaced).</param>
/// <param name="LowestDivergedLr">The cell's lowest diverged LR (loss above 2x its best); NaN where none diverged.</param>
public sealed record MarinSizeCell(string Cell, double N, double D, double Best, double BestLr, double Chinchilla, double ChinchillaFixedAlpha, double LawLr, double LowestDivergedLr)
{
    /// <summary>|Chinchilla - Best| / Best.</summary>
    public double ChinchillaError => Math.Abs(Chinchilla - Best) / Best;

    /// <summary>|ChinchillaFixedAlpha - Best| / Best (NaN where not declared).</summary>
    public double ChinchillaFixedAlphaError => Math.Abs(ChinchillaFixedAlpha - Best) / Best;

    /// <summary>|log2(LawLr / BestLr)|: the law's optimum's distance from the table's best LR in x2 sweep steps.</summary>
    public double OptimumLog2 => Math.Abs(Math.Log2(LawLr / BestLr));

    /// <summary>Protocol 20's "nearest" rule (<see cref="LrSweepFold.NearestStep"/>: below half a step, a tie not).</summary>
    public bool IsNearest => LrSweepFold.NearestStep(OptimumLog2);

    /// <summary>Whether the law's optimum lies below the cell's lowest diverged LR (null where none diverged).</summary>
    public bool? BelowDiverged => double.IsNaN(LowestDivergedLr) ? null : LawLr < LowestDivergedLr;
}
