using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>A fit and the terms its curves could not identify (<see cref="IdentifiedFitter"/>).</summary>
/// <param name="Fit">The fit: the law's full parameter vector (pinned terms at their priors).</param>
/// <param name="Unidentified">The unidentified terms, each with the prior it was held at (or null when left free); empty when every term is identified.</param>
public sealed record IdentifiedFit(LawFit Fit, IReadOnlyList<UnidentifiedTerm> Unidentified)
{
    /// <summary>True when some term was held at a prior.</summary>
    public bool UsedPriors => Unidentified.Any(u => u.Prior is not null && u.Prior != Identification.JointPrior);
}
