using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The Hugging Face Trainer's <c>trainer_state.json</c> (transformers' <c>TrainerState.save_to_json</c>): a JSON object with
/// <c>global_step</c>, <c>max_steps</c>, optionally <c>logging_steps</c> and <c>train_batch_size</c>, and <c>log_history</c>, a
/// list of the dictionaries the Trainer logged (<c>{"loss", "learning_rate", "grad_norm", "epoch", "step"}</c> every
/// <c>logging_steps</c> updates, <c>{"eval_loss", ..., "step"}</c> at each evaluation, a closing <c>{"train_runtime", ...}</c>).
/// One file is one run. Conventions, from the Trainer's training loop (<c>_inner_training_loop</c> and
/// <c>_maybe_log_save_evaluate</c>: the optimizer and scheduler step, <c>global_step += 1</c>, then the log) and checked on
/// the bundled real files (tests/HyperLaws.Readers.Tests/TestData/hf_trainer_state):
/// <list type="bullet">
/// <item><c>step</c> is <c>global_step</c> at the time of the log: the number of optimizer updates done.</item>
/// <item><c>learning_rate</c> logged at step k is <c>lr_scheduler.get_last_lr()</c> after k scheduler steps: the LR that
/// update k + 1 will use, eta_{k+1} (a linear warmup of W steps logs lr/W at step 1, and a linear decay logs 0 at its last
/// step). The file has no schedule (that is in <c>training_args.bin</c>), so the LR of every step 1..S
/// (S = <c>global_step</c>) is interpolated linearly between the logged ones (<see cref="LrInterpolation"/>: the first
/// logged LR held before it, so eta_1 is eta_2); the run's tag <c>lr</c> says so. A schedule spec
/// (<see cref="RunReadOptions.Schedule"/>) wins: its LRs are used and every logged LR is checked against it.</item>
/// <item><c>loss</c> logged at step k is the mean training loss of the updates since the previous training log p
/// (updates p + 1..k), each computed before its update, that is after j = p..k - 1 updates. It becomes the observation at
/// step floor((p + k - 1) / 2), the middle of that window rounded down (the mean of a decreasing convex curve over a window
/// equals its value before the window's middle). With <c>logging_steps = 1</c> this is step k - 1, as the W&amp;B reader
/// does. A loss that lands at step 0 (the untrained model's, logged at step 1) is not a point of the curve: it goes to the
/// tag <c>initialLoss</c>.</item>
/// <item><c>eval_loss</c> (or any <c>eval_*loss</c> key, one per evaluation data set) logged at step k is evaluated after
/// k updates: a validation observation at step k. The loss key is <c>loss</c> unless <see cref="RunReadOptions.LossColumn"/>
/// names another (<c>eval_loss</c>, say); the LR key is <c>learning_rate</c> unless <see cref="RunReadOptions.LrColumn"/>
/// names another.</item>
/// <item>Python's json writes <c>NaN</c> and <c>Infinity</c> as bare tokens; they are read, and a non-finite loss after a
/// finite one marks the run diverged (<see cref="RunReadOptions.DivergenceFactor"/>).</item>
/// <item>A step logged twice (logs concatenated, a run resumed from an earlier checkpoint): the entry later in the file
/// (the trajectory that continued) wins, counted in the tag <c>resumeConflicts</c>; with
/// <see cref="RunReadOptions.StrictDuplicates"/> a step logged twice with different values is an error.</item>
/// <item>The largest logged <c>epoch</c> (passes over the training data) goes to the tag <c>epochs</c>: the laws model
/// single-pass training, and <c>hyperlaws fit</c> notes a run that repeats its data.</item>
/// <item>A run folder (the Trainer's <c>output_dir</c>) is found by <see cref="FindInFolder"/> (RunReader reads it): its own
/// <c>trainer_state.json</c> (written at the end of training), else the one of its latest <c>checkpoint-N</c>
/// folder; the tag <c>checkpoint</c> names the file read.</item>
/// </list>
/// Every error names the file and the JSON path (<c>log_history[12]</c>) of the offending entry.
/// </summary>
public static partial class TrainerStateReader
{
    /// <summary>The file name the Trainer writes.</summary>
    public const string FileName = "trainer_state.json";

