namespace HyperLaws.Planning;

/// <summary>What runs at two or more peak LRs of one size and a comparable horizon show about the best peak by themselves.</summary>
public enum PeakEvidenceKind
{
    /// <summary>The best run's peak has a run at a lower and one at a higher peak: the runs bracket the best peak.</summary>
    Bracketed,

    /// <summary>The best run is at the lowest of the peaks: the loss rises above it, nothing is known below.</summary>
    BestAtLowest,

    /// <summary>The best run is at the highest of the peaks: the loss rises below it, nothing is known above.</summary>
    BestAtHighest,
}
