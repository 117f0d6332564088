namespace HyperLaws.Planning;

/// <summary>
/// The peak LRs a <see cref="IPlanLaw"/>'s runs support, in the target's absolute LRs: outside [<see cref="Low"/>,
/// <see cref="High"/>] the law extrapolates in LR, and the planner guards its choice (<see cref="PeakGuard"/>). NaN edges:
/// unknown (no guard on that side). <see cref="RunUnitsPerTarget"/> turns a target LR into the LR the user's runs would
/// use for the same point of the law (1 / the scaling rule's factor), so a proposed sweep can be given in the runs' units.
/// </summary>
public sealed record PeakSupport(double Low, double High, double RunUnitsPerTarget)
{
    /// <summary>No known support: no guard.</summary>
    public static PeakSupport Unknown { get; } = new(double.NaN, double.NaN, double.NaN);
}
