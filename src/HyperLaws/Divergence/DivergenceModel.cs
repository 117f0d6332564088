namespace HyperLaws.Divergence;

/// <summary>
/// The fitted divergence model (DIV.json version 2): the boundary on the peak-LR axis, <see cref="CriticalLrRule"/>.
/// </summary>
public sealed record DivergenceModel(CriticalLrRule Rule)
{
    /// <summary>The predictor whose verdict <see cref="Predict"/> returns.</summary>
    public DivergencePredictorKind Default => DivergencePredictorKind.Boundary;

    /// <summary>
    /// The critical peak LR for a run of <paramref name="n"/> parameters, <paramref name="batchTokens"/> tokens per step,
    /// <paramref name="tokens"/> tokens in all and <paramref name="warmupSteps"/> warmup steps: a planner's cap on its peak.
    /// </summary>
    public double CriticalPeakLr(double n, double batchTokens, double tokens, double warmupSteps) => Rule.CriticalPeakLr(n, batchTokens, tokens, warmupSteps);

    /// <summary>The verdict of the default predictor (the boundary) on one run: its critical peak LR, margin ln(peak / eta_crit) and P(diverge).</summary>
    public DivergencePrediction Predict(DivergenceExample x)
    {
        ArgumentNullException.ThrowIfNull(x);
        double tokens = x.Tokens;
        double eta = Rule.CriticalPeakLr(x.N, x.BatchTokens, tokens, x.WarmupSteps);
        double s2 = x.Profile.AreaAbove(eta), s1 = x.Profile.Total - s2;
        double r = x.Profile.Ratio(eta);
        double p = Rule.Probability(x.PeakLr, x.N, x.BatchTokens, tokens, x.WarmupSteps);
        return new DivergencePrediction(eta, x.PeakLr, s1, s2, r, p, x.PeakLr > eta, Default);
    }
}
