using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>The evaluation of a sweep table.</summary>
/// <param name="LeaveOneOut">True when each cell's prediction came from a rule fitted on the other cells.</param>
/// <param name="Rule">Our rule fitted on all cells.</param>
/// <param name="Cells">Per-cell results in the table's order.</param>
/// <param name="Summaries">Our rule first, then Step Law and DeepSeek.</param>
/// <param name="Options">The options used.</param>
public sealed record OptimumEvaluationResult(bool LeaveOneOut, FittedOptimumRule Rule, IReadOnlyList<CellEvaluation> Cells, IReadOnlyList<GapSummary> Summaries, OptimumOptions Options, RuleForm Form)
{
    /// <summary>The pooled bowl's kappa fitted on all cells (<see cref="PooledBowl.CurvatureExponent"/>; 0 with one curvature); null for the other estimators.</summary>
    public double? BowlCurvatureExponent { get; init; }
}
