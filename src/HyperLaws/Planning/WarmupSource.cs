namespace HyperLaws.Planning;

/// <summary>Where a <see cref="WarmupGuard"/>'s supported warmup comes from.</summary>
public enum WarmupSource
{
    /// <summary>The shortest warmup among the law's runs that trained at a peak comparable to the plan's (<see cref="WarmupGuard.SupportedBy"/>).</summary>
    Runs,

    /// <summary>
    /// No run carries a warmup (none with LRs), or the runs of the highest peak, below the plan's, have none: the stated prior
    /// <see cref="WarmupGuard.PriorSteps"/> (in the second case <see cref="WarmupGuard.Run"/> names that run).
    /// </summary>
    Prior,
}
