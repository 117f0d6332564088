namespace HyperLaws.Divergence;

/// <summary>Fitting and leave-one-cell-out validation of the divergence model.</summary>
public static class DivergenceFitting
{
    /// <summary>Fits the divergence model's boundary to labelled runs (<see cref="CriticalLrFitter.Fit"/>).</summary>
    /// <param name="train">Labelled runs, both diverged and stable ones.</param>
    /// <param name="fitWarmup">Whether to fit the warmup exponent (else 0).</param>
    public static DivergenceModel Fit(IReadOnlyList<DivergenceExample> train, bool fitWarmup = false) => new(CriticalLrFitter.Fit(train, fitWarmup));

    /// <summary>Scores a model (and, when given, the area criterion's threshold rule) on labelled runs.</summary>
    public static DivergenceScores Score(DivergenceModel model, IEnumerable<DivergenceExample> test, ThresholdRule? area = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        BinaryMetrics b = default, a = default;
        foreach (var x in test)
        {
            b = b.Add(x.Diverged, model.Predict(x).Diverges);
            if (area is not null) a = a.Add(x.Diverged, area.Predicts(x));
        }
        return new DivergenceScores(b, a);
    }

    /// <summary>
    /// Leave-one-group-out: for each group (an (N, D) cell), fit on all other groups and predict the
    /// left-out group; confusion matrices are pooled over folds. With <paramref name="baseline"/> the
    /// Opt-Laws area criterion (<see cref="ThresholdFitter"/>) is fitted and scored on the same folds.
    /// A fold whose training part lacks either class is skipped (it cannot be fitted).
    /// </summary>
    public static DivergenceCrossValidation CrossValidate(IReadOnlyList<DivergenceExample> examples, bool fitWarmup = false, Action<string>? progress = null, bool baseline = false)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var groups = examples.Select(x => x.Group).Distinct().Order(StringComparer.Ordinal).ToList();
        if (groups.Count < 2) throw new ArgumentException($"cross-validation needs at least 2 groups (cells), found {groups.Count}.");
        var folds = new List<(string, DivergenceScores)>();
        BinaryMetrics b = default, a = default;
        foreach (var g in groups)
        {
            var train = examples.Where(x => x.Group != g).ToList();
            if (!train.Any(x => x.Diverged) || train.All(x => x.Diverged)) continue;
            progress?.Invoke(g);
            var model = Fit(train, fitWarmup);
            var s = Score(model, examples.Where(x => x.Group == g), baseline ? ThresholdFitter.Fit(train, fitWarmup) : null);
            folds.Add((g, s));
            b += s.Boundary; a += s.Area;
        }
        return new DivergenceCrossValidation(new DivergenceScores(b, a), folds);
    }
}
