using HyperLaws.Optimum;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>Protocol 4's LR/batch part on the Step Law grid.</summary>
/// <param name="Headline">The pooled bowl, leave-one-cell-out (the headline since its declared adoption; before it, windowed-quadratic
/// optima with the full rule, chosen a priori, now the second variant).</param>
/// <param name="InSample">The same fitted on all 17 cells and scored on them (comparable with Step Law's 0.096%).</param>
/// <param name="Variants">Every (estimator, form) pair, leave-one-cell-out; the first is the headline.</param>
/// <param name="Points">Runs in the table.</param>
/// <param name="Source">The table's path.</param>
/// <param name="Bowl">The pooled bowl, leave-one-cell-out (also the first of <paramref name="Variants"/>).</param>
/// <param name="TwoStageInSample">The two-stage rule (windowed-quadratic optima, full form) fitted on all cells, scored on them.</param>
/// <param name="Transfer">The bowl's transfer check on the 124M grid, or null when the data folder has no lr-scheduling runs.</param>
/// <param name="BowlOtherCurvature">The pooled bowl with the other curvature choice than the default's (one curvature, or its scale
/// (D / 1e10)^-kappa: <see cref="OptimumOptions.BowlCurvatureInTokens"/>), leave-one-cell-out (also the second of <paramref name="Variants"/>).</param>
/// <param name="TransferOtherCurvature">Its transfer check on the 124M grid, or null as <paramref name="Transfer"/>.</param>
public sealed record StepLawGridResult(OptimumEvaluationResult Headline, OptimumEvaluationResult InSample, IReadOnlyList<StepLawVariant> Variants, int Points, string Source,
    PooledBowlEvaluation Bowl, OptimumEvaluationResult TwoStageInSample, PooledBowlTransferResult? Transfer,
    PooledBowlEvaluation BowlOtherCurvature, PooledBowlTransferResult? TransferOtherCurvature)
{
    /// <summary>Step Law's own reported mean gap of its rule on this grid, in-sample (Li et al. 2025): 0.096%.</summary>
    public const double PublishedStepLawMeanGap = 0.00096;
}
