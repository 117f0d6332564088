namespace HyperLaws.Validation;

/// <summary>
/// One size law of the joint law in protocol 2 (<see cref="CrossSize.JointSizeExponents"/>): the offset's size exponent beta and
/// its source (<paramref name="Variant"/>, printed), and whether n_N, the noise's size exponent, is fitted
/// (<see cref="HyperLaws.Laws.Joint.JointFitOptions.NoiseSizeScale"/>).
/// </summary>
public sealed record JointSizeVariant(string Variant, double Beta, bool NoiseSizeScale);
