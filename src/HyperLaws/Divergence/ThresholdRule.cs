namespace HyperLaws.Divergence;

/// <summary>
/// The stability threshold of the area criterion as a power law:
/// ln eta_L = A + B ln(N / 1e8) + C ln(batch tokens / 1e6) + D ln(warmup steps / 1000)
/// (centred logs keep A the threshold of a 100M model at a 1M-token batch and 1,000 warmup steps).
/// <see cref="Slope"/> is the logistic sharpness k of P(diverge) = sigmoid(k ln R) used to fit it;
/// the hard criterion is R &gt; 1 whatever k is.
/// </summary>
public sealed record ThresholdRule(double A, double B, double C, double D, double Slope)
{
    /// <summary>The reference point of the centred logs: N = 1e8 parameters, 1e6 tokens per step, 1,000 warmup steps.</summary>
    public const double NRef = 1e8, BatchRef = 1e6, WarmupRef = 1000;

    /// <summary>eta_L for a model of <paramref name="n"/> parameters, <paramref name="batchTokens"/> tokens per step and <paramref name="warmupSteps"/> warmup steps.</summary>
    public double EtaL(double n, double batchTokens, double warmupSteps) =>
        Math.Exp(A + B * Math.Log(n / NRef) + C * Math.Log(batchTokens / BatchRef) + D * Math.Log(Math.Max(warmupSteps, 1) / WarmupRef));

    /// <summary>R = S2/S1 of a run under this rule.</summary>
    public double Ratio(DivergenceExample x) => x.Profile.Ratio(EtaL(x.N, x.BatchTokens, x.WarmupSteps));

    /// <summary>The area criterion: R &gt; 1.</summary>
    public bool Predicts(DivergenceExample x) => Ratio(x) > 1;
}
