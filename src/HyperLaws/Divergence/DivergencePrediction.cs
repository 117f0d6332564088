namespace HyperLaws.Divergence;

/// <summary>
/// One prediction for a run or schedule.
/// </summary>
/// <param name="EtaL">The critical peak LR eta_crit for this run's N, batch, tokens and warmup.</param>
/// <param name="PeakLr">The schedule's peak LR.</param>
/// <param name="S1">Area of the LR curve below eta_crit, sum_t min(eta_t, eta_crit).</param>
/// <param name="S2">Area above it, sum_t max(eta_t - eta_crit, 0).</param>
/// <param name="Ratio">S2/S1 (the Opt-Laws area ratio at eta_crit; a diagnostic, not the verdict).</param>
/// <param name="Probability">P(diverge) = sigmoid(k ln(peak / eta_crit)).</param>
/// <param name="Diverges">peak &gt; eta_crit.</param>
/// <param name="Default">The predictor (always <see cref="DivergencePredictorKind.Boundary"/> for version-2 models).</param>
public sealed record DivergencePrediction(double EtaL, double PeakLr, double S1, double S2, double Ratio, double Probability, bool Diverges, DivergencePredictorKind Default)
{
    /// <summary>ln(peak / eta_crit): positive above the boundary.</summary>
    public double Margin => Math.Log(PeakLr / EtaL);
}
