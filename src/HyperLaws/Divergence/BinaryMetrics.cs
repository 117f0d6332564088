namespace HyperLaws.Divergence;

/// <summary>
/// A confusion matrix with "diverged" as the positive class. Precision = TP/(TP+FP) (NaN when nothing is
/// predicted positive), recall = TP/(TP+FN) (NaN with no positives), F1 = 2TP/(2TP+FP+FN) (0 when TP = 0
/// and something was wrong, NaN when there is nothing to find and nothing was predicted).
/// </summary>
public readonly record struct BinaryMetrics(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    /// <summary>The number of scored runs, TP + FP + FN + TN.</summary>
    public int Count => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

    /// <summary>Precision TP / (TP + FP): the share of runs predicted to diverge that did; NaN when none was predicted to.</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>Recall TP / (TP + FN): the share of diverged runs that were predicted; NaN when none diverged.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>F1 = 2TP / (2TP + FP + FN), the harmonic mean of precision and recall; NaN when there is nothing to find and nothing was predicted.</summary>
    public double F1 => 2 * TruePositives + FalsePositives + FalseNegatives == 0 ? double.NaN
        : 2.0 * TruePositives / (2 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>Accuracy (TP + TN) / count; NaN for no runs.</summary>
    public double Accuracy => Count == 0 ? double.NaN : (double)(TruePositives + TrueNegatives) / Count;

    /// <summary>Adds one prediction.</summary>
    public BinaryMetrics Add(bool actual, bool predicted) => (actual, predicted) switch
    {
        (true, true) => this with { TruePositives = TruePositives + 1 },
        (false, true) => this with { FalsePositives = FalsePositives + 1 },
        (true, false) => this with { FalseNegatives = FalseNegatives + 1 },
        _ => this with { TrueNegatives = TrueNegatives + 1 },
    };

    /// <summary>The confusion matrix of two sets of predictions together (cell-wise sum, e.g. over held-out folds).</summary>
    public static BinaryMetrics operator +(BinaryMetrics x, BinaryMetrics y) => new(
        x.TruePositives + y.TruePositives, x.FalsePositives + y.FalsePositives, x.FalseNegatives + y.FalseNegatives, x.TrueNegatives + y.TrueNegatives);

    /// <summary>Scores predictions against labels.</summary>
    public static BinaryMetrics Of(IEnumerable<DivergenceExample> examples, Func<DivergenceExample, bool> predict)
    {
        var m = default(BinaryMetrics);
        foreach (var x in examples) m = m.Add(x.Diverged, predict(x));
        return m;
    }
}
