using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>A fit and the terms its curves could not identify (<see cref="IdentifiedFitter"/>).</summary>
/// <param name="Fit">The fit: the law's full parameter vector (pinned terms at their priors).</param>
/// <param name="Unidentified">The unidentified terms, each with the prior it was held at (or null when left free); empty when every term is identified.</param>
public sealed record IdentifiedFit(LawFit Fit, IReadOnlyList<UnidentifiedTerm> Unidentified)
{
    /// <summary>True when some term was held at a prior.</summary>
    public bool UsedPriors => Unidentified.Any(u => u.Prior is not null && u.Prior != Identification.JointPrior);

    /// <summary>The parameters held at a prior (index in the law's order to value); null when none was (the fit is <see cref="LawFitter.Fit"/>'s).</summary>
    public IReadOnlyDictionary<int, double>? Pins { get; init; }

    /// <summary>
    /// What <see cref="IdentificationRule.Evidence"/> decided for a decay seen only in part ("free: ..." or "prior: " and the physical
    /// check the free fit failed, <see cref="DecayCheck"/>); for 14c's rule and free, "polished" and <see cref="IdentifiedFitter.PolishNote"/>
    /// when the kept fit is the run from the prior-held point alone; null otherwise.
    /// </summary>
    public string? Evidence { get; init; }
}
