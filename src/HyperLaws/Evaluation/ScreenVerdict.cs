namespace HyperLaws.Evaluation;

/// <summary>A divergence screen's answer on one schedule: the verdict (null: cannot tell) and P(diverge) (NaN: the screen gives none).</summary>
/// <param name="Diverges">True (diverges), false (trains), or null when the screen cannot tell.</param>
/// <param name="Probability">P(diverge) in [0, 1], or NaN when the screen has no probability.</param>
public readonly record struct ScreenVerdict(bool? Diverges, double Probability);
