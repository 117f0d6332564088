namespace HyperLaws.Divergence;

/// <summary>
/// In-sample ceilings of a divergence boundary (docs/VALIDATION.md, protocol 4-D): each group (an (N, D) cell) gets the
/// threshold on z = ln peak - s(run) that makes the fewest errors (FP + FN) on its own labels, where s is a boundary's shape
/// without its intercept: 0 (one LR threshold per cell) or ln eta_crit - A of a <see cref="CriticalLrRule"/> (its slopes,
/// with the intercept free per cell). No boundary of that shape, whatever its intercepts, makes fewer errors on these runs
/// (their peaks read to 0.1%, see below), so with P positives F1 &lt;= 2P / (2P + errors) (<see cref="F1Bound"/>) holds for
/// every boundary with those slopes and any intercept per cell. A leave-one-cell-out score whose folds fit their own slopes is
/// bounded only by a family whose slopes are free per cell too. Among thresholds with
/// the fewest errors the lowest is taken (the most runs predicted to diverge). A cell's peaks within <see cref="Tie"/> of each
/// other (in ln) are first read as one value: a long schedule's compressed profile (<see cref="LrProfile"/>, midpoint rule) reads
/// its peak a hair below the nominal one (up to about 3e-4 relative on the Step Law rows: a run shorter than its warmup ends on a
/// two-step block, averaged below its peak), by an amount that depends on its length, and a threshold between two such copies of
/// one grid LR would split runs that had the same peak. The shape is subtracted after that, and only equal z are ties, so that
/// two runs of different batch rows whose z differ by less than <see cref="Tie"/> can still be split (was: z within Tie merged,
/// and chained, which could overstate the fewest errors).
/// </summary>
public static class DivergenceCeiling
{
    /// <summary>
    /// Consecutive peaks of one cell closer than this in ln are one value: 0.1%, above the profile's peak error (up to
    /// 3e-4) and below the smallest difference between the Step Law grid's distinct LRs (0.0156 and 0.01562: 0.13%).
    /// </summary>
    public const double Tie = 1e-3;

    /// <summary>The pooled confusion matrix of each group's fewest-error threshold on z = ln peak - shape(run).</summary>
    /// <param name="examples">Labelled runs; their <see cref="DivergenceExample.Group"/> is the cell.</param>
    /// <param name="shape">The boundary whose slopes shape the threshold within a cell (intercept free), or null for one LR threshold per cell.</param>
    public static BinaryMetrics PerGroupThreshold(IReadOnlyList<DivergenceExample> examples, CriticalLrRule? shape = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        BinaryMetrics pooled = default;
        foreach (var group in examples.GroupBy(x => x.Group, StringComparer.Ordinal))
        {
            var z = PeakClusters(group.OrderBy(x => x.PeakLr).ToList())
                .Select(p => (Z: p.LnPeak - (shape is null ? 0 : LnShape(shape, p.Run)), p.Run.Diverged))
                .OrderBy(p => p.Z).ToList();
            int positives = z.Count(p => p.Diverged), negatives = z.Count - positives;
            // Threshold below every z: all predicted to diverge. Raising it past each distinct z moves those runs to "stable";
            // only equal z are ties (the peaks' read error is taken out above, before the shape spreads one LR over batch rows).
            int fp = negatives, fn = 0, bestErrors = fp, bestFp = fp, bestFn = fn;
            for (int i = 0; i < z.Count;)
            {
                int j = i;
                for (; j < z.Count && z[j].Z == z[i].Z; j++)
                {
                    if (z[j].Diverged) fn++;
                    else fp--;
                }
                i = j;
                if (fp + fn < bestErrors) (bestErrors, bestFp, bestFn) = (fp + fn, fp, fn);
            }
            pooled += new BinaryMetrics(positives - bestFn, bestFp, bestFn, negatives - bestFp);
        }
        return pooled;
    }

    /// <summary>
    /// One cell's runs (sorted by peak) with ln peak read as their cluster's: consecutive peaks closer than <see cref="Tie"/> in
    /// ln are one grid LR read by profiles of different lengths, and all take the cluster's largest ln peak (the profile reads
    /// below the nominal peak, never above).
    /// </summary>
    private static IEnumerable<(double LnPeak, DivergenceExample Run)> PeakClusters(List<DivergenceExample> sorted)
    {
        for (int i = 0; i < sorted.Count;)
        {
            int j = i + 1;
            while (j < sorted.Count && Math.Log(sorted[j].PeakLr) - Math.Log(sorted[j - 1].PeakLr) <= Tie) j++;
            double top = Math.Log(sorted[j - 1].PeakLr);
            for (int k = i; k < j; k++) yield return (top, sorted[k]);
            i = j;
        }
    }

    /// <summary>The boundary's shape without its intercept: ln eta_crit - A.</summary>
    private static double LnShape(CriticalLrRule shape, DivergenceExample x) => shape.LnCritical(x) - shape.A;

    /// <summary>2P / (2P + FP + FN): the largest F1 any boundary making at least <paramref name="fewest"/>'s errors can reach on these runs (NaN with no positives).</summary>
    public static double F1Bound(BinaryMetrics fewest)
    {
        int p = fewest.TruePositives + fewest.FalseNegatives;
        return p == 0 ? double.NaN : 2.0 * p / (2 * p + fewest.FalsePositives + fewest.FalseNegatives);
    }
}
