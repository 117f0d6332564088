using HyperLaws.Numerics;

namespace HyperLaws.Validation;

/// <summary>The steps-batch fit of one model size: S(B) = S_min (1 + B_noise / B), and its RMS error in log S.</summary>
/// <param name="ChinchillaTokens">The training horizon that defines this size's target loss (the loss reached at the
/// Chinchilla budget with batch 256 x 512 tokens).</param>
public sealed record StepsBatchFit(string Model, double Parameters, double SMin, double BNoise, double RmsLogError, int Points, double TargetLoss, double ChinchillaTokens)
{
    /// <summary>E_min = S_min B_noise, the fewest tokens that reach the target (the large-S, small-B limit).</summary>
    public double EMin => SMin * BNoise;
}
