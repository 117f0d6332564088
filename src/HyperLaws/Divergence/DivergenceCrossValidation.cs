namespace HyperLaws.Divergence;

/// <summary>Result of a leave-one-group-out cross-validation.</summary>
public sealed record DivergenceCrossValidation(DivergenceScores Pooled, IReadOnlyList<(string Group, DivergenceScores Scores)> Folds);
