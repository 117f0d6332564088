namespace HyperLaws.Divergence;

/// <summary>Which predictor a <see cref="DivergencePrediction"/> comes from.</summary>
public enum DivergencePredictorKind
{
    /// <summary>The Opt-Laws area criterion R &gt; 1 (the default of version-1 models; now the validation baseline).</summary>
    Area,

    /// <summary>The critical peak LR of <see cref="CriticalLrRule"/>: diverges when the peak exceeds eta_crit.</summary>
    Boundary,
}

/// <summary>
/// One prediction for a run or schedule.
/// </summary>
/// <param name="EtaL">The critical peak LR eta_crit for this run's N, batch, tokens and warmup.</param>
/// <param name="PeakLr">The schedule's peak LR.</param>
/// <param name="S1">Area of the LR curve below eta_crit, sum_t min(eta_t, eta_crit).</param>
/// <param name="S2">Area above it, sum_t max(eta_t - eta_crit, 0).</param>
/// <param name="Ratio">S2/S1 (the Opt-Laws area ratio at eta_crit; a diagnostic, not the verdict).</param>
/// <param name="Probability">P(diverge) = sigmoid(k ln(peak / eta_crit)).</param>
/// <param name="Diverges">peak &gt; eta_crit.</param>
/// <param name="Default">The predictor (always <see cref="DivergencePredictorKind.Boundary"/> for version-2 models).</param>
public sealed record DivergencePrediction(double EtaL, double PeakLr, double S1, double S2, double Ratio, double Probability, bool Diverges, DivergencePredictorKind Default)
{
    /// <summary>ln(peak / eta_crit): positive above the boundary.</summary>
    public double Margin => Math.Log(PeakLr / EtaL);
}

/// <summary>
/// The fitted divergence model (DIV.json version 2): the boundary on the peak-LR axis, <see cref="CriticalLrRule"/>.
/// </summary>
public sealed record DivergenceModel(CriticalLrRule Rule)
{
    /// <summary>The predictor whose verdict <see cref="Predict"/> returns.</summary>
    public DivergencePredictorKind Default => DivergencePredictorKind.Boundary;

    /// <summary>
    /// The critical peak LR for a run of <paramref name="n"/> parameters, <paramref name="batchTokens"/> tokens per step,
    /// <paramref name="tokens"/> tokens in all and <paramref name="warmupSteps"/> warmup steps: a planner's cap on its peak.
    /// </summary>
    public double CriticalPeakLr(double n, double batchTokens, double tokens, double warmupSteps) => Rule.CriticalPeakLr(n, batchTokens, tokens, warmupSteps);

    public DivergencePrediction Predict(DivergenceExample x)
    {
        ArgumentNullException.ThrowIfNull(x);
        double tokens = x.Profile.Steps * x.BatchTokens;
        double eta = Rule.CriticalPeakLr(x.N, x.BatchTokens, tokens, x.WarmupSteps);
        double s2 = x.Profile.AreaAbove(eta), s1 = x.Profile.Total - s2;
        double r = x.Profile.Ratio(eta);
        double p = Rule.Probability(x.PeakLr, x.N, x.BatchTokens, tokens, x.WarmupSteps);
        return new DivergencePrediction(eta, x.PeakLr, s1, s2, r, p, x.PeakLr > eta, Default);
    }
}

/// <summary>Held-out scores of the boundary (the model) and of the Opt-Laws area criterion as a baseline.</summary>
public sealed record DivergenceScores(BinaryMetrics Boundary, BinaryMetrics Area);

/// <summary>Result of a leave-one-group-out cross-validation.</summary>
public sealed record DivergenceCrossValidation(DivergenceScores Pooled, IReadOnlyList<(string Group, DivergenceScores Scores)> Folds);

/// <summary>Fitting and leave-one-cell-out validation of the divergence model.</summary>
public static class DivergenceFitting
{
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
