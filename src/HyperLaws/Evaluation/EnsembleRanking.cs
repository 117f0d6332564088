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
        var order = Enumerable.Range(0, names.Count);
        if (rule == EnsembleRule.Borda)
        {
            double[] points = BordaPoints(predictions, names);
            return [.. order.OrderBy(c => points[c]).ThenBy(c => score[c]).ThenBy(c => names[c], StringComparer.Ordinal).ThenBy(c => c)];
        }
        return [.. order.OrderBy(c => score[c]).ThenBy(c => names[c], StringComparer.Ordinal).ThenBy(c => c)];
    }

    /// <summary>Each candidate's 1-based position in <see cref="Order"/>.</summary>
    public static int[] Positions(IReadOnlyList<IReadOnlyList<double>> predictions, IReadOnlyList<string> names, EnsembleRule rule)
    {
        int[] order = Order(predictions, names, rule);
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
        var laws = Members(predictions, names);
        var score = new double[names.Count];
        if (laws.Count == 0)
        {
            Array.Fill(score, double.PositiveInfinity);   // no law says anything about the set: the names decide
            return score;
        }
        foreach (var row in laws)
        {
            double mean = row.Where(double.IsFinite).Average();
            if (!(mean > 0)) throw new ArgumentException(FormattableString.Invariant($"a member law's mean prediction over the candidates is {mean}; the scale-free mean needs positive losses."));
            for (int c = 0; c < score.Length; c++)
                score[c] += double.IsFinite(row[c]) ? row[c] / mean : double.PositiveInfinity;
        }
        for (int c = 0; c < score.Length; c++) score[c] /= laws.Count;
        return score;
    }

    /// <summary>Borda points: the sum over the laws (with a finite prediction in the set) of each candidate's 1-based rank in that law.</summary>
    public static double[] BordaPoints(IReadOnlyList<IReadOnlyList<double>> predictions, IReadOnlyList<string> names)
    {
        var points = new double[names.Count];
        foreach (var row in Members(predictions, names))
        {
            var byLaw = Enumerable.Range(0, names.Count)
                .OrderBy(c => double.IsFinite(row[c]) ? row[c] : double.PositiveInfinity).ThenBy(c => names[c], StringComparer.Ordinal).ThenBy(c => c).ToArray();
            for (int k = 0; k < byLaw.Length; k++) points[byLaw[k]] += k + 1;
        }
        return points;
    }

    /// <summary>The laws that say something about the set (a finite prediction for at least one candidate); at least one law required.</summary>
    private static List<IReadOnlyList<double>> Members(IReadOnlyList<IReadOnlyList<double>> predictions, IReadOnlyList<string> names)
    {
        if (predictions.Count == 0) throw new ArgumentException("an ensemble needs at least one member law.", nameof(predictions));
        foreach (var row in predictions)
            if (row.Count != names.Count)
                throw new ArgumentException($"a member law gives {row.Count} predictions for {names.Count} candidates.", nameof(predictions));
        return [.. predictions.Where(row => row.Any(double.IsFinite))];
    }
}
