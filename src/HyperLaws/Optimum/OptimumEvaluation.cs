using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>
/// Optimal (LR, batch) per (N, D) cell and the rules that predict it, judged as protocol 4 of
/// shared/docs/validation.md: per cell, the gap of the grid run nearest each rule's prediction
/// (<see cref="NearestRun"/>). Leave-one-cell-out: our rule is fitted on the other cells' optima and predicts
/// the held-out cell, whose own runs enter nothing but its score. Step Law's and DeepSeek's formulas are
/// used as published (Step Law's was fitted by its authors on this very grid, so its gap is in-sample).
/// </summary>
public static class OptimumEvaluation
{
    /// <summary>Estimates every cell's optimum and scores our fitted rule, Step Law's and DeepSeek's on each cell (see the type's remarks).</summary>
    /// <param name="table">The sweep grid.</param>
    /// <param name="leaveOneOut">Whether our rule predicts each cell from a fit on the other cells (else one fit on all, in-sample).</param>
    /// <param name="options">The per-cell estimation options (default <see cref="OptimumOptions.Default"/>).</param>
    /// <param name="form">Our rule's form.</param>
    /// <param name="progress">Progress lines, or null.</param>
    public static OptimumEvaluationResult Run(SweepTable table, bool leaveOneOut, OptimumOptions? options = null, RuleForm form = RuleForm.Full, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= OptimumOptions.Default;
        if (table.Cells.Count == 0) throw new ArgumentException("the sweep has no (N, D) cells.");
        if (options.Estimator == OptimumEstimator.PooledBowl)
        {
            if (form != RuleForm.Full) throw new ArgumentException("the pooled bowl fits the full rule form only (use the quadratic or best-run estimator for Step Law's form).");
            return RunPooledBowl(table, leaveOneOut, options, progress).Result;
        }
        int minimum = leaveOneOut ? 5 : 4;
        if (table.Cells.Count < minimum)
            throw new ArgumentException($"the sweep has {table.Cells.Count} (N, D) cell(s); {(leaveOneOut ? "leave-one-cell-out" : "fitting the rule")} needs at least {minimum}.");
        var optima = new List<CellOptimum>(table.Cells.Count);
        for (int i = 0; i < table.Cells.Count; i++)
        {
            optima.Add(CellOptimumEstimator.Estimate(table.Cells[i], options));
            progress?.Invoke(FormattableString.Invariant($"cell {i + 1}/{table.Cells.Count} (N={table.Cells[i].N:G4}, D={table.Cells[i].D:G4}): {optima[i].Method}"));
        }
        var all = FittedOptimumRule.Fit(optima, form);
        var references = new IOptimumRule[] { StepLawRule.Instance, DeepSeekRule.Instance };
        var cells = new List<CellEvaluation>(table.Cells.Count);
        for (int i = 0; i < table.Cells.Count; i++)
        {
            var cell = table.Cells[i];
            var rule = leaveOneOut ? FittedOptimumRule.Fit([.. optima.Where((_, j) => j != i)], form) : all;
            cells.Add(new CellEvaluation(optima[i], NearestRun.Gap(cell, rule, options.Loss), rule,
                [.. references.Select(r => (r.Name, NearestRun.Gap(cell, r, options.Loss)))], cell));
        }
        var summaries = new List<GapSummary> { Summary(all.Name + (leaveOneOut ? " (leave-one-cell-out)" : " (in-sample)"), cells.Select(c => c.Fitted)) };
        for (int r = 0; r < references.Length; r++) summaries.Add(Summary(references[r].Name, cells.Select(c => c.References[r].Gap)));
        return new OptimumEvaluationResult(leaveOneOut, all, cells, summaries, options, form);
    }

