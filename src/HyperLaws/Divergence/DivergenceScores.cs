namespace HyperLaws.Divergence;

/// <summary>Held-out scores of the boundary (the model) and of the Opt-Laws area criterion as a baseline.</summary>
public sealed record DivergenceScores(BinaryMetrics Boundary, BinaryMetrics Area);
