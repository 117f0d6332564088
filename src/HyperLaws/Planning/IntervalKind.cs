namespace HyperLaws.Planning;

/// <summary>Where a plan's loss interval comes from.</summary>
public enum IntervalKind
{
    /// <summary>No interval: the runs leave nothing to hold out and no provider was given.</summary>
    None,

    /// <summary>+-(the law's worst final-loss error on held-out runs), relative; it does not widen with the extrapolation.</summary>
    HeldOutWorst,

    /// <summary>An interval provider passed in (e.g. calibrated on held-out runs, widening with the extrapolation).</summary>
    Provider,

    /// <summary>Split-conformal at 90% on out-of-sample residuals of the plan's runs, widening with the extrapolation (<see cref="ConformalIntervalProvider"/>).</summary>
    Conformal,
}