    /// <summary>
    /// Applies a rule fitted elsewhere (<c>optimum --rule RULE.json</c>) to another sweep table: per cell, the optimum
    /// estimated from the table and the gap of the grid run nearest the rule's prediction, next to Step Law's and
    /// DeepSeek's. Nothing is fitted on this table, so every gap is out-of-sample for the rule.
    /// </summary>
    public static OptimumEvaluationResult Apply(SweepTable table, FittedOptimumRule rule, OptimumOptions? options = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rule);
        options ??= OptimumOptions.Default;
        if (table.Cells.Count == 0) throw new ArgumentException("the sweep has no (N, D) cells.");
        var references = new IOptimumRule[] { StepLawRule.Instance, DeepSeekRule.Instance };
        var cells = new List<CellEvaluation>(table.Cells.Count);
        for (int i = 0; i < table.Cells.Count; i++)
        {
            var cell = table.Cells[i];
            var optimum = CellOptimumEstimator.Estimate(cell, options);
            progress?.Invoke(FormattableString.Invariant($"cell {i + 1}/{table.Cells.Count} (N={cell.N:G4}, D={cell.D:G4}): {optimum.Method}"));
            cells.Add(new CellEvaluation(optimum, NearestRun.Gap(cell, rule, options.Loss), rule,
                [.. references.Select(r => (r.Name, NearestRun.Gap(cell, r, options.Loss)))], cell));
        }
        var summaries = new List<GapSummary> { Summary(rule.Name + " (given rule)", cells.Select(c => c.Fitted)) };
        for (int r = 0; r < references.Length; r++) summaries.Add(Summary(references[r].Name, cells.Select(c => c.References[r].Gap)));
        return new OptimumEvaluationResult(false, rule, cells, summaries, options, rule.Form);
    }

    /// <summary>
    /// The pooled bowl (<see cref="PooledBowl"/>) scored as the rule is: per cell, the grid run nearest the bowl's centre fitted
    /// on the other cells' runs (leave-one-cell-out) or on all cells (in-sample). A fold whose bowl has no minimum (curvature
    /// not positive definite) takes the two-stage rule fitted on the same cells' optima and is counted in
    /// <see cref="PooledBowlEvaluation.FailedFolds"/>. Each cell's <see cref="CellEvaluation.Optimum"/> is its own estimate
    /// (<paramref name="options"/>' estimator), shown only; it enters no bowl.
    /// </summary>
    /// <exception cref="ArgumentException">Too few cells, or the bowl on all cells has no minimum.</exception>
    public static PooledBowlEvaluation RunPooledBowl(SweepTable table, bool leaveOneOut, OptimumOptions? options = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= OptimumOptions.Default;
        int minimum = leaveOneOut ? 5 : 4;
        if (table.Cells.Count < minimum)
            throw new ArgumentException($"the sweep has {table.Cells.Count} (N, D) cell(s); the pooled bowl {(leaveOneOut ? "left one cell out " : "")}needs at least {minimum}.");
        var all = PooledBowl.Fit(table.Cells, options) ?? throw new ArgumentException("the pooled bowl fitted on all cells has no minimum (its curvature is not positive definite); use the quadratic estimator.");
        var optima = CellOptimumEstimator.EstimateAll(table, options);
        var references = new IOptimumRule[] { StepLawRule.Instance, DeepSeekRule.Instance };
        var cells = new List<CellEvaluation>(table.Cells.Count);
        int failed = 0;
        var folds = new List<PooledBowl?>();
        for (int i = 0; i < table.Cells.Count; i++)
        {
            var cell = table.Cells[i];
            FittedOptimumRule rule;
            var fold = leaveOneOut ? PooledBowl.Fit([.. table.Cells.Where((_, j) => j != i)], options) : null;
            if (leaveOneOut) folds.Add(fold);
            if (!leaveOneOut) rule = all.Centre;
            else if (fold is not null) rule = fold.Centre;
            else
            {
                failed++;
                rule = FittedOptimumRule.Fit([.. optima.Where((_, j) => j != i)]);
            }
            progress?.Invoke(FormattableString.Invariant($"cell {i + 1}/{table.Cells.Count} (N={cell.N:G4}, D={cell.D:G4}): pooled bowl"));
            cells.Add(new CellEvaluation(optima[i], NearestRun.Gap(cell, rule, options.Loss), rule,
                [.. references.Select(r => (r.Name, NearestRun.Gap(cell, r, options.Loss)))], cell));
        }
        var summaries = new List<GapSummary> { Summary(all.Name + (leaveOneOut ? " (leave-one-cell-out)" : " (in-sample)"), cells.Select(c => c.Fitted)) };
        for (int r = 0; r < references.Length; r++) summaries.Add(Summary(references[r].Name, cells.Select(c => c.References[r].Gap)));
        return new PooledBowlEvaluation(new OptimumEvaluationResult(leaveOneOut, all.Centre, cells, summaries, options, RuleForm.Full) { BowlCurvatureExponent = all.CurvatureExponent },
            all, failed, folds);
    }

    private static GapSummary Summary(string name, IEnumerable<NearestRunGap> gaps)
    {
        var list = gaps.ToList();
        return new GapSummary(name, list.Average(g => g.Gap), list.Max(g => g.Gap), list.Count, list.Count(g => g.Gap == 0));
    }
}
