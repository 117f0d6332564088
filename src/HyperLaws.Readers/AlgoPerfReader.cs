using System.Globalization;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// AlgoPerf's evaluation log, <c>eval_measurements.csv</c> (github.com/mlcommons/algorithmic-efficiency, <c>submission_runner.py</c>:
/// one row per evaluation, written by its <c>MetricLogger</c> into <c>EXPERIMENT/WORKLOAD/trial_N/</c>). Header: the timing columns
/// (<c>accumulated_eval_time</c>, <c>accumulated_submission_time</c>, ...), <c>global_step</c>, <c>preemption_count</c>, and the
/// workload's metrics as <c>train/</c>, <c>validation/</c> and <c>test/</c> columns. Recognised by content (a <c>.csv</c> whose header
/// has <c>global_step</c>, <c>accumulated_submission_time</c>, <c>preemption_count</c> and a loss column; no column options given).
/// <list type="bullet">
/// <item>Step: <c>global_step</c>, the number of updates done before the evaluation (the runner increments it after each
/// <c>update_params</c> and then evaluates), so a loss logged at global_step s is the observation at step s. A row at step 0 is
/// skipped (the loss before training).</item>
/// <item>Losses: training <c>train/loss</c> (<c>train/ctc_loss</c> for the LibriSpeech workloads), an evaluation over a fixed
/// subset of the training set (a mean, not one batch); validation <c>validation/loss</c> (<c>validation/ctc_loss</c>). The test
/// columns are not read.</item>
/// <item>LR: AlgoPerf logs none (the schedule is the submission's code), so a schedule spec is required
/// (<see cref="RunReadOptions.Schedule"/>, e.g. the NAdamW baseline's <c>cosine(peak=LR,steps=STEP_HINT,warmup=W,offset=1)</c>).
/// A run stops at its step budget or when its time budget runs out, whichever comes first, and is evaluated once more at the end:
/// the run's length S is the last logged step, and the schedule (written for the step budget, which may be longer) gives the LRs
/// of steps 1..S; its full length goes to the tag <c>scheduleSteps</c>. A schedule shorter than S is an error.</item>
/// </list>
/// Errors: <c>file:line: problem</c>.
/// </summary>
public static class AlgoPerfReader
{
    /// <summary>Training-loss columns tried in order.</summary>
    public static readonly IReadOnlyList<string> TrainLossNames = ["train/loss", "train/ctc_loss"];

    /// <summary>Validation-loss columns tried in order.</summary>
    public static readonly IReadOnlyList<string> ValLossNames = ["validation/loss", "validation/ctc_loss"];

    /// <summary>Whether the file's first line is an AlgoPerf evaluation-log header.</summary>
    public static bool Recognizes(string path)
    {
        if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return false;
        string? header = BoundedText.FirstLine(path); // bounded: a file of one endless line is not read whole
        if (header is null) return false;
        var names = header.Split(',').Select(n => n.Trim().TrimStart('\uFEFF')).ToArray();
        return names.Contains("global_step") && names.Contains("accumulated_submission_time") && names.Contains("preemption_count")
            && (names.Any(n => TrainLossNames.Contains(n)) || names.Any(n => ValLossNames.Contains(n)));
    }

    /// <summary>Reads the run (see the type's summary for the step, loss and LR conventions).</summary>
    /// <exception cref="RunFormatException">Not an AlgoPerf evaluation log, a malformed row, no schedule, or a schedule shorter than the log.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        using (var reader = ExportedCsvReader.Open(path))
        {
            var header = reader.Header.ColNames.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
            int step = Array.IndexOf(header, "global_step");
            int train = ExportedCsvReader.First(header, TrainLossNames), val = ExportedCsvReader.First(header, ValLossNames);
            if (step < 0 || (train < 0 && val < 0))
                throw new RunFormatException(path, 1, $"not an AlgoPerf eval_measurements.csv: no global_step or loss column (header: {CsvText.ShowHeader(header)}).");
            var rows = new List<GenericRunReader.Row>();
            var meta = new List<(string Key, string Value, string Where)>
            {
                ("name", ExportedCsvReader.RunName(path, "trial_"), "1"),
                ("format", "algoperf", "1"),
                ("trainLossColumn", train >= 0 ? header[train] : "", "1"),
                ("validationLossColumn", val >= 0 ? header[val] : "", "1"),
            };
            try
            {
                foreach (var row in reader)
                {
                    string where = row.LineNumberFrom.ToString(CultureInfo.InvariantCulture);
                    double stepValue = ExportedCsvReader.StepCell(path, where, row[step].ToString(), "global_step");
                    int s = RunAssembly.CheckStep(path, where, stepValue, options.MaxStep, allowZero: true);
                    if (s == 0) continue; // the loss before the first update: no step of the run
                    double? trainLoss = train >= 0 ? ExportedCsvReader.Cell(path, where, row[train].ToString(), header[train]) : null;
                    double? valLoss = val >= 0 ? ExportedCsvReader.Cell(path, where, row[val].ToString(), header[val]) : null;
                    if (trainLoss is { } t) rows.Add(new GenericRunReader.Row(s, t, null, LossSplit.Train, where));
                    if (valLoss is { } v) rows.Add(new GenericRunReader.Row(s, v, null, LossSplit.Validation, where));
                }
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException && e is not RunFormatException)
            {
                throw CsvText.MalformedRow(path, e);
            }
            if (rows.Count == 0) throw new RunFormatException(path, 1, "no losses logged (every loss cell is empty).");
            if (options.Schedule is not { } spec)
                throw new RunFormatException(path, 1, "AlgoPerf logs no learning rate (the schedule is the submission's code): give the run's schedule: hyperlaws import FILE --schedule SPEC --out RUN.csv.");
            int last = rows.Max(r => r.Step);
            double[] full = RunAssembly.EvaluateSchedule(options, spec, path, "1");
            if (full.Length < last)
                throw new RunFormatException(path, 1, $"the schedule '{spec}' has {full.Length} steps but the log runs to step {last}.");
            meta.Add(("steps", last.ToString(CultureInfo.InvariantCulture), "1"));
            meta.Add(("scheduleSteps", full.Length.ToString(CultureInfo.InvariantCulture), "1"));
            var lrs = full[..last];
            return GenericRunReader.Assemble(path, meta, rows, options with { ScheduleEvaluator = _ => lrs }, "line");
        }
    }
}
