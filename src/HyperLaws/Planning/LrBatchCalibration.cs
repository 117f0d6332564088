using HyperLaws.Numerics;
using HyperLaws.Optimum;
using HyperLaws.Runs;

namespace HyperLaws.Planning;

/// <summary>
/// What the user's runs say about the LR and batch optimum: the per-budget optima (<see cref="CellOptimumEstimator"/>, a
/// quadratic in (ln LR, ln batch) near the best run, or the best run) and, with two budgets or more, the exponents of
/// ln LR* and ln B* in ln D fitted by least squares over the budgets.
/// </summary>
/// <param name="Tokens0">The largest calibrated budget D0 (tokens).</param>
/// <param name="LearningRate0">LR* at D0.</param>
/// <param name="BatchTokens0">B* at D0 (tokens per step).</param>
/// <param name="LearningRateExponent">d ln LR*/d ln D over the budgets; null with one budget.</param>
/// <param name="BatchExponent">d ln B*/d ln D; null with one budget or when no budget varies the batch.</param>
/// <param name="Optima">The per-budget optima, by budget.</param>
/// <param name="Runs">How many runs the budgets hold.</param>
public sealed record LrBatchCalibration(double Tokens0, double LearningRate0, double BatchTokens0, double? LearningRateExponent, double? BatchExponent,
    IReadOnlyList<CellOptimum> Optima, int Runs)
{
    /// <summary>The budgets (tokens) whose optimal LR is the lowest or highest LR tried there: the true optimum may lie beyond.</summary>
    public IReadOnlyList<double> EdgeBudgets { get; init; } = [];

    /// <summary>
    /// The calibration, or null with the reason: runs at model size <paramref name="n"/> (NaN: every run) that give their
    /// tokens per step, ran to (nearly) their last step and did not diverge, grouped by token budget (within 2%) and by schedule
    /// shape (<see cref="ShapeOf"/>: final losses of different shapes are not points of one LR curve). One shape is used at
    /// every budget: the one with at least three distinct peak LRs at the most budgets.
    /// </summary>
    public static LrBatchCalibration? TryFit(IReadOnlyList<TrainingRun> runs, double n, out string why)
    {
        var points = new List<SweepPoint>();
        var shapes = new Dictionary<SweepPoint, string>(ReferenceEqualityComparer.Instance);
        int withBatch = 0;
        foreach (var r in runs)
        {
            if (r.Diverged || !(double.IsNaN(n) || RunReferences.SameSize(r.Metadata.Parameters ?? double.NaN, n))) continue;
            double? b = r.Metadata.TokensPerStep ?? (r.Metadata.BatchSize * r.Metadata.SequenceLength);
            if (b is not > 0) continue;
            withBatch++;
            var last = r.Final(LossSplit.Validation) ?? r.Final(LossSplit.Train);
            if (last is not { } final || final.Step < 0.95 * r.Steps) continue;
            double seqs = r.Metadata.BatchSize ?? b.Value / (r.Metadata.SequenceLength ?? 1);
            var point = new SweepPoint(double.IsNaN(n) ? 1 : n, r.Steps * b.Value, r.LearningRates.Max(), seqs, b.Value, r.Steps, final.Loss, double.NaN, r.Name);
            points.Add(point);
            shapes[point] = ShapeOf(r.LearningRates);
        }
        if (points.Count == 0)
        {
            why = withBatch == 0
                ? "no run gives its tokens per step (metadata tokens_per_step, or batch_size and sequence_length)"
                : $"none of the {withBatch} run(s) with a known batch logged a loss at (nearly) its last step";
            return null;
        }
        // One budget: runs within 2% of the smallest budget of their group (fixed bins of ln D would split two budgets a hair apart).
        var groups = new List<List<SweepPoint>>();
        foreach (var p in points.OrderBy(p => p.D))
            if (groups.Count > 0 && Math.Log(p.D / groups[^1][0].D) <= 0.02) groups[^1].Add(p);
            else groups.Add([p]);
        // One shape across budgets, so that the optimum is followed along one LR curve: the shape with three or more LRs at
        // the most budgets (then the most runs there).
        static int Lrs(IEnumerable<SweepPoint> ps) => ps.Select(p => p.LearningRate).Distinct().Count();
        var byShape = groups.Select(g => g.GroupBy(p => shapes[p], StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.ToList(), StringComparer.Ordinal)).ToList();
        string? shape = byShape.SelectMany(b => b.Keys).Distinct(StringComparer.Ordinal)
            .Select(k => (k, budgets: byShape.Count(b => b.TryGetValue(k, out var s) && Lrs(s) >= 3), runs: byShape.Sum(b => b.TryGetValue(k, out var s) && Lrs(s) >= 3 ? s.Count : 0)))
            .Where(x => x.budgets > 0).OrderByDescending(x => x.budgets).ThenByDescending(x => x.runs).ThenBy(x => x.k, StringComparer.Ordinal)
            .Select(x => x.k).FirstOrDefault();
        var cells = shape is null ? [] : byShape
            .Where(b => b.TryGetValue(shape, out var s) && Lrs(s) >= 3)
            .Select(b => b[shape])
            .Select(s => new SweepCell(s[0].N, Math.Exp(s.Average(p => Math.Log(p.D))), s))
            .OrderBy(c => c.D).ToList();
        if (cells.Count == 0)
        {
            why = $"no token budget has runs at three or more peak LRs ({points.Count} run(s) with a known batch)";
            return null;
        }
        // Per-budget optima by the windowed quadratic, named explicitly: the options' default estimator (the pooled bowl) fits a
        // rule across cells, which this calibration does not use (CellOptimumEstimator reads a cell the same way for both).
        var options = new OptimumOptions(SweepLoss.Final, Estimator: OptimumEstimator.Quadratic);
        var optima = cells.Select(c => CellOptimumEstimator.Estimate(c, options)).ToList();
        double? lrExponent = null, batchExponent = null;
        if (optima.Count >= 2)
        {
            lrExponent = PowerLawFit.Fit(optima.Select(o => o.D).ToList(), optima.Select(o => o.LearningRate).ToList()).Exponent;
            var varied = cells.Select((c, i) => (c, o: optima[i])).Where(x => x.c.Points.Select(p => p.BatchTokens).Distinct().Count() >= 2).ToList();
            if (varied.Count >= 2)
                batchExponent = PowerLawFit.Fit(varied.Select(x => x.o.D).ToList(), varied.Select(x => x.o.BatchTokens).ToList()).Exponent;
        }
        var top = optima[^1];
        why = "";
        var edges = cells.Select((c, i) => (c, o: optima[i]))
            .Where(x => x.o.LearningRate >= x.c.Points.Max(p => p.LearningRate) * (1 - 1e-9) || x.o.LearningRate <= x.c.Points.Min(p => p.LearningRate) * (1 + 1e-9))
            .Select(x => x.c.D).ToList();
        return new LrBatchCalibration(top.D, top.LearningRate, top.BatchTokens, lrExponent, batchExponent, optima, cells.Sum(c => c.Points.Count)) { EdgeBudgets = edges };
    }

    /// <summary>
    /// A schedule's shape: eta_t / max eta at 30%, 50%, ..., 100% of the run, to the nearest 0.05. Warmups (under 30% of a
    /// run) do not change it, so runs of one budget at different batches (different step counts) share their shape.
    /// </summary>
    public static string ShapeOf(double[] learningRates)
    {
        ArgumentNullException.ThrowIfNull(learningRates);
        double peak = learningRates.Length == 0 ? 0 : learningRates.Max();
        if (!(peak > 0)) return "";
        return string.Join(',', new[] { 0.3, 0.5, 0.7, 0.85, 0.95, 1.0 }.Select(f =>
        {
            int i = Math.Clamp((int)Math.Ceiling(f * learningRates.Length) - 1, 0, learningRates.Length - 1);
            return (Math.Round(learningRates[i] / peak * 20) / 20).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        }));
    }
}
