namespace HyperLaws.Planning;

/// <summary>Why the planner's peak is not the law's optimum.</summary>
public enum GuardKind
{
    /// <summary>The optimum lies above the highest peak LR of the law's runs (or the loss still falls at the search's high edge).</summary>
    AboveRuns,

    /// <summary>The optimum lies below the lowest peak LR of the law's runs (or the loss still falls at the search's low edge).</summary>
    BelowRuns,

    /// <summary>
    /// The law's optimum contradicts the runs' own final losses, like for like at the reference's horizon (<see cref="PeakEvidence"/>): outside the bracket
    /// of their best peak, or beyond their best on the side where their loss rose; the peak is the runs' optimum.
    /// </summary>
    RunsEvidence,

    /// <summary>The optimum (or the supported cap) diverges by the divergence guard: the peak is the highest that trains.</summary>
    Divergence,
}
