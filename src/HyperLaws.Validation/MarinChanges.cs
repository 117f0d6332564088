using System.Diagnostics;
using System.Globalization;
using HyperLaws.Divergence;
using HyperLaws.Laws.Joint;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 24 (docs/VALIDATION.md "Protocol 24"): the rows of Marin's ablation tables that change the warmup, the final-LR ratio or
/// the batch alone (<see cref="MarinSweepReader.ReadSingleChanges"/>) as held-out tests of the joint law. Per optimizer, the law is
/// fitted as protocol 20/23 fits it (<see cref="LrSweepHoldOut.DefaultOptions"/>: an offset per cell) on the finite baseline and
/// LR-alone runs of all its cells (no single-change row fitted); a row r of the cell whose baseline is b is predicted as
/// L(b) + f(r) - f(b) (f the fitted law at the run's own batch, steps and schedule; the cell offset cancels), against the no-change
/// baseline L(b). The batch rows are also scored with b_eta held at <see cref="HeldBatchExponent"/> (the declared variant).
/// </summary>
public static class MarinChanges
{
    /// <summary>The Step Law grid's fitted b_eta (docs/VALIDATION.md "A batch scale in the joint law's LR units"), held in the batch variant.</summary>
    public const double HeldBatchExponent = -0.6295;

    /// <summary>The tables' rounding of the loss: a row within this of its baseline is a tie (no sign).</summary>
    public const double Tie = 0.001;

    /// <summary>Finite rows a kind needs for a verdict.</summary>
    public const int MinRows = 3;

    /// <summary>The variant names: b_eta as the defaults leave it (0 on Marin), and held at <see cref="HeldBatchExponent"/>.</summary>
    public const string Default = "default", HeldBatch = "b_eta -0.6295";

    /// <summary>The tables (<see cref="LrSweepHoldOut.Load"/>'s) and their single-change rows, from the folder fetch.sh wrote.</summary>
    /// <exception cref="ValidationDataException">The manifest, a listed file or a table is missing or malformed.</exception>
    public static (SweepTable Table, IReadOnlyList<MarinSingleChange> Rows) Load(string dir)
    {
        var files = LrSweepHoldOut.Files(dir, 24);
        try { return (MarinSweepReader.Read(files), MarinSweepReader.ReadSingleChanges(files)); }
        catch (RunFormatException e) { throw new ValidationDataException(e.Message); }
    }

    /// <summary>
    /// Runs protocol 24 on the optimizers of <paramref name="rows"/> (only <paramref name="optimizer"/>'s when given, matched without
    /// regard to case), AdamW first, each fitted on its points of <paramref name="table"/>.
    /// </summary>
    /// <exception cref="ValidationDataException">No single-change row (of the optimizer), its tables have no finite run to fit, or a
    /// single-change row's baseline diverged (its loss <c>&gt;10</c> or NaN: nothing to predict from).</exception>
    public static MarinChangesResult Run(SweepTable table, IReadOnlyList<MarinSingleChange> rows, string? optimizer = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        var watch = Stopwatch.StartNew();
        var all = rows.Select(r => r.Baseline.Configuration ?? "").Distinct(StringComparer.Ordinal)
            .OrderBy(o => o == LrSweepOptimizersResult.Reference ? 0 : 1).ToList();
        var chosen = optimizer is null ? all : [.. all.Where(o => string.Equals(o, optimizer.Trim(), StringComparison.OrdinalIgnoreCase))];
        if (chosen.Count == 0)
            throw new ValidationDataException(optimizer is null ? "no table row changes the warmup, the final LR ratio or the batch alone."
                : $"the optimizer '{optimizer}' has no row that changes the warmup, the final LR ratio or the batch alone (those with such rows: {(all.Count == 0 ? "none" : string.Join(", ", all))}).");
        var assumption = new SweepScheduleAssumption();
        var outRows = new List<MarinChangeRow>();
        foreach (var opt in chosen)
        {
            var cells = table.Cells.Where(c => (c.Configuration ?? "") == opt).ToList();
            var curves = cells.SelectMany(c => SweepFinite.Of(c.Points, p => p.Loss, p => p.LearningRate, SweepDivergenceLabel.TwiceBest)
                .OrderBy(p => p.LearningRate).Select(p => StepLawJoint.Curve(p, assumption, p.Loss) with { Group = LrSweepHoldOut.Label(c) })).ToList();
            if (curves.Count == 0) throw new ValidationDataException($"{opt}: no finite baseline or LR run to fit.");
            var mine = rows.Where(r => (r.Baseline.Configuration ?? "") == opt).ToList();
            if (mine.FirstOrDefault(r => !double.IsFinite(r.Baseline.Loss)) is { } diverged)
                throw new ValidationDataException($"{diverged.Baseline.Source ?? diverged.Baseline.Name}: the baseline's loss is not finite (>10 or NaN), so its single-change rows (the first on {diverged.Row.Source ?? diverged.Row.Name}) have no loss to be predicted from.");
            var variants = new List<(string Name, JointFitOptions Options, bool BatchOnly)> { (Default, LrSweepHoldOut.DefaultOptions, false) };
            if (mine.Any(r => r.Change == MarinChange.Batch))
                variants.Add((HeldBatch, LrSweepHoldOut.DefaultOptions with { LrBatchScale = false, LrBatchExponent = HeldBatchExponent }, true));
            foreach (var (name, options, batchOnly) in variants)
            {
                progress?.Invoke($"{opt} ({name}): the joint law on {curves.Count} finite baseline and LR runs of {cells.Count} cells ...");
                var fit = JointLawFitter.Fit(curves, options);
                var law = (JointLaw)fit.Law;
                double[] p = [.. fit.Parameters];
                double F(SweepPoint x) => StepLawJoint.FinalLoss(law, p, x, assumption);
                foreach (var r in mine.Where(r => !batchOnly || r.Change == MarinChange.Batch))
                {
                    var cell = cells.First(c => c.N == r.Baseline.N && c.D == r.Baseline.D);
                    double best = SweepFinite.Best(cell.Points, x => x.Loss);
                    double predicted = r.Baseline.Loss + F(r.Row) - F(r.Baseline);
                    var row = new MarinChangeRow(opt, LrSweepHoldOut.Label(cell), r.Change, name, Value(r.Change, r.Row), Value(r.Change, r.Baseline),
                        r.Baseline.Loss, r.Row.Loss, predicted, !SweepFinite.IsFinite(r.Row.Loss, best), r.Row.Name);
                    outRows.Add(row);
                    progress?.Invoke(FormattableString.Invariant($"{row.Cell} {row.Change} {row.Value:G4} (baseline {row.BaselineValue:G4}, {name}): actual {row.Actual:F3}, law {predicted:F4}, no change {row.BaselineLoss:F3}"));
                }
            }
        }
        return new MarinChangesResult(outRows, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The changed hyperparameter's value in <paramref name="p"/>: warmup steps, final-LR ratio or batch in sequences.</summary>
    public static double Value(MarinChange change, SweepPoint p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return change switch
        {
            MarinChange.Warmup => p.WarmupSteps ?? 0,
            MarinChange.MinLr => p.MinLrRatio ?? 0,
            _ => p.BatchSizeSequences,
        };
    }
}
