namespace HyperLaws.Validation;

/// <summary>Which runs of a final-loss LR sweep's cell count as diverged, i.e. are not fitted (protocol 23's choice of label; docs/VALIDATION.md "Protocol 23b").</summary>
public enum SweepDivergenceLabel
{
    /// <summary>Protocol 20's label: a run is diverged when its loss is not finite or above 2x its cell's best.</summary>
    TwiceBest,

    /// <summary>
    /// The twice-best label, and every run at or above the cliff: the lowest LR above the best run's whose loss is not finite or
    /// above <see cref="SweepFinite.GapRatio"/> x the cell's best (a run that blew up and partly recovered, and everything beyond it).
    /// </summary>
    Gap,
}
