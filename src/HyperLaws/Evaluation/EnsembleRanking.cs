namespace HyperLaws.Evaluation;

/// <summary>
/// Ranks one set of candidates (e.g. the schedules competing at one horizon and LR) by a fixed combination of several laws'
/// predicted final losses (docs/VALIDATION.md, "Protocol 3: ranking by a declared ensemble of laws"). Deterministic: every tie
/// is broken, the last by the candidate's name (ordinal). A non-finite prediction ranks its candidate last for that law, as a
/// single law's ranking does; a law with no finite prediction over the set is left out of it (it tells nothing about the set).
/// With one law both rules give that law's own order (lowest prediction first, ties by name, non-finite last).
/// </summary>
public static class EnsembleRanking
{
    /// <summary>The candidates' indices, best first.</summary>
    /// <param name="predictions">Per member law, its predicted loss of each candidate (every row as long as <paramref name="names"/>).</param>
    /// <param name="names">The candidates' names (the last tie-break).</param>
    /// <param name="rule">How the laws are combined.</param>
    /// <exception cref="ArgumentException">No law, a row of the wrong length, or a law whose mean finite prediction is not positive.</exception>
    public static int[] Order(IReadOnlyList<IReadOnlyList<double>> predictions, IReadOnlyList<string> names, EnsembleRule rule)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(names);
        double[] score = ScaleFreeScores(predictions, names);
        return Ranked(score, names, rule == EnsembleRule.Borda ? BordaPoints(predictions, names) : null);
    }

    /// <summary>
    /// The candidates' indices by <paramref name="first"/> when given (Borda points), then <paramref name="score"/>, then name
    /// (ordinal), then index: lowest first.
    /// </summary>
    private static int[] Ranked(double[] score, IReadOnlyList<string> names, double[]? first = null) =>
        [.. Enumerable.Range(0, names.Count).OrderBy(c => first is null ? 0 : first[c]).ThenBy(c => score[c])
            .ThenBy(c => names[c], StringComparer.Ordinal).ThenBy(c => c)];

    /// <summary>Each candidate's 1-based position in <see cref="Order"/>.</summary>
    public static int[] Positions(IReadOnlyList<IReadOnlyList<double>> predictions, IReadOnlyList<string> names, EnsembleRule rule) =>
        PositionsOf(Order(predictions, names, rule));

    private static int[] PositionsOf(int[] order)
    {
        var position = new int[order.Length];
        for (int k = 0; k < order.Length; k++) position[order[k]] = k + 1;
        return position;
    }

    /// <summary>
    /// The scale-free mean: (1/L') sum_l pred[l][c] / m_l over the L' laws with a finite prediction in the set, m_l the mean of
    /// law l's finite predictions; +infinity for a candidate any of them gives no finite prediction.
    /// </summary>
    public static double[] ScaleFreeScores(IReadOnlyList<IReadOnlyList<double>> predictions, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        return WeightedScores(predictions, names, [.. predictions.Select(_ => 1.0)]);
    }

    /// <summary>
    /// The weighted scale-free mean (docs/VALIDATION.md, "Protocol 3 and 17r: the ensemble weighted by its members' held-out
    /// tails"): sum_l w_l pred[l][c] / m_l / sum_l w_l over the laws with a finite prediction in the set and a positive weight,
    /// m_l the mean of law l's finite predictions; +infinity for a candidate any of them gives no finite prediction. Equal weights
    /// give <see cref="ScaleFreeScores"/>; when no law with a finite prediction has a positive weight, every such law counts
    /// equally (the weights say nothing, the set is still ordered).
    /// </summary>
    /// <param name="predictions">Per member law, its predicted loss of each candidate.</param>
    /// <param name="names">The candidates' names.</param>
    /// <param name="weights">One weight per law, finite and not negative (<see cref="HeldOutTail.Weight"/>).</param>
    /// <exception cref="ArgumentException">As <see cref="Order"/>; or a weight per law missing, negative or not finite.</exception>
    public static double[] WeightedScores(IReadOnlyList<IReadOnlyList<double>> predictions, IReadOnlyList<string> names, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != predictions.Count) throw new ArgumentException($"{weights.Count} weights for {predictions.Count} member laws.", nameof(weights));
        if (weights.Any(w => !(w >= 0) || !double.IsFinite(w))) throw new ArgumentException("a member law's weight is negative or not finite.", nameof(weights));
        var laws = Members(predictions, names);
        var score = new double[names.Count];
        if (laws.Count == 0)
        {
            Array.Fill(score, double.PositiveInfinity);   // no law says anything about the set: the names decide
            return score;
        }
        var used = laws.Where(l => weights[l] > 0).ToList();
        bool equal = used.Count == 0;
        if (equal) used = laws;
        double Weight(int l) => equal ? 1.0 : weights[l];
        double total = 0;
        foreach (int l in used)
        {
            var row = predictions[l];
            double w = Weight(l);
            total += w;
            double mean = row.Where(double.IsFinite).Average();
            if (!(mean > 0)) throw new ArgumentException(FormattableString.Invariant($"a member law's mean prediction over the candidates is {mean}; the scale-free mean needs positive losses."));
            for (int c = 0; c < score.Length; c++)
                score[c] += double.IsFinite(row[c]) ? w * row[c] / mean : double.PositiveInfinity;
        }
        for (int c = 0; c < score.Length; c++) score[c] /= total;
        return score;
    }

    /// <summary>The candidates' indices, best first, by <see cref="WeightedScores"/> (lowest first, ties by name, ordinal).</summary>
    public static int[] WeightedOrder(IReadOnlyList<IReadOnlyList<double>> predictions, IReadOnlyList<string> names, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(names);
        return Ranked(WeightedScores(predictions, names, weights), names);
    }

    /// <summary>Each candidate's 1-based position in <see cref="WeightedOrder"/>.</summary>
    public static int[] WeightedPositions(IReadOnlyList<IReadOnlyList<double>> predictions, IReadOnlyList<string> names, IReadOnlyList<double> weights) =>
        PositionsOf(WeightedOrder(predictions, names, weights));

    /// <summary>
    /// The scale-free mean split by axis and by family (docs/VALIDATION.md, "Protocol 3 and 17r: the LR axis from the pooled law, the
    /// schedule within an LR from both families", helper p3rank4; declared before scoring). With G the candidate set, G_eta the
    /// candidates at c's peak LR eta (LRs equal to 1e-9 relative), P_l the per-LR members' predictions, Q the pooled member's
    /// (both as the ensemble ranks them, e.g. anchored) and J the pooled member's own prediction:
    /// <code>
    /// score(c)  = lambda(eta_c) + w(c)
    /// lambda(e) = mean_{G_e} J / mean_G J - 1                                   (the LR axis: the pooled law's level of each LR)
    /// w(c)      = 1/2 mean_l (P_l(c) / mean_{G_eta} P_l - 1) + 1/2 (Q(c) / mean_{G_eta} Q - 1)   (the schedule within the LR)
    /// </code>
    /// Why: a member fitted per LR sees one LR and has no LR axis, so it only orders the candidates of one LR; the pooled law is the one
    /// member fitted across LRs. The per-LR members share their data and their tilt (protocol 3's diagnosis), so within an LR they
    /// count as one family, weighted as the pooled member. A member with no finite prediction at an LR is left out there; a candidate a
    /// member left in gives no finite prediction is +infinity; with neither family at an LR, w = 0. When J is not finite and positive for every
    /// candidate of a set of two or more LRs, the LR axis is unknown and the score is <see cref="ScaleFreeScores"/> over the P_l and Q.
    /// One LR: lambda = 0, the order is the two families' within that LR. No candidates: no scores.
    /// </summary>
    /// <param name="perLr">The per-LR members' predictions (each row as long as <paramref name="names"/>).</param>
    /// <param name="pooled">The pooled member's predictions as ranked within an LR.</param>
    /// <param name="pooledLevel">The pooled member's predictions for the LR axis.</param>
    /// <param name="lrs">Each candidate's peak LR.</param>
    /// <param name="names">The candidates' names.</param>
    /// <exception cref="ArgumentException">A row of the wrong length, or a member's mean finite prediction at an LR not positive.</exception>
    public static double[] AxisScores(IReadOnlyList<IReadOnlyList<double>> perLr, IReadOnlyList<double> pooled, IReadOnlyList<double> pooledLevel,
        IReadOnlyList<double> lrs, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(perLr);
        ArgumentNullException.ThrowIfNull(pooled);
        ArgumentNullException.ThrowIfNull(pooledLevel);
        ArgumentNullException.ThrowIfNull(lrs);
        ArgumentNullException.ThrowIfNull(names);
        int n = names.Count;
        foreach (var row in perLr.Append(pooled).Append(pooledLevel).Append(lrs))
            if (row.Count != n) throw new ArgumentException($"a row gives {row.Count} values for {n} candidates.", nameof(perLr));
        if (n == 0) return [];
        var cls = LrClasses(lrs);
        int classes = cls.Max() + 1;
        // A level that is not a loss (not finite, or not positive) leaves the LR axis unknown, as FamilyContrast refuses a non-positive mean.
        if (classes > 1 && !pooledLevel.All(v => double.IsFinite(v) && v > 0)) return ScaleFreeScores([.. perLr, pooled], names);
        var score = new double[n];
        for (int k = 0; k < classes; k++)
        {
            int[] at = [.. Enumerable.Range(0, n).Where(c => cls[c] == k)];
            double lambda = classes > 1 ? at.Average(c => pooledLevel[c]) / pooledLevel.Average() - 1 : 0;
            double[]? family = FamilyContrast(perLr, at);
            double[]? own = FamilyContrast([pooled], at);
            for (int j = 0; j < at.Length; j++)
                score[at[j]] = lambda + (family, own) switch
                {
                    ({ } f, { } q) => 0.5 * f[j] + 0.5 * q[j],
                    ({ } f, null) => f[j],
                    (null, { } q) => q[j],
                    _ => 0,
                };
        }
        return score;
    }

    /// <summary>The candidates' indices, best first, by <see cref="AxisScores"/> (lowest first, ties by name, ordinal).</summary>
    public static int[] AxisOrder(IReadOnlyList<IReadOnlyList<double>> perLr, IReadOnlyList<double> pooled, IReadOnlyList<double> pooledLevel,
        IReadOnlyList<double> lrs, IReadOnlyList<string> names) => Ranked(AxisScores(perLr, pooled, pooledLevel, lrs, names), names);

    /// <summary>Each candidate's 1-based position in <see cref="AxisOrder"/>.</summary>
    public static int[] AxisPositions(IReadOnlyList<IReadOnlyList<double>> perLr, IReadOnlyList<double> pooled, IReadOnlyList<double> pooledLevel,
        IReadOnlyList<double> lrs, IReadOnlyList<string> names) => PositionsOf(AxisOrder(perLr, pooled, pooledLevel, lrs, names));

    /// <summary>Each candidate's LR class (0, 1, ... in order of first appearance): LRs equal to 1e-9 relative share a class.</summary>
    private static int[] LrClasses(IReadOnlyList<double> lrs)
    {
        var first = new List<double>();
        var cls = new int[lrs.Count];
        for (int c = 0; c < lrs.Count; c++)
        {
            int k = first.FindIndex(v => AnchoredPrediction.Same(v, lrs[c]));
            if (k < 0) { first.Add(lrs[c]); k = first.Count - 1; }
            cls[c] = k;
        }
        return cls;
    }

    /// <summary>
    /// The mean over <paramref name="rows"/> with a finite value among <paramref name="at"/> of row[c] / (the row's mean finite value
    /// there) - 1, per candidate of <paramref name="at"/> (+infinity where such a row is not finite); null when no row has one.
    /// </summary>
    private static double[]? FamilyContrast(IReadOnlyList<IReadOnlyList<double>> rows, int[] at)
    {
        var used = rows.Where(r => at.Any(c => double.IsFinite(r[c]))).ToList();
        if (used.Count == 0) return null;
        var sum = new double[at.Length];
        foreach (var row in used)
        {
            double mean = at.Select(c => row[c]).Where(double.IsFinite).Average();
            if (!(mean > 0)) throw new ArgumentException(FormattableString.Invariant($"a member law's mean prediction over the candidates of one LR is {mean}; the scale-free mean needs positive losses."));
            for (int j = 0; j < at.Length; j++) sum[j] += double.IsFinite(row[at[j]]) ? row[at[j]] / mean - 1 : double.PositiveInfinity;
        }
        return [.. sum.Select(v => v / used.Count)];
    }

    /// <summary>Borda points: the sum over the laws (with a finite prediction in the set) of each candidate's 1-based rank in that law.</summary>
    public static double[] BordaPoints(IReadOnlyList<IReadOnlyList<double>> predictions, IReadOnlyList<string> names)
    {
        var points = new double[names.Count];
        foreach (var row in Members(predictions, names).Select(l => predictions[l]))
        {
            var byLaw = Enumerable.Range(0, names.Count)
                .OrderBy(c => double.IsFinite(row[c]) ? row[c] : double.PositiveInfinity).ThenBy(c => names[c], StringComparer.Ordinal).ThenBy(c => c).ToArray();
            for (int k = 0; k < byLaw.Length; k++) points[byLaw[k]] += k + 1;
        }
        return points;
    }

    /// <summary>The laws that say something about the set (a finite prediction for at least one candidate); at least one law required.</summary>
    private static List<int> Members(IReadOnlyList<IReadOnlyList<double>> predictions, IReadOnlyList<string> names)
    {
        if (predictions.Count == 0) throw new ArgumentException("an ensemble needs at least one member law.", nameof(predictions));
        foreach (var row in predictions)
            if (row.Count != names.Count)
                throw new ArgumentException($"a member law gives {row.Count} predictions for {names.Count} candidates.", nameof(predictions));
        return [.. Enumerable.Range(0, predictions.Count).Where(l => predictions[l].Any(double.IsFinite))];
    }
}
