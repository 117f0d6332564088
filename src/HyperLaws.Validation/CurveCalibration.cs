namespace HyperLaws.Validation;

/// <summary>
/// One curve: how many of its points fall inside, below and above the interval; the mean relative width
/// (upper - lower) / prediction; and its final point with the interval there.
/// </summary>
public sealed record CurveCalibration(string Run, int Points, int Inside, int Below, int Above, double MeanRelativeWidth, int FinalStep, double FinalLoss, double FinalPredicted, double FinalLower, double FinalUpper)
{
    /// <summary>True when the final loss lies inside the interval at the final step (ends included).</summary>
    public bool FinalInside => FinalLoss >= FinalLower && FinalLoss <= FinalUpper;
}
