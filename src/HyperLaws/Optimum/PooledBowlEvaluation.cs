namespace HyperLaws.Optimum;

/// <summary>The pooled bowl scored on a sweep table (<see cref="OptimumEvaluation.RunPooledBowl"/>).</summary>
/// <param name="Result">Per-cell gaps of the bowl's centre; its <see cref="OptimumEvaluationResult.Rule"/> is the centre of <paramref name="All"/>.</param>
/// <param name="All">The bowl fitted on all cells.</param>
/// <param name="FailedFolds">Folds whose bowl had no minimum and took the two-stage rule instead (0 in-sample).</param>
/// <param name="Folds">Leave-one-cell-out: the bowl fitted without each cell, in the table's cell order (null where it had no minimum);
/// in-sample: empty.</param>
public sealed record PooledBowlEvaluation(OptimumEvaluationResult Result, PooledBowl All, int FailedFolds, IReadOnlyList<PooledBowl?> Folds);
