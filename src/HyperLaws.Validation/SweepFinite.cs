namespace HyperLaws.Validation;

/// <summary>
/// The sweeps' shared rules (protocols 4, 20, 22, 23): which runs of a cell are finite (not diverged), and the law's optimal peak LR
/// by a log-spaced grid search.
/// </summary>
internal static class SweepFinite
{
    /// <summary>
    /// A cell's best loss: the lowest finite loss of <paramref name="runs"/>, +infinity when none is finite (every run diverged; a loss
    /// printed as "&gt;10" is read as +infinity).
    /// </summary>
    public static double Best<T>(IEnumerable<T> runs, Func<T, double> loss) =>
        runs.Select(loss).Where(double.IsFinite).DefaultIfEmpty(double.PositiveInfinity).Min();

    /// <summary>
    /// The divergence label: a run is finite when its loss is at most twice its cell's best (<paramref name="best"/>). False for an
    /// infinite or NaN loss, and for every run of a cell whose best is +infinity.
    /// </summary>
    public static bool IsFinite(double loss, double best) => double.IsFinite(loss) && loss <= 2 * best;

    /// <summary>The finite runs of a cell (<see cref="IsFinite"/> against the cell's <see cref="Best{T}"/>), in the given order.</summary>
    public static List<T> Of<T>(IReadOnlyCollection<T> runs, Func<T, double> loss)
    {
        double best = Best(runs, loss);
        return [.. runs.Where(r => IsFinite(loss(r), best))];
    }

    /// <summary>
    /// The peak LR of the lowest <paramref name="predict"/> over <paramref name="points"/> LRs log-spaced from <paramref name="low"/> to
    /// <paramref name="high"/>, both included (the first of equal minima). A grid search, not an optimiser: the sweeps' LRs are x2 apart,
    /// and the protocols score the optimum in those steps.
    /// </summary>
    public static double OptimumLr(Func<double, double> predict, double low, double high, int points)
    {
        double lo = Math.Log(low), hi = Math.Log(high);
        double bestLr = double.NaN, bestLoss = double.PositiveInfinity;
        for (int i = 0; i < points; i++)
        {
            double eta = Math.Exp(lo + i * (hi - lo) / (points - 1));
            double v = predict(eta);
            if (v < bestLoss) (bestLoss, bestLr) = (v, eta);
        }
        return bestLr;
    }
}
