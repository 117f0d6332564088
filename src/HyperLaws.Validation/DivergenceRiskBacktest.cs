using HyperLaws.Divergence;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Where the planner's divergence guard should put its limit (issue 10 item 4; declared in docs/VALIDATION.md, "The plan's peak at
/// the divergence boundary"): on the Step Law grid, each (N, D) cell left out in turn, the divergence model
/// (<see cref="CriticalLrFitter"/>) is fitted on the other cells and the lr-scheduling runs (protocol 4's folds), and for each
/// (cell, batch) row of the left-out cell the guard's limit at risk level q is the peak where the model's P(diverge) = q
/// (<see cref="CriticalLrRule.PeakAtProbability"/>, at the row's N, batch, D and the assumed warmup). Two picks per row: at the limit
/// (the highest grid LR at or below it: where a plan held by the guard sits) and capped (the highest grid LR at or below
/// min(the row's best LR, the limit): what the guard costs a plan at the row's optimum). A pick diverged by protocol 4's label
/// (final loss &gt; 2x its cell's best); else its regret is its smoothed loss / the row's best smoothed loss among runs that trained - 1.
/// The guard alone is scored: the loss law's optimum is not (the rows are final losses only, no curves for a plan).
/// </summary>
public static class DivergenceRiskBacktest
{
    /// <summary>Reads the Step Law table and protocol 4's labelled runs from <paramref name="dataRoot"/> and scores each level.</summary>
    /// <exception cref="ValidationDataException">A file is missing or unreadable.</exception>
    public static IReadOnlyList<DivergenceRiskScore> Run(string dataRoot, IReadOnlyList<double> levels, SweepScheduleAssumption? assumption = null)
    {
        assumption ??= new SweepScheduleAssumption();
        var examples = DivergenceValidation.LoadExamples(dataRoot, assumption);
        SweepTable table;
        try
        {
            table = SteplawReader.Read(Path.Combine(dataRoot, DivergenceValidation.SteplawFile));
        }
        catch (RunFormatException e)
        {
            throw new ValidationDataException(e.Message);
        }
        return Score(table, examples, levels, assumption);
    }

    /// <summary>
    /// Scores each level on <paramref name="table"/>'s rows, each cell's model fitted on the <paramref name="examples"/> not of that
    /// cell (an example belongs to a cell when its name is one of the cell's runs).
    /// </summary>
    public static IReadOnlyList<DivergenceRiskScore> Score(SweepTable table, IReadOnlyList<DivergenceExample> examples, IReadOnlyList<double> levels, SweepScheduleAssumption assumption)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(assumption);
        var acc = levels.Select(q => new Tally(q)).ToArray();
        foreach (var cell in table.Cells)
        {
            var names = cell.Points.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            var rule = CriticalLrFitter.Fit([.. examples.Where(x => !names.Contains(x.Name))]);
            double cellBest = cell.Best.Loss;
            bool Diverged(SweepPoint p) => p.Loss > SweepLabels.DefaultFactor * cellBest;
            foreach (var row in cell.Points.GroupBy(p => p.BatchTokens))
            {
                var points = row.OrderBy(p => p.LearningRate).ToList();
                var trained = points.Where(p => !Diverged(p)).ToList();
                if (trained.Count == 0) continue;
                var best = trained.MinBy(p => p.SmoothLoss)!;
                int steps = points[0].Iterations;
                double warmup = Math.Min(assumption.WarmupSteps, steps);
                foreach (var t in acc)
                {
                    double limit = rule.PeakAtProbability(t.Level, cell.N, row.Key, (double)steps * row.Key, warmup);
                    t.Rows++;
                    if (limit < best.LearningRate) t.Cut++;
                    var atLimit = points.LastOrDefault(p => p.LearningRate <= limit);
                    if (atLimit is null) t.NoRunUnder++;
                    else if (Diverged(atLimit)) t.LimitDiverged++;
                    else t.LimitRegrets.Add(atLimit.SmoothLoss / best.SmoothLoss - 1);
                    var capped = points.LastOrDefault(p => p.LearningRate <= Math.Min(limit, best.LearningRate));
                    if (capped is null) continue;
                    if (Diverged(capped)) t.CappedDiverged++;
                    else t.CappedRegrets.Add(capped.SmoothLoss / best.SmoothLoss - 1);
                }
            }
        }
        return [.. acc.Select(t => new DivergenceRiskScore(t.Level, t.Rows, t.Cut, t.NoRunUnder, t.LimitDiverged, Mean(t.LimitRegrets), t.CappedDiverged, Mean(t.CappedRegrets)))];
    }

    private static double Mean(List<double> x) => x.Count == 0 ? double.NaN : x.Average();

    private sealed class Tally(double level)
    {
        public double Level { get; } = level;
        public int Rows { get; set; }
        public int Cut { get; set; }
        public int NoRunUnder { get; set; }
        public int LimitDiverged { get; set; }
        public int CappedDiverged { get; set; }
        public List<double> LimitRegrets { get; } = [];
        public List<double> CappedRegrets { get; } = [];
    }
}
