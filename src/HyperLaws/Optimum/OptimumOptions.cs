using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>Options of the optimum estimation.</summary>
/// <param name="Loss">The loss column the grid is judged on (default smooth, as Step Law does).</param>
/// <param name="Estimator">How the rule is fitted: the pooled bowl on the windowed runs (the default, adopted by its declared rule in
/// docs/VALIDATION.md, "Protocol 4 with a pooled bowl"), or on per-cell optima from the windowed quadratic or the best run.</param>
/// <param name="Window">
/// Relative loss window of the quadratic and of the pooled bowl: runs with loss &lt;= best (1 + Window) enter the fit (default 0.02,
/// set before any held-out gap was computed). It excludes diverged runs (loss &gt; 2x best) and the far
/// walls of the basin, where a quadratic in logs no longer describes the loss.
/// </param>
/// <param name="BowlCurvatureInTokens">The pooled bowl's curvature scaled as (D / 1e10)^-kappa with kappa fitted (<see cref="PooledBowl"/>;
/// docs/VALIDATION.md, "Protocol 4 with the bowl's curvature in D"); false: one curvature for all cells.</param>
public sealed record OptimumOptions(SweepLoss Loss = SweepLoss.Smooth, OptimumEstimator Estimator = OptimumEstimator.PooledBowl, double Window = 0.02, bool BowlCurvatureInTokens = false)
{
    /// <summary>The defaults: smooth loss, pooled bowl (one curvature), window 0.02.</summary>
    public static OptimumOptions Default { get; } = new();

    internal void Validate()
    {
        if (!(Window > 0) || !double.IsFinite(Window)) throw new ArgumentException($"the quadratic's loss window must be a positive fraction, found {Window}.");
    }
}
