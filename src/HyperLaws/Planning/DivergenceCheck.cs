namespace HyperLaws.Planning;

/// <summary>
/// A divergence guard's verdict on one schedule at the target: <see cref="Diverges"/>, the classifier's
/// <see cref="Probability"/>, the threshold LR <see cref="EtaL"/> at the target's size and batch and the Opt-Laws area
/// ratio S2/S1 (diverges above 1); NaN where the guard has no such number.
/// </summary>
public sealed record DivergenceCheck(bool Diverges, double Probability, double EtaL, double AreaRatio);
