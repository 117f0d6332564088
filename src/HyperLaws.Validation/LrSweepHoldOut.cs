using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HyperLaws.Divergence;
using HyperLaws.Laws.Joint;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 20 (docs/VALIDATION.md "Protocol 20"): the peak LR swept alone, on a source outside shared/data, Marin's AdamW
/// ablations (<see cref="MarinSweepReader"/>; benchmarks/foreign-runs-marin/fetch.sh). Each cell is a (size, horizon) of one
/// optimizer whose ablation table varies the peak LR with every other hyperparameter at the sweep's best; a run is one final loss
/// with its own cosine schedule (<see cref="SweepScheduleAssumption"/> with the run's warmup and final-LR ratio). Runs whose loss
/// exceeds 2x the cell's best (diverged) are not fitted (as protocol 4). The law is the joint law with one offset per cell
/// (<see cref="JointFitOptions.GroupOffsets"/>, protocol 4's joint report's options): the cells differ in batch, warmup, weight
/// decay and other settings the law does not see, so only the shape over LR (and the optimum's drift with N and D) is shared.
/// <list type="bullet">
/// <item>Leave one LR out: for each finite run of a cell with two or more finite LRs, the law is fitted on every other finite run
/// (all cells); its prediction for the held-out run takes the cell's level from the cell's other runs (the prediction minus
/// the equal-weight mean residual of the cell's fitted runs; the fitted cell offset is the 1/L^2- and Huber-weighted mean of the
/// same residuals: equal to it in a cell with one other run, nearly so otherwise: the 1/L^2 weights within a cell differ by under 2%, the Huber weights are not bounded here). Baseline: the
/// loss of the nearest other finite LR of the cell.</item>
/// <item>The optimum: the lowest predicted loss over <see cref="OptimumGrid"/> log-spaced peak LRs from half the cell's lowest
/// finite LR to twice its highest (one sweep step beyond each side), at the cell's batch and horizon; on the full fit per cell, and
/// in each fold for the held-out run's cell.</item>
/// </list>
/// </summary>
public static class LrSweepHoldOut
{
    /// <summary>Points of the optimum's LR grid.</summary>
    public const int OptimumGrid = 49;

    /// <summary>The joint law's options for protocol 20: a free offset per cell, the rest the joint law's defaults (protocol 4's joint report).</summary>
    public static JointFitOptions DefaultOptions => new() { GroupOffsets = true };

    /// <summary>The tables the manifest (<c>DIR/manifest.json</c>, written by benchmarks/foreign-runs-marin/fetch.sh) lists under <c>files[].path</c>, read as one sweep.</summary>
    /// <param name="dir">The folder fetch.sh wrote.</param>
    /// <param name="protocol">The protocol reading it (20, 22 or 23), named when the manifest is missing.</param>
    /// <exception cref="ValidationDataException">The manifest, a listed file or a table is missing or malformed.</exception>
    public static SweepTable Load(string dir, int protocol = 20)
    {
        var files = Files(dir, protocol);
        try { return MarinSweepReader.Read(files); }
        catch (RunFormatException e) { throw new ValidationDataException(e.Message); }
    }

    /// <summary>The tables the manifest (<c>DIR/manifest.json</c>) lists under <c>files[].path</c>, each checked to exist (<see cref="Load"/>'s list).</summary>
    /// <exception cref="ValidationDataException">The manifest or a listed file is missing or malformed.</exception>
    public static IReadOnlyList<string> Files(string dir, int protocol)
    {
        const string fetch = "benchmarks/foreign-runs-marin/fetch.sh";
        string manifest = Path.Combine(dir, CrossData.ManifestName);
        if (!File.Exists(manifest)) throw new ValidationDataException($"{manifest}: not found (protocol {protocol.ToString(CultureInfo.InvariantCulture)} reads the folder {fetch} DIR makes).");
        var files = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("files", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new ValidationDataException($"{manifest}: expected an object with a \"files\" list.");
            int i = 0;
            foreach (var f in list.EnumerateArray())
            {
                string where = $"{manifest}:files[{i++}]";
                if (f.ValueKind != JsonValueKind.Object || !f.TryGetProperty("path", out var p) || p.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(p.GetString()))
                    throw new ValidationDataException($"{where}: expected an object with a \"path\".");
                string path = Path.Combine(dir, p.GetString()!);
                if (!File.Exists(path)) throw new ValidationDataException($"{where}: {path} not found (run {fetch}).");
                files.Add(path);
            }
        }
        catch (JsonException e) { throw new ValidationDataException($"{manifest}: not valid JSON ({e.Message})."); }
        if (files.Count == 0) throw new ValidationDataException($"{manifest}: the \"files\" list is empty.");
        return files;
    }

    /// <summary>A cell's label: optimizer, size tag (from N) and Chinchilla multiple (D / 20 N).</summary>
    public static string Label(SweepCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        string size = MarinSweepReader.Parameters.FirstOrDefault(kv => kv.Value == cell.N).Key ?? cell.N.ToString("G3", CultureInfo.InvariantCulture);
        return FormattableString.Invariant($"{cell.Configuration} {size} {cell.D / (20 * cell.N):G3}x");
    }

