namespace HyperLaws.Validation;

/// <summary>Protocol 23 for one optimizer: protocol 20's procedure on that optimizer's tables alone (<see cref="LrSweepOptimizers.Run"/>).</summary>
/// <param name="Optimizer">The optimizer as the tables' captions name it, lower case (e.g. <c>muon</c>).</param>
/// <param name="Result">Protocol 20's folds and cells, the joint law fitted on this optimizer's finite runs only (empty where <paramref name="NoVerdict"/> is set).</param>
/// <param name="NoVerdict">Why protocol 20's procedure could not run on this optimizer's tables (e.g. every run diverged); null when it ran.</param>
public sealed record LrSweepOptimizerResult(string Optimizer, LrSweepHoldOutResult Result, string? NoVerdict = null)
{
    /// <summary>Cells with at least this many finite LRs are the optimizer's headline (protocol 20's).</summary>
    public const int HeadlineLrs = 3;

    /// <summary>The headline cells (at least <see cref="HeadlineLrs"/> finite LRs).</summary>
    public IReadOnlyList<LrSweepCell> HeadlineCells => [.. Result.Cells.Where(c => c.FiniteLrs >= HeadlineLrs)];

    /// <summary>
    /// Protocol 23's rule for this optimizer (declared in docs/VALIDATION.md before scoring), protocol 20's on its headline cells:
    /// (i) the mean held-out error at most the nearest-LR baseline's and (ii) with the best run held out, the law's optimum nearest
    /// the best LR (under half a sweep step) in at least two thirds of the headline cells. Null when the optimizer has no headline cell.
    /// </summary>
    public bool? RuleMet
    {
        get
        {
            var folds = Result.FoldsOf(HeadlineLrs);
            int cells = HeadlineCells.Count;
            if (cells == 0 || folds.Count == 0) return null;
            bool error = folds.Average(f => f.Error) <= folds.Average(f => f.BaselineError);
            int nearest = folds.Count(f => f.HeldBest && f.IsNearest);
            return error && 3 * nearest >= 2 * cells;
        }
    }
}
