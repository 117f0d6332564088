using HyperLaws.Laws;
using HyperLaws.Laws.Joint;

namespace HyperLaws.Validation;

/// <summary>A law's protocol-2 results: its size laws (the first is the headline) and the 100M-only baseline.</summary>
public sealed record CrossSizeLaw(string Law, IReadOnlyList<CrossSizeScore> Variants, CrossSizeScore Baseline)
{
    /// <summary>The headline size law's score (the first variant, chosen a priori).</summary>
    public CrossSizeScore Headline => Variants[0];
}
