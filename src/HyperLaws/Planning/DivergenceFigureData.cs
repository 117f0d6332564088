namespace HyperLaws.Planning;

/// <summary>
/// The divergence margin of the plan's schedule: the schedule scaled to each peak, with the area ratio S2/S1 of the
/// Opt-Laws criterion at eta_crit (a diagnostic) and the model's P(diverge); <see cref="EtaL"/> is the critical peak LR at the
/// plan's size and batch.
/// </summary>
public sealed record DivergenceFigureData(double[] Peaks, double[] AreaRatio, double[] Probability, double EtaL, double PlanPeak, string Predictor);
