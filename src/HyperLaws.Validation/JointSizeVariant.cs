namespace HyperLaws.Validation;

/// <summary>
/// One size law of the joint law in protocol 2 (<see cref="CrossSize.JointSizeExponents"/>): the offset's size exponent beta and
/// its source (<paramref name="Variant"/>, printed), whether n_N, the noise's size exponent, is fitted
/// (<see cref="HyperLaws.Laws.Joint.JointFitOptions.NoiseSizeScale"/>), whether n_M, the noise memory's size exponent, is fitted
/// (<see cref="HyperLaws.Laws.Joint.JointFitOptions.NoiseMemorySizeScale"/>), and whether beta is tied to the progress exponent
/// instead of <paramref name="Beta"/> (<see cref="HyperLaws.Laws.Joint.JointFitOptions.TieOffsetExponent"/>).
/// </summary>
public sealed record JointSizeVariant(string Variant, double Beta, bool NoiseSizeScale, bool NoiseMemorySizeScale = false, bool TieOffsetExponent = false)
{
    /// <summary>The joint law's fit settings for this variant.</summary>
    public HyperLaws.Laws.Joint.JointFitOptions Options => new()
    {
        OffsetExponent = Beta,
        NoiseSizeScale = NoiseSizeScale,
        NoiseMemorySizeScale = NoiseMemorySizeScale,
        TieOffsetExponent = TieOffsetExponent,
    };
}
