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
}
