using System.Globalization;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;
using nietras.SeparatedValues;

namespace HyperLaws.Readers;

/// <summary>
/// PyTorch Lightning's <c>CSVLogger</c> file, <c>lightning_logs/version_N/metrics.csv</c>: a header of the logged keys (Lightning
/// always adds <c>epoch</c> and <c>step</c>), one row per logging call, empty cells where a key was not logged. Recognised by
/// content (a <c>.csv</c> whose header has <c>step</c>, <c>epoch</c> and a loss column; no column options given), so
/// <c>fit --runs metrics.csv</c> works without naming columns.
/// <list type="bullet">
/// <item>Training loss: the first of <see cref="TrainLossNames"/>. <c>step</c> is <c>_batches_that_stepped</c>, incremented in
/// <c>TrainingEpochLoop.on_advance_end</c> after the batch's update and its log: a loss logged at step s was computed before
/// update s + 1, i.e. after s updates, the observation at step s (s = 0, the untrained model's, goes to the tag
/// <c>initialLoss</c>). A per-step loss is one batch's, so divergence uses the trailing median (as llm.c and the Trainer).</item>
/// <item>Validation loss: the first of <see cref="ValLossNames"/>. Validation runs in <c>on_advance_end</c> before the increment:
/// logged at step s, it saw the weights after s + 1 updates, the observation at step s + 1.</item>
/// <item>LR: a <c>LearningRateMonitor</c> column (<c>lr-&lt;Optimizer&gt;</c>, the first such column), logged at step s before
/// batch s + 1's update: the LR of update s + 1 (eta_{s+1}). Interpolated linearly between logged LRs unless a schedule is
/// given (then checked against it); the LR logged at the last step (of an update beyond the run) is left out. No LR column and
/// no schedule is an error naming the file.</item>
/// </list>
/// Errors: <c>file:line: problem</c>.
/// </summary>
public static class LightningCsvReader
{
    /// <summary>Training-loss columns tried in order (per-step first; <c>*_epoch</c> epoch means last).</summary>
    public static readonly IReadOnlyList<string> TrainLossNames =
        ["train_loss_step", "train/loss_step", "loss_step", "train_loss", "train/loss", "loss", "train_lm_loss", "train_loss_epoch", "train/loss_epoch"];

    /// <summary>Validation-loss columns tried in order.</summary>
    public static readonly IReadOnlyList<string> ValLossNames =
        ["val_loss", "val/loss", "valid_loss", "validation_loss", "val_loss_step", "val_loss_epoch", "val/loss_epoch", "validation/loss"];

    /// <summary>Whether the file's first line is a CSVLogger header: <c>epoch</c>, <c>step</c> and a known loss column.</summary>
    public static bool Recognizes(string path)
    {
        if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return false;
        string? header = BoundedText.FirstLine(path); // at most 64 KiB: a file of one endless line is not read whole
        if (header is null) return false;
        var names = header.Split(',').Select(n => n.Trim()).ToArray();
        return names.Contains("epoch") && names.Contains("step")
            && (names.Any(n => TrainLossNames.Contains(n)) || names.Any(n => ValLossNames.Contains(n)));
    }

    /// <summary>Reads the run (see the type's summary for the step and LR conventions).</summary>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        using (var reader = ExportedCsvReader.Open(path))
        {
            var header = reader.Header.ColNames.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
            int step = Array.IndexOf(header, "step");
            int train = ExportedCsvReader.First(header, TrainLossNames), val = ExportedCsvReader.First(header, ValLossNames);
            int lr = Array.FindIndex(header, h => h.StartsWith("lr-", StringComparison.Ordinal));
            if (step < 0 || (train < 0 && val < 0))
                throw new RunFormatException(path, 1, $"not a Lightning CSVLogger file: no step or loss column (header: {CsvText.ShowHeader(header)}).");
            bool perStep = train >= 0 && !header[train].EndsWith("_epoch", StringComparison.Ordinal);

            var rows = new List<GenericRunReader.Row>();
            var meta = new List<(string Key, string Value, string Where)>
            {
                ("name", ExportedCsvReader.RunName(path, "version_"), "1"),
                ("format", "lightning-csv", "1"),
                ("trainLossColumn", train >= 0 ? header[train] : "", "1"),
                ("validationLossColumn", val >= 0 ? header[val] : "", "1"),
                ("lrColumn", lr >= 0 ? header[lr] : "", "1"),
            };
            if (perStep) meta.Add(("train_losses", "batch", "1"));
            int previous = -1;
            string? previousWhere = null;
            try
            {
                foreach (var row in reader)
                {
                    string where = row.LineNumberFrom.ToString(CultureInfo.InvariantCulture);
                    double? trainLoss = train >= 0 ? ExportedCsvReader.Cell(path, where, row[train].ToString(), header[train]) : null;
                    double? valLoss = val >= 0 ? ExportedCsvReader.Cell(path, where, row[val].ToString(), header[val]) : null;
                    double? lrValue = lr >= 0 ? ExportedCsvReader.Cell(path, where, row[lr].ToString(), header[lr]) : null;
                    if (trainLoss is null && valLoss is null && lrValue is null) continue;
                    double stepValue = ExportedCsvReader.StepCell(path, where, row[step].ToString(), "step");
                    // Step s + 1 must stay within the limit (validation and LRs move one step on).
                    int s = RunAssembly.CheckStep(path, where, stepValue, options.MaxStep - 1, allowZero: true);
                    if (s < previous) throw new RunFormatException(path, where, $"steps are not sorted ({s} after {previous} at line {previousWhere}).");
                    previous = s;
                    previousWhere = where;
                    if (trainLoss is { } t)
                    {
                        if (s == 0) meta.Add(("initialLoss", t.ToString("R", CultureInfo.InvariantCulture), where));
                        else rows.Add(new GenericRunReader.Row(s, t, null, LossSplit.Train, where));
                    }
                    if (lrValue is { } l) rows.Add(new GenericRunReader.Row(s + 1, null, l, LossSplit.Train, where));
                    if (valLoss is { } v) rows.Add(new GenericRunReader.Row(s + 1, v, null, LossSplit.Validation, where));
                }
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException && e is not RunFormatException)
            {
                throw CsvText.MalformedRow(path, e);
            }
            if (!rows.Any(r => r.Loss is not null)) throw new RunFormatException(path, 1, "no losses logged (every loss cell is empty).");
            // The last logged step of a loss is the run's length; an LR logged there is that of an update beyond it.
            int last = rows.Where(r => r.Loss is not null).Max(r => r.Step);
            rows.RemoveAll(r => r.Loss is null && r.Step > last);
            rows.Sort((a, b) => a.Step.CompareTo(b.Step)); // List.Sort is not stable: order within a step does not matter to Assemble
            bool hasLr = rows.Any(r => r.Lr is not null);
            if (!hasLr && options.Schedule is null)
                throw new RunFormatException(path, 1,
                    "no learning rate is logged (CSVLogger has one only with a LearningRateMonitor callback, column lr-<optimizer>): give the run's schedule: hyperlaws import FILE --schedule SPEC --out RUN.csv.");
            var readOptions = hasLr && options.Schedule is null ? options with { InterpolateLr = true } : options;
            return GenericRunReader.Assemble(path, meta, rows, readOptions, "line");
        }
    }
}
