namespace HyperLaws.Divergence;

/// <summary>Fitting and leave-one-cell-out validation of the divergence model.</summary>
public static class DivergenceFitting
{
    /// <summary>Fits the divergence model's boundary to labelled runs (<see cref="CriticalLrFitter.Fit"/>).</summary>
    /// <param name="train">Labelled runs, both diverged and stable ones.</param>
    /// <param name="fitWarmup">Whether to fit the warmup exponent (else 0).</param>
    /// <param name="batchCurvature">Whether to fit the curvature G in ln batch (else 0).</param>
    public static DivergenceModel Fit(IReadOnlyList<DivergenceExample> train, bool fitWarmup = false, bool batchCurvature = false) => new(CriticalLrFitter.Fit(train, fitWarmup, batchCurvature));

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
    /// A fold whose training part lacks either class is skipped (it cannot be fitted). <paramref name="batchCurvature"/>: each
    /// fold's model also fits G (<see cref="CriticalLrFitter.Fit"/>).
    /// </summary>
    public static DivergenceCrossValidation CrossValidate(IReadOnlyList<DivergenceExample> examples, bool fitWarmup = false, Action<string>? progress = null, bool baseline = false, bool batchCurvature = false)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var groups = examples.Select(x => x.Group).Distinct().Order(StringComparer.Ordinal).ToList();
        if (groups.Count < 2) throw new ArgumentException($"cross-validation needs at least 2 groups (cells), found {groups.Count}.");
        var folds = new List<(string, DivergenceScores)>();
        var models = new Dictionary<string, DivergenceModel>(StringComparer.Ordinal);
        BinaryMetrics b = default, a = default;
        foreach (var g in groups)
        {
            var train = examples.Where(x => x.Group != g).ToList();
            if (!train.Any(x => x.Diverged) || train.All(x => x.Diverged)) continue;
            progress?.Invoke(g);
            var model = Fit(train, fitWarmup, batchCurvature);
            models[g] = model;
            var s = Score(model, examples.Where(x => x.Group == g), baseline ? ThresholdFitter.Fit(train, fitWarmup) : null);
            folds.Add((g, s));
            b += s.Boundary; a += s.Area;
        }
        return new DivergenceCrossValidation(new DivergenceScores(b, a), folds) { Models = models };
    }

    /// <summary>
    /// Protocols 4-D2 and 4-D3 (docs/VALIDATION.md): within each group (a cell) whose prior is in <paramref name="priors"/>
    /// (the leave-one-cell-out model that never saw the group), hold out each run (4-D2) and each batch row (4-D3) in turn,
    /// calibrate the prior on the group's remaining runs (<see cref="SweepCalibration.Fit"/>, the declared scales) and
    /// predict the held-out runs; confusion matrices pooled per <see cref="SweepVariant"/>. Groups without a prior are skipped.
    /// </summary>
    public static WithinSweepCrossValidation CrossValidateWithinSweep(IReadOnlyList<DivergenceExample> examples, IReadOnlyDictionary<string, DivergenceModel> priors)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(priors);
        var scores = Enum.GetValues<SweepVariant>().ToDictionary(v => v, _ => default(BinaryMetrics));
        var predictions = new List<WithinSweepPrediction>();
        foreach (var group in examples.GroupBy(x => x.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!priors.TryGetValue(group.Key, out var model)) continue;
            var rule = model.Rule;
            var runs = group.ToList();
            var eta = runs.Select(_ => new Dictionary<SweepVariant, double>()).ToList();
            // 4-D3: each batch row out; the held-out row gets the cell offset only (its row offset is its prior mean, 0).
            foreach (var row in runs.Select(x => x.BatchTokens).Distinct())
            {
                var seen = runs.Where(x => x.BatchTokens != row).ToList();
                double cellOnly = SweepCalibration.Fit(rule, seen, rowScale: 0).CellOffset;
                double cellOfRowFit = SweepCalibration.Fit(rule, seen).CellOffset;
                for (int i = 0; i < runs.Count; i++)
                {
                    if (runs[i].BatchTokens != row) continue;
                    double lnPrior = rule.LnCritical(runs[i]);
                    eta[i][SweepVariant.RowOutCell] = Math.Exp(lnPrior + cellOnly);
                    eta[i][SweepVariant.RowOutCellRow] = Math.Exp(lnPrior + cellOfRowFit);
                }
            }
            // 4-D2: each run out.
            for (int i = 0; i < runs.Count; i++)
            {
                var seen = runs.Where((_, j) => j != i).ToList();
                double lnPrior = rule.LnCritical(runs[i]);
                eta[i][SweepVariant.Prior] = Math.Exp(lnPrior);
                eta[i][SweepVariant.RunOutCell] = Math.Exp(lnPrior + SweepCalibration.Fit(rule, seen, rowScale: 0).Offset(runs[i].BatchTokens));
                eta[i][SweepVariant.RunOutCellRow] = Math.Exp(lnPrior + SweepCalibration.Fit(rule, seen).Offset(runs[i].BatchTokens));
                var prediction = new WithinSweepPrediction(runs[i], rule.Slope, eta[i]);
                predictions.Add(prediction);
                foreach (var v in scores.Keys.ToList()) scores[v] = scores[v].Add(runs[i].Diverged, prediction.Diverges(v));
            }
        }
        return new WithinSweepCrossValidation(scores, predictions);
    }
}
