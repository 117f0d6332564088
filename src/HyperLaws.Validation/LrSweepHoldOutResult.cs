namespace HyperLaws.Validation;

/// <summary>Protocol 20's result: every held-out run (<see cref="LrSweepFold"/>) and every cell's optimum on the full fit (<see cref="LrSweepCell"/>).</summary>
/// <param name="Folds">One per finite run of a cell with two or more finite LRs.</param>
/// <param name="Cells">One per cell with two or more finite LRs.</param>
/// <param name="Runs">Finite runs fitted on the full fit (every cell's).</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="AllDiverged">The labels of cells with no finite run (every loss infinite: diverged), skipped.</param>
public sealed record LrSweepHoldOutResult(IReadOnlyList<LrSweepFold> Folds, IReadOnlyList<LrSweepCell> Cells, int Runs, double Seconds, IReadOnlyList<string>? AllDiverged = null)
{
    /// <summary>The folds of cells with at least <paramref name="minLrs"/> finite LRs.</summary>
    public IReadOnlyList<LrSweepFold> FoldsOf(int minLrs) => [.. Folds.Where(f => f.FiniteLrs >= minLrs)];
}
