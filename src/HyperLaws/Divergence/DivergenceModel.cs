namespace HyperLaws.Divergence;

/// <summary>Which predictor a <see cref="DivergenceModel"/> uses by default.</summary>
public enum DivergencePredictorKind
{
    /// <summary>The Opt-Laws area criterion R &gt; 1 with the fitted threshold rule.</summary>
    Area,

    /// <summary>The logistic classifier, P &gt; 0.5.</summary>
    Classifier,
}

/// <summary>One prediction for a run or schedule.</summary>
public sealed record DivergencePrediction(double EtaL, double S1, double S2, double Ratio, bool AreaDiverges, double Probability, bool ClassifierDiverges, DivergencePredictorKind Default)
{
    /// <summary>The default predictor's verdict.</summary>
    public bool Diverges => Default == DivergencePredictorKind.Area ? AreaDiverges : ClassifierDiverges;
}

/// <summary>
/// A fitted divergence predictor: the area criterion's threshold rule, the classifier built on it, and
/// the default, chosen by F1 on a validation split of the training runs (<see cref="DivergenceFitting"/>).
/// </summary>
public sealed record DivergenceModel(ThresholdRule Rule, LogisticClassifier Classifier, DivergencePredictorKind Default)
{
    public DivergencePrediction Predict(DivergenceExample x)
    {
        ArgumentNullException.ThrowIfNull(x);
        double etaL = Rule.EtaL(x.N, x.BatchTokens, x.WarmupSteps);
        double s2 = x.Profile.AreaAbove(etaL), s1 = x.Profile.Total - s2;
        double r = x.Profile.Ratio(etaL);
        double p = Classifier.Probability(LogisticClassifier.Features(Rule, x));
        return new DivergencePrediction(etaL, s1, s2, r, r > 1, p, p > 0.5, Default);
    }
}

/// <summary>Held-out scores of the two predictors and the default.</summary>
public sealed record DivergenceScores(BinaryMetrics Area, BinaryMetrics Classifier, BinaryMetrics Default);

/// <summary>Result of a leave-one-group-out cross-validation.</summary>
public sealed record DivergenceCrossValidation(DivergenceScores Pooled, IReadOnlyList<(string Group, DivergencePredictorKind Chosen, DivergenceScores Scores)> Folds);

/// <summary>
/// Fitting with an honest choice of default, and leave-one-cell-out validation.
/// <para>
/// Validation split (to choose the default, carved from the training runs only): the groups sorted by
/// name, every third one starting at the second (index 1, 4, 7, ...) is held out; both predictors are
/// fitted on the rest, and the classifier becomes the default only if its F1 on the held-out groups is
/// strictly higher. Both are then refitted on all training runs. With fewer than 3 groups the area
/// criterion is the default.
/// </para>
/// </summary>
public static class DivergenceFitting
{
    public static DivergenceModel Fit(IReadOnlyList<DivergenceExample> train, bool fitWarmup = false)
    {
        ArgumentNullException.ThrowIfNull(train);
        var groups = train.Select(x => x.Group).Distinct().Order(StringComparer.Ordinal).ToList();
        var kind = DivergencePredictorKind.Area;
        if (groups.Count >= 3)
        {
            var val = groups.Where((_, i) => i % 3 == 1).ToHashSet(StringComparer.Ordinal);
            var inner = train.Where(x => !val.Contains(x.Group)).ToList();
            var held = train.Where(x => val.Contains(x.Group)).ToList();
            if (inner.Any(x => x.Diverged) && inner.Any(x => !x.Diverged))
            {
                var m = FitBoth(inner, fitWarmup, DivergencePredictorKind.Area);
                var s = Score(m, held);
                if (s.Classifier.F1 > s.Area.F1 || (double.IsNaN(s.Area.F1) && s.Classifier.F1 >= 0)) kind = DivergencePredictorKind.Classifier;
            }
        }
        return FitBoth(train, fitWarmup, kind);
    }

    private static DivergenceModel FitBoth(IReadOnlyList<DivergenceExample> train, bool fitWarmup, DivergencePredictorKind kind)
    {
        var rule = ThresholdFitter.Fit(train, fitWarmup);
        var clf = LogisticClassifier.Fit(train.Select(x => LogisticClassifier.Features(rule, x)).ToList(), train.Select(x => x.Diverged).ToList());
        return new DivergenceModel(rule, clf, kind);
    }

    /// <summary>Scores a model on labelled runs.</summary>
    public static DivergenceScores Score(DivergenceModel model, IEnumerable<DivergenceExample> test)
    {
        BinaryMetrics a = default, c = default, d = default;
        foreach (var x in test)
        {
            var p = model.Predict(x);
            a = a.Add(x.Diverged, p.AreaDiverges);
            c = c.Add(x.Diverged, p.ClassifierDiverges);
            d = d.Add(x.Diverged, p.Diverges);
        }
        return new DivergenceScores(a, c, d);
    }

    /// <summary>
    /// Leave-one-group-out: for each group (an (N, D) cell), fit on all other groups (default chosen on
    /// their validation split) and predict the left-out group; confusion matrices are pooled over folds.
    /// A fold whose training part lacks either class is skipped (it cannot be fitted).
    /// </summary>
    public static DivergenceCrossValidation CrossValidate(IReadOnlyList<DivergenceExample> examples, bool fitWarmup = false, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var groups = examples.Select(x => x.Group).Distinct().Order(StringComparer.Ordinal).ToList();
        if (groups.Count < 2) throw new ArgumentException($"cross-validation needs at least 2 groups (cells), found {groups.Count}.");
        var folds = new List<(string, DivergencePredictorKind, DivergenceScores)>();
        BinaryMetrics a = default, c = default, d = default;
        foreach (var g in groups)
        {
            var train = examples.Where(x => x.Group != g).ToList();
            if (!train.Any(x => x.Diverged) || train.All(x => x.Diverged)) continue;
            progress?.Invoke(g);
            var model = Fit(train, fitWarmup);
            var s = Score(model, examples.Where(x => x.Group == g));
            folds.Add((g, model.Default, s));
            a += s.Area; c += s.Classifier; d += s.Default;
        }
        return new DivergenceCrossValidation(new DivergenceScores(a, c, d), folds);
    }
}
