namespace HyperLaws.Optimum;

/// <summary>The pooled bowl scored on a sweep table (<see cref="OptimumEvaluation.RunPooledBowl"/>).</summary>
/// <param name="Result">Per-cell gaps of the bowl's centre; its <see cref="OptimumEvaluationResult.Rule"/> is the centre of <paramref name="All"/>.</param>
/// <param name="All">The bowl fitted on all cells.</param>
/// <param name="FailedFolds">Folds whose bowl had no minimum and took the two-stage rule instead (0 in-sample).</param>
public sealed record PooledBowlEvaluation(OptimumEvaluationResult Result, PooledBowl All, int FailedFolds);
