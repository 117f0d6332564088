using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>How a cell's optimum (learning rate, batch) is read off its grid.</summary>
public enum OptimumEstimator
{
    /// <summary>
    /// The minimiser of a quadratic in (ln lr, ln batch) fitted by least squares to the runs whose loss is
    /// within <see cref="OptimumOptions.Window"/> of the cell's best, constrained to the box those runs
    /// span; falls back to the best run when the fit is not convex or the runs are too few.
    /// </summary>
    Quadratic,

    /// <summary>The run with the lowest loss.</summary>
    BestRun,

    /// <summary>
    /// The default since its declared adoption (docs/VALIDATION.md, "Protocol 4 with a pooled bowl"): the rule is fitted in
    /// one stage on every run within <see cref="OptimumOptions.Window"/> of its cell's best (<see cref="PooledBowl"/>), not on
    /// per-cell optima; each cell's own optimum, shown beside it, is the windowed <see cref="Quadratic"/>. Full rule form only.
    /// </summary>
    PooledBowl,
}
