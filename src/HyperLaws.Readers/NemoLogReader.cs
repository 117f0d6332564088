using System.Globalization;
using System.Text.RegularExpressions;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The console log of an NVIDIA NeMo 2.0 training run (<c>nemo.collections.llm</c> pretrain / finetune recipes, run directly or
/// through NeMo-Run; often kept as a Slurm <c>.out</c> or NeMo-Run's <c>log-*.out</c>): every <c>log_interval</c> batches NeMo's
/// <c>ProgressPrinter</c> prints
/// <code>Training epoch 0, iteration 9/99 | lr: 9.804e-07 | global_batch_size: 64 | global_step: 9 | reduced_train_loss: 0.9607 | train_step_timing in s: 0.5919 | consumed_samples: 640</code>
/// after whatever the launcher puts before it (<c>torchrun</c>'s <c>[default0]:</c>, NeMo-Run's <c>NAME/0 </c>, Slurm's <c>0: </c>,
/// SkyPilot's <c>(pretraining, pid=4112) </c>), and after a validation the line also carries <c>| val_loss: X</c>.
/// Conventions, from NVIDIA/NeMo @ <c>8cfedd72</c> (<c>nemo/lightning/pytorch/callbacks/progress_printer.py</c>,
/// <c>nemo/lightning/pytorch/strategies/megatron_strategy.py</c>, <c>nemo/lightning/pytorch/optim/base.py</c>) and Lightning's loop
/// (the batch's hooks, then validation), checked on the bundled real logs (tests/HyperLaws.Readers.Tests/TestData/nemo_log):
/// <list type="bullet">
/// <item><c>global_step: g</c> is <c>trainer.global_step</c> logged inside the batch's <c>training_step</c>: the number of updates
/// done before the batch. <c>reduced_train_loss</c> is that batch's loss, computed after g updates: an observation at step g (g = 0,
/// the untrained model's, goes to the tag <c>initialLoss</c>). With <c>log_interval</c> L above 1 the printer prints the mean of
/// every metric over its last L batches (but the latest <c>global_step</c>): the loss printed with g is the mean of the losses after
/// g - L + 1..g updates, placed at floor((2g - L + 1) / 2), the window's middle rounded down, as for the other window means
/// (<see cref="MegatronLogReader"/>). L is read as the smallest gap between the <c>global_step</c>s of consecutive lines (tag
/// <c>logInterval</c>): a larger gap is lines cut from the file (the printer's window is still L batches) or a resume.</item>
/// <item><c>lr</c> is <c>param_groups[0]['lr']</c> logged at the batch's start, before its optimizer and scheduler step: the LR of
/// update g + 1, eta_{g+1} (the bundled fine-tune warms up over 50 updates: g = 0 prints 5e-06/51). With L above 1 it is the mean of
/// eta_{g-L+2}..eta_{g+1}, placed at update floor((2g - L + 3) / 2). The printer writes every value with
/// Python's <c>{:.4}</c> (four significant digits; a whole number without decimals): the LRs between printed ones are interpolated
/// linearly (tag <c>lr</c>), and a schedule given in <see cref="RunReadOptions.Schedule"/> is used instead and checked against every
/// printed LR within half the fourth digit.</item>
/// <item>Lightning validates after the batch's hooks (the line is printed first), and <c>val_loss</c> then stays among the logged
/// metrics: it is printed on every later line until the next validation. A value first printed (or changed) on the line with g is
/// the validation loss after g updates, an observation at step g (tag <c>valLosses</c>: read from the first line showing each
/// value; two validations printing the same four digits read as one). With L above 1 the printed <c>val_loss</c> is averaged over
/// batches before and after the validation, and is not read. The last validation of a run, after its last line, is not in
/// the log.</item>
/// <item><c>iteration i/N</c> counts batches within the epoch; N + 1 is the trainer's <c>max_steps</c>, the planned length (tag
/// <c>maxSteps</c>). The run as logged has S = the last g + 1 (that batch's update was made). <c>global_batch_size</c> is
/// <see cref="RunMetadata.BatchSize"/> (sequences; the sequence length is not printed on these lines). <c>Setting up optimizer with
/// config OptimizerConfig(optimizer='adam', lr=0.0003, ...)</c> gives <see cref="RunMetadata.Optimizer"/> and the peak LR (tag
/// <c>optimizerLr</c>).</item>
/// <item>A step printed twice (a resumed run appending to the same file, or two ranks printing) keeps the later line (tag
/// <c>resumeConflicts</c> when the values differ). Divergence: the trailing median of the per-batch training losses, the plain rule on
/// the validation losses.</item>
/// </list>
/// Other lines (the launcher's, NeMo's <c>[NeMo I ...]</c> messages, <c>Validation: iteration</c> lines) are read only for the
/// settings above; a training line must be well formed. NeMo 1.x's tqdm progress bar (<c>Epoch 0: 3%|...| 34103/1100000 [...,
/// reduced_train_loss=2.510, global_step=3.1e+4, ...]</c>) prints its step rounded to two digits and is not read. Errors name the file
/// and the 1-based line.
/// </summary>
public static partial class NemoLogReader
{
    /// <summary>How many lines <see cref="Recognizes"/> reads at most looking for the first training line (the launcher's output comes first).</summary>
    public const int RecognizeLines = 20_000;

    /// <summary>The loss key read by default.</summary>
    public const string DefaultLossKey = "reduced_train_loss";

    /// <summary>True when one of the first <see cref="RecognizeLines"/> lines is a NeMo 2.0 training line with a <c>global_step</c>.</summary>
    public static bool Recognizes(string path) =>
        BoundedText.AnyOfFirstLines(path, RecognizeLines, line => line.Contains("Training epoch ", StringComparison.Ordinal)
            && Training().Match(line) is { Success: true } m && m.Groups["rest"].Value.Contains("| global_step: ", StringComparison.Ordinal));

    // [0-9], not \d: \d matches every Unicode digit, which the invariant-culture parsers refuse. What precedes "Training epoch" is
    // the launcher's (torchrun's, NeMo-Run's, Slurm's, SkyPilot's): not read. N is "inf" when max_steps is unset and the data endless.
    [GeneratedRegex(@"^(?<pre>.*?)\bTraining epoch (?<e>[0-9]+), iteration (?<i>[0-9]+)/(?<n>[^\s|]+)(?<rest>(?: \|.*)?)$")]
    private static partial Regex Training();

    [GeneratedRegex(@"Setting up optimizer with config OptimizerConfig\(optimizer='(?<name>\w+)', lr=(?<lr>[^,\s)]+)")]
    private static partial Regex OptimizerConfig();

    /// <summary>Reads one NeMo 2.0 console log.</summary>
    /// <exception cref="RunFormatException">The file cannot be read or breaks the format; the message names the line.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        string lossKey = options.LossColumn ?? DefaultLossKey;
        var log = new TextLog(path, options);
        // Training lines in file order: global_step g, loss, LR, line.
        var steps = new List<(int G, double? Loss, double? Lr, string Where)>();
        long maxSteps = -1;
        int lines = 0;
        var valLines = new List<(int G, double Loss, string Where)>();
        int? batch = null;
        string? optimizer = null, optimizerLr = null, lastVal = null;
        var keysSeen = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            using var r = new StreamReader(path);
            foreach (string raw in BoundedText.Lines(r, path, "a NeMo log"))
            {
                lines++;
                if (!raw.Contains("Training epoch ", StringComparison.Ordinal))
                {
                    if (raw.Contains("OptimizerConfig(", StringComparison.Ordinal) && OptimizerConfig().Match(raw) is { Success: true } o)
                        (optimizer, optimizerLr) = (o.Groups["name"].Value.ToLowerInvariant(), o.Groups["lr"].Value);
                    continue;
                }
                var m = Training().Match(raw.TrimEnd());
                if (!m.Success) continue; // prose mentioning "Training epoch"
                string where = lines.ToString(CultureInfo.InvariantCulture);
                var f = TextLog.KeyValueFields(path, lines, m.Groups["rest"].Value, " | ", "a NeMo training line");
                foreach (string key in f.Keys) keysSeen.Add(key);
                if (!f.TryGetValue("global_step", out string? gText))
                    throw new RunFormatException(path, lines, $"a NeMo training line without 'global_step:' (the step is read from it): '{TextLog.Clip(raw.Trim())}'.");
                int g = TextLog.Step(path, lines, gText, options);
                if (g + 1L > options.MaxStep) throw new RunFormatException(path, lines, $"global_step {g} is absurdly large (limit {options.MaxStep}).");
                string n = m.Groups["n"].Value;
                if (long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out long total))
                {
                    if (total + 1 > options.MaxStep) throw new RunFormatException(path, lines, $"iteration .../{TextLog.Clip(n)}: max_steps is absurdly large (limit {options.MaxStep}).");
                    maxSteps = total + 1;
                }
                double? loss = f.TryGetValue(lossKey, out string? lossText) ? TextLog.Number(path, lines, lossKey, lossText) : null;
                double? lr = f.TryGetValue("lr", out string? lrText) ? TextLog.Number(path, lines, "lr", lrText) : null;
                if (f.TryGetValue("global_batch_size", out string? gbs))
                {
                    double b = TextLog.Number(path, lines, "global_batch_size", gbs);
                    if (b > int.MaxValue)
                        throw new RunFormatException(path, lines, $"global_batch_size '{TextLog.Clip(gbs)}' is too large (limit {int.MaxValue} sequences).");
                    if (!(b >= 1 && b == Math.Floor(b)))
                        throw new RunFormatException(path, lines, $"global_batch_size '{TextLog.Clip(gbs)}' is not a whole number of sequences.");
                    batch = (int)b;
                }
                if (f.TryGetValue("val_loss", out string? valText) && valText != lastVal)
                {
                    // The first line after a validation: the loss evaluated after g updates.
                    valLines.Add((g, TextLog.Number(path, lines, "val_loss", valText), where));
                    lastVal = valText;
                }
                steps.Add((g, loss, lr, where));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, 0, $"cannot be read: {e.Message}", e);
        }
        if (lines == 0) throw new RunFormatException(path, 0, "the file is empty.");
        if (steps.Count == 0)
            throw new RunFormatException(path, 0, "no NeMo training line ('Training epoch E, iteration I/N | lr: X | ... | global_step: G | reduced_train_loss: Y | ...') in the file.");

        // The printer's log_interval L: the smallest gap between the global_steps of consecutive lines (a larger gap is lines cut
        // from the file or a resume; the printer's window is still its L batches). Its line at g averages the batches with global
        // steps g - L + 1..g: the losses after those updates, at the middle floor((2g - L + 1) / 2); eta_{g-L+2}..eta_{g+1}, at update
        // floor((2g - L + 3) / 2). L = 1: the loss after g updates at step g, and eta_{g+1}.
        int interval = int.MaxValue;
        for (int i = 1; i < steps.Count; i++)
            if (steps[i].G > steps[i - 1].G) interval = Math.Min(interval, steps[i].G - steps[i - 1].G);
        if (interval == int.MaxValue) interval = 1;
        int losses = 0;
        foreach (var (g, loss, lr, where) in steps)
        {
            if (loss is { } x)
            {
                log.AddTrain((int)Math.Max(0, (2L * g - interval + 1) / 2), x, where);
                losses++;
            }
            if (lr is { } eta) log.AddLr((int)Math.Max(1, (2L * g - interval + 3) / 2), eta, where);
        }
        // With L above 1 the printed val_loss is averaged too, over batches before and after the validation: not a loss of the model.
        if (interval == 1)
            foreach (var (g, loss, where) in valLines) log.AddVal(g, loss, where);
        if (losses == 0 && log.ValCount == 0)
            throw new RunFormatException(path, steps[0].Where,
                $"no '{lossKey}' is printed (keys of the training lines: {string.Join(", ", keysSeen)}); name the loss key with --loss-column.");

        int last = steps.Max(s => s.G) + 1;
        var tags = new Dictionary<string, string>
        {
            ["format"] = "nemo-log",
            ["lossKey"] = lossKey,
            ["valLosses"] = valLines.Count == 0 ? "none printed"
                : interval > 1 ? $"not read: with log_interval {interval} the printed val_loss is averaged over batches before and after each validation"
                : $"{valLines.Count}, each read from the first training line printing it (the validation after that line's global_step updates)",
        };
        if (maxSteps > 0) tags["maxSteps"] = maxSteps.ToString(CultureInfo.InvariantCulture);
        if (interval > 1) tags["logInterval"] = $"{interval} (the smallest step gap between lines): losses and LRs are means over that many batches, each placed at its window's middle";
        if (optimizerLr is not null) tags["optimizerLr"] = optimizerLr;
        string hint = "this NeMo log prints no 'lr' on its training lines (the optimizer module logs it); give the run's schedule: "
            + "hyperlaws import FILE --schedule SPEC --out RUN.csv"
            + (optimizerLr is not null ? $" (the log's OptimizerConfig has lr={optimizerLr}, the peak)." : ".");
        // {:.4}: four significant digits, so a printed LR is within half a unit of its fourth digit, 5e-4 of its value at most.
        var run = log.Build(Math.Max(last, log.LastLossStep), tags, 0, hint, 5e-4);
        var meta = run.Metadata with { BatchSize = batch, Optimizer = optimizer };
        return run with { Metadata = meta };
    }
}