    /// <summary>True when the file looks like a trainer state: a .json whose first 64 KiB name <c>log_history</c> and <c>global_step</c>.</summary>
    public static bool Recognizes(string path)
    {
        if (!string.Equals(Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            using var fs = File.OpenRead(path);
            var buf = new byte[1 << 16];
            int n = fs.ReadAtLeast(buf, buf.Length, throwOnEndOfStream: false);
            string head = System.Text.Encoding.UTF8.GetString(buf, 0, n);
            return head.Contains("\"log_history\"", StringComparison.Ordinal) && head.Contains("\"global_step\"", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The trainer state of a run folder: <c>DIR/trainer_state.json</c> when present, else that of the <c>checkpoint-N</c>
    /// subfolder with the largest N; null when the folder has neither.
    /// </summary>
    public static string? FindInFolder(string dir)
    {
        string top = Path.Combine(dir, FileName);
        if (File.Exists(top)) return top;
        return LatestCheckpoint(dir);
    }

    private static string? LatestCheckpoint(string dir)
    {
        string? best = null;
        long bestN = -1;
        foreach (string sub in Directory.EnumerateDirectories(dir, "checkpoint-*"))
        {
            var m = CheckpointName().Match(Path.GetFileName(sub));
            if (!m.Success || !long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n)) continue;
            string f = Path.Combine(sub, FileName);
            if (n > bestN && File.Exists(f))
            {
                bestN = n;
                best = f;
            }
        }
        return best;
    }

    [GeneratedRegex(@"^checkpoint-(\d+)$")]
    private static partial Regex CheckpointName();

    /// <summary>Reads one trainer_state.json.</summary>
    /// <exception cref="RunFormatException">The file cannot be read or breaks the format; the message names the JSON path.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        using var doc = JsonText.ReadFile(path);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new RunFormatException(path, "$", $"expected the Trainer's state object, found {JsonText.Describe(root)}.");
        if (!root.TryGetProperty("log_history", out var history))
            throw new RunFormatException(path, "log_history", "missing: not a Hugging Face trainer_state.json, or one saved before anything was logged.");
        if (history.ValueKind != JsonValueKind.Array) throw new RunFormatException(path, "log_history", $"expected a list of logged entries, found {JsonText.Describe(history)}.");

        string lossKey = options.LossColumn ?? "loss";
        string lrKey = options.LrColumn ?? "learning_rate";
        bool eval = lossKey.StartsWith("eval_", StringComparison.Ordinal);
        if (lossKey != "loss" && !(eval && lossKey.EndsWith("loss", StringComparison.Ordinal)))
            throw new RunFormatException(path, "log_history", $"loss key '{lossKey}' is not a loss this reader knows: 'loss' (training) or an 'eval_...loss' key.");

        // Pass 1: every entry with a step; the last entry of a (step, kind) wins.
        var losses = new SortedDictionary<int, (double Loss, string Where)>();
        var lrs = new SortedDictionary<int, (double Lr, string Where)>();
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        double epochs = double.NaN;
        int conflicts = 0;
        int n = history.GetArrayLength();
        for (int i = 0; i < n; i++)
        {
            var e = history[i];
            string where = $"log_history[{i}]";
            if (e.ValueKind != JsonValueKind.Object) throw new RunFormatException(path, where, $"expected a logged entry (an object), found {JsonText.Describe(e)}.");
            foreach (var p in e.EnumerateObject()) keys.Add(p.Name);
            if (e.TryGetProperty("epoch", out var ep) && ep.ValueKind == JsonValueKind.Number && ep.TryGetDouble(out double epv) && double.IsFinite(epv))
                epochs = double.IsNaN(epochs) ? epv : Math.Max(epochs, epv);
            bool hasLoss = e.TryGetProperty(lossKey, out var lossEl);
            bool hasLr = e.TryGetProperty(lrKey, out var lrEl) && lrEl.ValueKind != JsonValueKind.Null;
            if (!hasLoss && !hasLr) continue;
            if (!e.TryGetProperty("step", out var stepEl)) throw new RunFormatException(path, where, "an entry with a loss or learning rate has no \"step\".");
            int step = RunAssembly.CheckStep(path, where, JsonText.Number(path, stepEl, $"{where}.step"), options.MaxStep, allowZero: true);
            if (hasLoss)
            {
                double loss = JsonText.Number(path, lossEl, $"{where}.{lossKey}");
                if (losses.TryGetValue(step, out var prev) && !prev.Loss.Equals(loss))
                {
                    if (options.StrictDuplicates)
                        throw new RunFormatException(path, where, $"step {step} has {lossKey} {RunAssembly.Fmt(loss)} here and {RunAssembly.Fmt(prev.Loss)} at {prev.Where}.");
                    conflicts++;
                }
                losses[step] = (loss, where);
            }
            if (hasLr)
            {
                double lr = JsonText.Number(path, lrEl, $"{where}.{lrKey}");
                RunAssembly.CheckLrValue(path, where, lr);
                if (lrs.TryGetValue(step, out var prev) && !prev.Lr.Equals(lr))
                {
                    if (options.StrictDuplicates)
                        throw new RunFormatException(path, where, $"step {step} has {lrKey} {RunAssembly.Fmt(lr)} here and {RunAssembly.Fmt(prev.Lr)} at {prev.Where}.");
                    conflicts++;
                }
                lrs[step] = (lr, where);
            }
        }
        if (losses.Count == 0)
        {
            var lossKeys = keys.Where(k => k == "loss" || (k.StartsWith("eval_", StringComparison.Ordinal) && k.EndsWith("loss", StringComparison.Ordinal))).ToList();
            throw new RunFormatException(path, "log_history",
                $"no entry logs '{lossKey}' ({n} entries; {(lossKeys.Count > 0 ? $"losses logged: {string.Join(", ", lossKeys)}" : $"keys logged: {(keys.Count > 0 ? string.Join(", ", keys) : "none")}")}).");
        }

        int lastLogged = Math.Max(losses.Keys.Max(), lrs.Count > 0 ? lrs.Keys.Max() : 0);
        int globalStep = root.TryGetProperty("global_step", out var gs)
            ? RunAssembly.CheckStep(path, "global_step", JsonText.Number(path, gs, "global_step"), options.MaxStep, allowZero: true)
            : lastLogged;
        if (lastLogged > globalStep)
            throw new RunFormatException(path, losses.Keys.Max() == lastLogged ? losses[lastLogged].Where : lrs[lastLogged].Where,
                $"step {lastLogged} is logged, beyond global_step = {globalStep} (the file is inconsistent).");
        int total = globalStep;
        if (total < 1) throw new RunFormatException(path, "global_step", "is 0: no update was done.");

        var tags = new Dictionary<string, string>
        {
            ["format"] = "hf-trainer-state",
            ["lossKey"] = lossKey,
            [RunNote.ResumeConflictsTag] = conflicts.ToString(CultureInfo.InvariantCulture),
        };
        if (OptInt(root, "max_steps") is { } maxSteps) tags["maxSteps"] = maxSteps.ToString(CultureInfo.InvariantCulture);
        if (OptInt(root, "logging_steps") is { } ls) tags["loggingSteps"] = ls.ToString(CultureInfo.InvariantCulture);
        if (OptInt(root, "train_batch_size") is { } tbs) tags["trainBatchSizePerDevice"] = tbs.ToString(CultureInfo.InvariantCulture);
        if (IsCheckpoint(path, out string? checkpoint)) tags["checkpoint"] = checkpoint!;
        if (!double.IsNaN(epochs)) tags["epochs"] = RunAssembly.Fmt(epochs);

        // Observations: training losses at the middle of their window (rounded down), eval losses at their step.
        var raw = new List<RawObservation>(losses.Count);
        int previous = 0;
        foreach (var (k, (loss, where)) in losses)
        {
            if (k == 0)
            {
                if (eval) tags["initialLoss"] = RunAssembly.Fmt(loss);
                continue;
            }
            if (eval)
            {
                raw.Add(new RawObservation(k, loss, LossSplit.Validation, where));
                continue;
            }
            int step = (previous + k - 1) / 2;
            previous = k;
            if (step == 0)
            {
                tags["initialLoss"] = RunAssembly.Fmt(loss);
                continue;
            }
            raw.Add(new RawObservation(step, loss, LossSplit.Train, where));
        }
        if (raw.Count == 0)
            throw new RunFormatException(path, losses.First().Value.Where, $"the only '{lossKey}' is the untrained model's (step 0): no point of the curve.");

        // Learning rates: logged at step k = eta_{k+1}.
        var logged = lrs.Select(kv => new LoggedLr(kv.Key + 1, kv.Value.Lr, kv.Value.Where)).ToList();
        double[] perStep;
        string? schedule = null;
        if (options.Schedule is { } spec)
        {
            perStep = RunAssembly.EvaluateSchedule(options, spec, path, "0");
            if (perStep.Length < total)
                throw new RunFormatException(path, "global_step", $"the schedule has {perStep.Length} steps but the run did {total} updates.");
            // The LR logged at the last step is that of update S + 1, beyond a schedule of S steps: not checked.
            RunAssembly.CheckLoggedLrs(path, perStep, logged.Where(l => l.Step <= perStep.Length), options.LrRelativeTolerance, $"the schedule {spec}");
            schedule = spec;
        }
        else if (logged.Count > 0)
        {
            perStep = LrInterpolation.Fill(logged.Select(l => (l.Step, l.Lr)), total + 1)[..total];
            tags[ReaderTags.LrFilledIn] = $"interpolated linearly between {logged.Count} logged LRs (the LR logged at step k is that of update k + 1)";
        }
        else
        {
            throw new RunFormatException(path, "log_history", $"no entry logs '{lrKey}': give the run's schedule to reconstruct the learning rates: hyperlaws import FILE --schedule SPEC --out RUN.csv.");
        }

        string name = RunName(path);
        var meta = new RunMetadata(name)
        {
            Schedule = schedule,
            Source = path,
            Tags = tags,
        };
        if (eval) return RunAssembly.Build(path, meta, perStep, raw, options.DivergenceFactor);
        tags["trainLosses"] = "batch"; // `import` writes '# train_losses: batch' so the run file keeps the median rule
        // Training losses: the factor rule on the trailing median (non-finite losses still mark divergence at once).
        return RunAssembly.Build(path, meta, perStep, raw, double.PositiveInfinity, RunAssembly.MedianDivergence(raw, options.DivergenceFactor));
    }

    /// <summary>Logged training losses the divergence rule looks at together (the trailing median's window).</summary>
    public const int DivergenceWindow = RunAssembly.DivergenceWindow;

    private static int? OptInt(JsonElement root, string key) =>
        root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double x)
        && double.IsFinite(x) && x == Math.Floor(x) && x >= 0 && x <= int.MaxValue ? (int)x : null;

    private static bool IsCheckpoint(string path, out string? checkpoint)
    {
        string? parent = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)));
        checkpoint = parent is not null && CheckpointName().IsMatch(parent) ? $"{parent}/{Path.GetFileName(path)}" : null;
        return checkpoint is not null;
    }

    /// <summary>The run's name: the file's name, or for a file named trainer_state.json its folder's (the run folder's for a checkpoint).</summary>
    private static string RunName(string path)
    {
        if (!string.Equals(Path.GetFileName(path), FileName, StringComparison.OrdinalIgnoreCase)) return Path.GetFileNameWithoutExtension(path);
        string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "";
        string folder = Path.GetFileName(dir);
        if (CheckpointName().IsMatch(folder))
        {
            string runFolder = Path.GetFileName(Path.GetDirectoryName(dir) ?? "");
            return runFolder.Length > 0 ? $"{runFolder}/{folder}" : folder;
        }
        return folder.Length > 0 ? folder : Path.GetFileNameWithoutExtension(path);
    }
}
