using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>
/// Protocol 4's scoring (shared/docs/validation.md): the run of the cell nearest the predicted (eta*, B*) in
/// Euclidean distance over (ln lr, ln batch) (one unit = a factor e in either), and its loss / the cell's best
/// loss - 1. Only runs present in the table are candidates (a grid point that was not run is never picked;
/// a prediction off the grid maps to the nearest run on its edge). Ties (distances within 1e-9) go to the
/// smaller learning rate, then the smaller batch: a rule fixed before looking at the losses.
/// </summary>
public static class NearestRun
{
    /// <summary>The run of <paramref name="cell"/> nearest the predicted (ln eta*, ln B*) and its gap to the cell's best loss (see the type's remarks).</summary>
    /// <param name="cell">The cell's runs.</param>
    /// <param name="lnLearningRate">The predicted ln eta*.</param>
    /// <param name="lnBatchTokens">The predicted ln B* (tokens).</param>
    /// <param name="loss">The loss column the gap is taken on.</param>
    /// <exception cref="ArgumentException">The cell has no runs or the prediction is not finite.</exception>
    public static NearestRunGap Gap(SweepCell cell, double lnLearningRate, double lnBatchTokens, SweepLoss loss = SweepLoss.Smooth)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Points.Count == 0) throw new ArgumentException($"cell N={cell.N}, D={cell.D} has no runs.");
        if (!double.IsFinite(lnLearningRate) || !double.IsFinite(lnBatchTokens)) throw new ArgumentException("the predicted optimum is not finite.");
        SweepPoint? nearest = null;
        double bestDistance = double.PositiveInfinity;
        foreach (var p in cell.Points)
        {
            double dx = Math.Log(p.LearningRate) - lnLearningRate, dy = Math.Log(p.BatchTokens) - lnBatchTokens;
            double distance = Math.Sqrt(dx * dx + dy * dy);
            bool tie = Math.Abs(distance - bestDistance) <= 1e-9;
            if (nearest is null || (!tie && distance < bestDistance)
                || (tie && (p.LearningRate < nearest.LearningRate || (p.LearningRate == nearest.LearningRate && p.BatchTokens < nearest.BatchTokens))))
            {
                nearest = p;
                bestDistance = Math.Min(bestDistance, distance);
            }
        }
        return new NearestRunGap(lnLearningRate, lnBatchTokens, nearest!, bestDistance, SweepLosses.Of(nearest!, loss), SweepLosses.Best(cell, loss));
    }

    /// <summary>The gap of <paramref name="rule"/>'s prediction at the cell's (N, D) (<see cref="Gap(SweepCell, double, double, SweepLoss)"/>).</summary>
    /// <param name="cell">The cell's runs.</param>
    /// <param name="rule">The rule predicting the optimum.</param>
    /// <param name="loss">The loss column the gap is taken on.</param>
    public static NearestRunGap Gap(SweepCell cell, IOptimumRule rule, SweepLoss loss = SweepLoss.Smooth)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(cell);
        var (lr, b) = rule.Predict(cell.N, cell.D);
        return Gap(cell, lr, b, loss);
    }
}
