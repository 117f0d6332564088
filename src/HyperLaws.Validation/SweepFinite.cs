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
    public static List<T> Of<T>(IReadOnlyCollection<T> runs, Func<T, double> loss) => FiniteAgainst(runs, loss, Best(runs, loss));

    // The twice-best runs against a best already computed.
    private static List<T> FiniteAgainst<T>(IReadOnlyCollection<T> runs, Func<T, double> loss, double best) => [.. runs.Where(r => IsFinite(loss(r), best))];

    /// <summary>
    /// The gap label's ratio c (<see cref="SweepDivergenceLabel.Gap"/>; docs/VALIDATION.md "Protocol 23b", declared before scoring):
    /// in the Step Law grid (shared/data/steplaw/data/dense_lr_bs_loss.csv, raw <c>loss</c>, 17 (N, D) cells) the ratios loss / cell's
    /// best up to 2 have one wide empty interval, 1.2166 (1,730 runs at or below) to 1.7150 (three partly blown-up runs at the grid's
    /// top LR); c is its geometric midpoint, sqrt(1.2166 x 1.7150) = 1.4445, at two decimals (a test recomputes it from the grid).
    /// </summary>
    public const double GapRatio = 1.44;

    /// <summary>
    /// The usable runs of one cell under <paramref name="label"/>, in the given order. <see cref="SweepDivergenceLabel.TwiceBest"/>:
    /// <see cref="Of{T}(IReadOnlyCollection{T}, Func{T, double})"/>. <see cref="SweepDivergenceLabel.Gap"/>: those runs, less every run at or above the cliff, the lowest LR
    /// above the best run's (the lowest LR among tied best losses, so a tied best at or above the cliff is dropped with it) whose loss is not finite or above <see cref="GapRatio"/> x best:
    /// a too-large LR blows up, and at fixed everything else a larger LR does not heal it (the Step Law grid's rows are monotone in
    /// the LR, docs/VALIDATION.md "Protocol 4-D"); runs at or below the best LR under-train, which the law models, and are judged by
    /// the twice-best rule alone.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is not a defined label.</exception>
    public static List<T> Of<T>(IReadOnlyCollection<T> runs, Func<T, double> loss, Func<T, double> lr, SweepDivergenceLabel label)
    {
        double best = Best(runs, loss);
        var finite = FiniteAgainst(runs, loss, best);
        return label switch
        {
            SweepDivergenceLabel.TwiceBest => finite,
            SweepDivergenceLabel.Gap when finite.Count == 0 => finite,
            SweepDivergenceLabel.Gap => BelowCliff(finite, runs, loss, lr, best),
            _ => throw new ArgumentOutOfRangeException(nameof(label), label, "not a divergence label."),
        };
    }

    // The gap label's cut: the finite runs below the cliff (see Of above).
    private static List<T> BelowCliff<T>(List<T> finite, IReadOnlyCollection<T> runs, Func<T, double> loss, Func<T, double> lr, double best)
    {
        double bestLr = finite.Where(r => loss(r) == best).Min(lr);
        double cliff = runs.Where(r => lr(r) > bestLr && !(loss(r) <= GapRatio * best)).Select(lr).DefaultIfEmpty(double.PositiveInfinity).Min();
        return [.. finite.Where(r => lr(r) < cliff)];
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
