namespace HyperLaws.Laws.Joint;

/// <summary>
/// One run's divergence label for <see cref="JointStabilityEdge.FitIntercept"/>: its peak LR, model size N, tokens per step and
/// tokens trained (NaN when unknown), whether it diverged, and its loss (a stable run's final loss, a diverged run's plateau).
/// </summary>
public sealed record EdgeLabel(double Peak, double ModelSize, double BatchTokens, double Tokens, bool Diverged, double Loss);