    /// <summary>
    /// Runs protocol 20 on <paramref name="table"/> (<paramref name="options"/>: default <see cref="DefaultOptions"/>;
    /// <paramref name="label"/>: which runs are diverged and not fitted, default protocol 20's twice-best rule).
    /// </summary>
    /// <exception cref="ValidationDataException">No cell has a finite run.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is not a defined label.</exception>
    public static LrSweepHoldOutResult Run(SweepTable table, Action<string>? progress = null, JointFitOptions? options = null, SweepDivergenceLabel label = SweepDivergenceLabel.TwiceBest)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!Enum.IsDefined(label)) throw new ArgumentOutOfRangeException(nameof(label), label, "not a divergence label.");
        options ??= DefaultOptions;
        var watch = Stopwatch.StartNew();
        var assumption = new SweepScheduleAssumption();
        var finite = new Dictionary<SweepCell, List<(SweepPoint Point, JointCurve Curve)>>();
        var allDiverged = new List<string>();
        foreach (var cell in table.Cells)
        {
            // A loss printed as ">10" is read as +infinity: only finite losses define the best (a cell with none is skipped and reported).
            var runs = SweepFinite.Of(cell.Points, p => p.Loss, p => p.LearningRate, label);
            if (runs.Count == 0) { allDiverged.Add(Label(cell)); finite[cell] = []; continue; }
            finite[cell] = [.. runs.OrderBy(p => p.LearningRate)
                .Select(p => (p, StepLawJoint.Curve(p, assumption, p.Loss) with { Group = Label(cell) }))];
        }
        if (allDiverged.Count > 0) progress?.Invoke($"skipped (every run diverged): {string.Join(", ", allDiverged)}");
        var all = finite.Values.SelectMany(v => v.Select(x => x.Curve)).ToList();
        if (all.Count == 0) throw new ValidationDataException($"no finite run to fit: every run of every cell diverged ({string.Join(", ", allDiverged)}).");
        var scored = table.Cells.Where(c => finite[c].Count >= 2).ToList();

        progress?.Invoke($"joint: fitting all {all.Count} finite runs of {table.Cells.Count} cells ...");
        var full = Fit(all, options);
        var cells = scored.Select(c =>
        {
            var runs = finite[c];
            var bestPoint = runs.MinBy(x => x.Point.Loss).Point;
            int diverged = c.Points.Count - runs.Count;
            bool bracketed = runs.Any(x => x.Point.LearningRate < bestPoint.LearningRate) && runs.Any(x => x.Point.LearningRate > bestPoint.LearningRate);
            bool tied = runs.Count(x => x.Point.Loss == bestPoint.Loss) > 1;
            return new LrSweepCell(Label(c), c.N, c.D, runs.Count, diverged, bestPoint.LearningRate, bracketed, Optimum(full, runs.Select(x => x.Point).ToList(), assumption), tied);
        }).ToList();

        var folds = new List<LrSweepFold>();
        foreach (var cell in scored)
        {
            var runs = finite[cell];
            var bestPoint = runs.MinBy(x => x.Point.Loss).Point;
            foreach (var held in runs)
            {
                var train = all.Where(c => !ReferenceEquals(c, held.Curve)).ToList();
                progress?.Invoke(FormattableString.Invariant($"joint: fitting without {Label(cell)} at LR {held.Point.LearningRate:G3} on {train.Count} runs ..."));
                var fit = Fit(train, options);
                var others = runs.Where(x => !ReferenceEquals(x.Curve, held.Curve)).ToList();
                double shift = others.Average(x => fit.Predict(x.Point, assumption) - x.Point.Loss);
                double predicted = fit.Predict(held.Point, assumption) - shift;
                double lnHeld = Math.Log(held.Point.LearningRate);
                double nearestDistance = others.Min(x => Math.Abs(Math.Log(x.Point.LearningRate) - lnHeld));
                double nearest = others.Where(x => Math.Abs(Math.Abs(Math.Log(x.Point.LearningRate) - lnHeld) - nearestDistance) < 1e-9).Average(x => x.Point.Loss);
                double lawLr = Optimum(fit, runs.Select(x => x.Point).ToList(), assumption);
                folds.Add(new LrSweepFold(Label(cell), runs.Count, held.Point.LearningRate, held.Point.Loss, predicted, nearest, ReferenceEquals(held.Point, bestPoint), lawLr, bestPoint.LearningRate));
                progress?.Invoke(FormattableString.Invariant($"joint: {Label(cell)} LR {held.Point.LearningRate:G3}: predicted {predicted:F4}, actual {held.Point.Loss:F4}, nearest LR {nearest:F4}; law optimum {lawLr:G3} (best {bestPoint.LearningRate:G3})"));
            }
        }
        return new LrSweepHoldOutResult(folds, cells, all.Count, watch.Elapsed.TotalSeconds, allDiverged);
    }

    /// <summary>The fitted joint law with its parameters.</summary>
    private sealed record FittedJoint(JointLaw Law, double[] Parameters)
    {
        public double Predict(SweepPoint p, SweepScheduleAssumption assumption) => StepLawJoint.FinalLoss(Law, Parameters, p, assumption);
    }

    private static FittedJoint Fit(IReadOnlyList<JointCurve> curves, JointFitOptions options)
    {
        var fit = JointLawFitter.Fit(curves, options);
        return new FittedJoint((JointLaw)fit.Law, [.. fit.Parameters]);
    }

    /// <summary>The law's lowest-loss peak LR over the cell's grid (the cell's first run's batch, horizon and schedule at each LR).</summary>
    private static double Optimum(FittedJoint fit, IReadOnlyList<SweepPoint> runs, SweepScheduleAssumption assumption)
    {
        var template = runs[0];
        return SweepFinite.OptimumLr(eta => fit.Predict(template with { LearningRate = eta }, assumption),
            runs.Min(p => p.LearningRate) / 2, runs.Max(p => p.LearningRate) * 2, OptimumGrid);
    }
}
