namespace HyperLaws.Divergence;

/// <summary>Pooled held-out scores of the within-sweep protocols 4-D2 and 4-D3, per variant, and every run's predictions.</summary>
public sealed record WithinSweepCrossValidation(IReadOnlyDictionary<SweepVariant, BinaryMetrics> Scores, IReadOnlyList<WithinSweepPrediction> Predictions);
