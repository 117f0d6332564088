namespace HyperLaws.Evaluation;

/// <summary>Each schedule's predicted final loss and the divergence screen's answer on it, in the order given.</summary>
/// <param name="Loss">The law's predicted final loss.</param>
/// <param name="Diverges">The screen's verdict (null without a screen or when it cannot tell).</param>
/// <param name="Probability">The screen's P(diverge) (NaN without a screen or when it gives none).</param>
public sealed record ScreenedPredictions(double[] Loss, bool?[] Diverges, double[] Probability);
