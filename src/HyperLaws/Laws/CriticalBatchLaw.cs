namespace HyperLaws.Laws;

/// <summary>
/// The critical batch (gradient noise scale) B_noise of a run of D tokens, B_noise(D) = <see cref="Prefactor"/> D^<see cref="Exponent"/>
/// in tokens (<see cref="StepEquivalence"/> counts steps at one batch as steps at another with it).
/// </summary>
/// <param name="Prefactor">c in B_noise = c D^e (tokens^(1 - e)).</param>
/// <param name="Exponent">e in B_noise = c D^e.</param>
public sealed record CriticalBatchLaw(double Prefactor, double Exponent)
{
    /// <summary>
    /// Protocol 5's fit across the horizon (docs/VALIDATION.md "Protocol 5: critical batch", <c>validate --protocol 5</c>): the per-size
    /// B_noise of S(B) = S_min (1 + B_noise / B) on Zhang et al. 2024's critical-batch data (85M-1.2B on C4, shared/data/critical-batch-size)
    /// against each size's Chinchilla horizon T (1.7e9-2.5e10 tokens), B_noise = 2.2404 T^0.61893 (standard error of the exponent 0.031). Read at a run's own tokens D: Zhang et al.
    /// find the critical batch growing with the data size rather than the model size. Another data set and recipe than the user's runs: a
    /// stated prior (docs/VALIDATION.md "Protocol 17c with steps counted by the critical batch"); a test holds it to protocol 5's fit.
    /// </summary>
    public static CriticalBatchLaw Protocol5 { get; } = new(2.2404, 0.61893);

    /// <summary>B_noise in tokens for a run of <paramref name="tokens"/> tokens (&gt; 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tokens"/> is not positive and finite.</exception>
    public double BNoise(double tokens)
    {
        if (!(tokens > 0) || !double.IsFinite(tokens)) throw new ArgumentOutOfRangeException(nameof(tokens), $"the tokens must be positive and finite (got {tokens}).");
        return Prefactor * Math.Pow(tokens, Exponent);
    }
}
