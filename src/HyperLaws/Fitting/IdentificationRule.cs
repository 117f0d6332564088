namespace HyperLaws.Fitting;

/// <summary>
/// When <see cref="IdentifiedFitter"/> holds a law's decay terms at <see cref="DecayPrior"/> (docs/VALIDATION.md, protocols 14c,
/// 14d and 14e/15e). Every rule but <see cref="Free"/> holds the terms when no fitted point follows an LR decrement
/// (<see cref="ScheduleEvidence.ShowsDecay"/> false) and fits them freely when the decay's shape is shown
/// (<see cref="ScheduleEvidence.ShowsDecayShape"/>); they differ on a decay seen only in part.
/// </summary>
public enum IdentificationRule
{
    /// <summary>Protocol 14c: a decay seen only in part is fitted freely, started also at the prior-held fit (held only when no fitted point follows a decrement).</summary>
    NoDecrement,

    /// <summary>Protocol 14d (the default before protocol 14e/15e): a decay seen only in part is held at the prior.</summary>
    Shape,

    /// <summary>
    /// Protocol 14e/15e (the default, <see cref="IdentifiedFitter.DefaultRule"/>): a decay seen only in part is fitted both ways, and the free fit is kept unless it is non-physical
    /// (<see cref="DecayCheck.Failure"/>), in which case the prior-held fit is.
    /// </summary>
    Evidence,

    /// <summary>No prior: every term fitted freely (protocol 14's original fits, and the fit with priors turned off; a decay seen only in part started also at the prior-held fit); unidentified terms are only reported.</summary>
    Free,
}
