namespace HyperLaws.Planning;

/// <summary>
/// A divergence guard's verdict on one schedule at the target: <see cref="Diverges"/>, the model's P(diverge)
/// <see cref="Probability"/>, the critical peak LR <see cref="EtaL"/> (eta_crit) at the target's size, batch, horizon and
/// warmup, and the Opt-Laws area ratio S2/S1 at eta_crit (a diagnostic, not the verdict); NaN where the guard has no such number.
/// </summary>
public sealed record DivergenceCheck(bool Diverges, double Probability, double EtaL, double AreaRatio);
