using System.Globalization;
using System.Text.Json;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The documented generic run formats (docs/RUN-FORMATS.md): CSV with a <c>step,loss[,lr][,split]</c>
/// header and optional leading <c># key: value</c> metadata lines, and JSONL with one object per line
/// and an optional first line <c>{"meta": {...}}</c>. The loss at step s is after s updates; the lr at
/// step s is eta_s, the LR of update s. LRs at every step 1..S are used as given; LRs at some steps
/// need a schedule spec (metadata <c>schedule</c>, or <see cref="RunReadOptions.Schedule"/>) and are
/// checked against it; no LR and no schedule is an error. A resumed run appended to its log (the steps jump back to a step
/// already logged) keeps the later write of each step (<see cref="LaterWins"/>; tags <c>resumes</c>, <c>resumeConflicts</c>).
/// </summary>
public static class GenericRunReader
{
    /// <summary>A data row, before assembly.</summary>
    internal readonly record struct Row(int Step, double? Loss, double? Lr, LossSplit Split, string Where);

    /// <summary>
    /// Reads a generic CSV run log: optional leading <c># key: value</c> metadata lines, then a header with
    /// <c>step</c> and <c>loss</c> and optionally <c>lr</c> and <c>split</c> (<c>train</c> or <c>val</c>).
    /// </summary>
    /// <exception cref="RunFormatException">The file cannot be read or breaks the format; the message names the line.</exception>
    public static TrainingRun ReadCsv(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        var csv = CsvText.Read(path, allowComments: true);
        var meta = new List<(string Key, string Value, string Where)>();
        foreach (var (line, text) in csv.Comments)
        {
            int colon = text.IndexOf(':');
            if (colon <= 0) continue; // a plain comment
            meta.Add((text[..colon].Trim(), text[(colon + 1)..].Trim(), line.ToString(CultureInfo.InvariantCulture)));
        }
        var c = csv.Require("step", "loss");
        int cLr = csv.Column("lr"), cSplit = csv.Column("split");
        var rows = new List<Row>(csv.Rows.Count);
        foreach (var (line, f) in csv.Rows)
        {
            string where = line.ToString(CultureInfo.InvariantCulture);
            int step = RunAssembly.CheckStep(path, where, csv.Number(line, f, c[0], "step"), options.MaxStep);
            double loss = csv.Number(line, f, c[1], "loss");
            double? lr = cLr >= 0 && f[cLr].Length > 0 ? csv.Number(line, f, cLr, "lr") : null;
            var split = LossSplit.Train;
            if (cSplit >= 0)
                split = RunAssembly.ParseSplit(f[cSplit]) ?? throw new RunFormatException(path, line, $"unknown split '{f[cSplit]}' (train or val).");
            rows.Add(new Row(step, loss, lr, split, where));
        }
        return Assemble(path, meta, rows, options, "line");
    }

    /// <summary>
    /// Reads a JSONL run log: one object per line, after an optional first line <c>{"meta": {...}}</c> with the run's metadata.
    /// Nested objects are flattened with <c>/</c> (<c>{"train": {"loss": x}}</c> is <c>train/loss</c>). The keys are resolved for
    /// the whole file as for the CSV exports: the step, training loss and LR keys named in <paramref name="options"/>
    /// (<see cref="RunReadOptions.StepColumn"/>, <see cref="RunReadOptions.LossColumn"/>, <see cref="RunReadOptions.LrColumn"/>),
    /// else the first of <see cref="MetricNames"/>' lists that some line has (so <c>step</c>/<c>loss</c>/<c>lr</c>, nanoGPT's
    /// <c>iter</c>/<c>train/loss</c>/<c>val/loss</c>/<c>lr</c>, Lightning's <c>trainer/global_step</c>/<c>train_loss</c>); the
    /// validation loss is the first of <see cref="MetricNames.ValidationLoss"/> (or the named loss key, when it is one of them).
    /// A <c>split</c> key (<c>train</c> or <c>val</c>) sets the split of the training-loss key's value on its line. A line with
    /// none of the loss and LR keys is skipped; a line at step 0 (the model before training) too.
    /// </summary>
    /// <exception cref="RunFormatException">The file cannot be read or breaks the format; the message names the line.</exception>
    public static TrainingRun ReadJsonl(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        string[] lines;
        try
        {
            lines = BoundedText.ReadAllText(path).Split('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, 0, $"cannot read the file: {e.Message}", e);
        }
        // Only the values of keys that can be chosen are kept; every key is listed for the errors.
        var wanted = new HashSet<string>(MetricNames.Steps.Concat(MetricNames.TrainLoss).Concat(MetricNames.ValidationLoss).Concat(MetricNames.Lr), StringComparer.Ordinal) { "split" };
        foreach (string? option in (string?[])[options.StepColumn, options.LossColumn, options.LrColumn])
            if (option is not null) wanted.Add(option);
        var meta = new List<(string, string, string)>();
        // The chosen keys' values of every line, in one list (a line: a range of it), to keep a long log's memory and time low.
        var records = new List<(int Line, int Start, int Count)>();
        var cells = new List<(string Key, Cell Value)>();
        var seen = new List<string>();
        var seenSet = new HashSet<string>(StringComparer.Ordinal);
        bool any = false;
        for (int i = 0; i < lines.Length; i++)
        {
            using var doc = ParseLine(path, lines, i, out string where);
            if (doc is null) continue;
            var obj = doc.RootElement;
            if (obj.TryGetProperty("meta", out var m))
            {
                if (any) throw new RunFormatException(path, where, "the {\"meta\": ...} line must be the first line.");
                if (m.ValueKind != JsonValueKind.Object) throw new RunFormatException(path, where, "meta must be an object.");
                foreach (var p in m.EnumerateObject())
                    meta.Add((p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), where));
                any = true;
                continue;
            }
            any = true;
            int start = cells.Count;
            foreach (var (key, value) in Flatten(obj, ""))
            {
                if (seenSet.Add(key)) seen.Add(key);
                if (wanted.TryGetValue(key, out string? interned)) cells.Add((interned, Cell.Of(value)));
            }
            records.Add((i, start, cells.Count - start));
        }
        if (!any) throw new RunFormatException(path, 1, "the file is empty.");
        var rows = new List<Row>(records.Count);
        if (records.Count == 0) return Assemble(path, meta, rows, options, "line");

        string first = (records[0].Line + 1).ToString(CultureInfo.InvariantCulture);
        string keysSeen = CsvText.ShowHeader(seen, ", ", quoted: true);
        var keys = HistoryKeys.Choose(options, seenSet,
            (what, name) => new RunFormatException(path, first, $"--{what}-column: no key '{name}' in any line (keys seen: {keysSeen})."),
            what => new RunFormatException(path, first, $"no {what} key among the keys seen ({keysSeen}): name it with --{what}-column."));
        var (stepKey, trainKey, valKey, lrKey) = keys;
        if (stepKey != "step" || trainKey is not (null or "loss") || valKey is not null || lrKey is not (null or "lr"))
            meta.Add(("keys", keys.ToString(), first));

        foreach (var (line, start, count) in records)
        {
            string where = (line + 1).ToString(CultureInfo.InvariantCulture);
            bool Find(string? key, out Cell c)
            {
                c = default;
                if (key is null) return false;
                for (int j = start + count - 1; j >= start; j--) // a repeated key: its last value
                    if (ReferenceEquals(cells[j].Key, key) || cells[j].Key == key) { c = cells[j].Value; return true; }
                return false;
            }
            double? Value(string? key, bool nullIsNaN)
            {
                if (!Find(key, out var c) || (c.Kind == JsonValueKind.Null && !nullIsNaN)) return null;
                return c.Number(path, where, key!);
            }
            // null: a non-finite loss under the format's own key "loss" (documented), but "not logged at this step" under any other key, as
            // an empty CSV cell is: a W&B history written by pandas (to_json(lines=True)) has null wherever a metric was not logged.
            double? train = Value(trainKey, trainKey == "loss"), val = Value(valKey, false), lr = Value(lrKey, false);
            if (train is null && val is null && lr is null) continue;
            if (!Find(stepKey, out var st))
            {
                using var doc = ParseLine(path, lines, line, out _)!;
                throw new RunFormatException(path, where, $"missing \"{stepKey}\" (keys: {CsvText.ShowHeader(Flatten(doc.RootElement, "").Select(kv => kv.Key), ", ", quoted: true)}).");
            }
            int step = RunAssembly.CheckStep(path, where, st.Number(path, where, stepKey), options.MaxStep, allowZero: true);
            if (step == 0) continue; // the model before training: no step of the run
            var split = LossSplit.Train;
            if (Find("split", out var sp))
            {
                if (sp.Text is not { } text) throw new RunFormatException(path, where, "split must be a string.");
                split = RunAssembly.ParseSplit(text) ?? throw new RunFormatException(path, where, $"unknown split '{text}' (train or val).");
            }
            if (train is not null || lr is not null) rows.Add(new Row(step, train, lr, split, where));
            if (val is not null) rows.Add(new Row(step, val, null, LossSplit.Validation, where));
        }
        return Assemble(path, meta, rows, options, "line");
    }

    /// <summary>A JSONL value kept for reading: its number (<see cref="JsonText.TryNumber"/>), its text when a string, and what it is.</summary>
    private readonly record struct Cell(JsonValueKind Kind, bool IsNumber, double Value, string? Text, string Description)
    {
        public static Cell Of(JsonElement e)
        {
            bool ok = JsonText.TryNumber(e, out double x);
            return new(e.ValueKind, ok, x, e.ValueKind == JsonValueKind.String ? e.GetString() : null, ok ? "" : JsonText.Describe(e));
        }

        public double Number(string path, string where, string key) =>
            IsNumber ? Value : throw new RunFormatException(path, where, $"\"{key}\": expected a number, found {Description}.");
    }

    /// <summary>Line <paramref name="i"/>, a JSON object (the caller disposes it); null for a blank line.</summary>
    private static JsonDocument? ParseLine(string path, string[] lines, int i, out string where)
    {
        string text = lines[i].Trim();
        where = (i + 1).ToString(CultureInfo.InvariantCulture);
        if (text.Length == 0) return null;
        var doc = JsonText.Parse(path, text, $"{where}:");
        if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
        string found = JsonText.Describe(doc.RootElement);
        doc.Dispose();
        throw new RunFormatException(path, where, $"expected a JSON object, found {found}.");
    }

    /// <summary>An object's leaves, nested objects flattened with <c>/</c> (<c>{"train": {"loss": x}}</c>: <c>train/loss</c>).</summary>
    private static IEnumerable<KeyValuePair<string, JsonElement>> Flatten(JsonElement o, string prefix)
    {
        foreach (var p in o.EnumerateObject())
        {
            string key = prefix + p.Name;
            if (p.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var leaf in Flatten(p.Value, key + "/")) yield return leaf;
            }
            else
            {
                yield return new(key, p.Value);
            }
        }
    }

    internal static TrainingRun Assemble(string path, List<(string Key, string Value, string Where)> metaItems, List<Row> rows, RunReadOptions options, string unit)
    {
        if (!rows.Any(r => r.Loss is not null)) throw new RunFormatException(path, metaItems.Count > 0 ? metaItems[^1].Where : "1", "no loss rows.");
        var tags = new Dictionary<string, string>();
        string name = Path.GetFileNameWithoutExtension(path);
        double? parameters = null, tokensPerStep = null, totalTokens = null;
        int? batch = null, seqLen = null, steps = null;
        string? optimizer = null, schedule = null;
        string scheduleWhere = "0";
        bool batchLosses = false;
        foreach (var (key, value, where) in metaItems)
        {
            string k = key.Replace("-", "_").ToLowerInvariant();
            switch (k)
            {
                case "name": name = value; break;
                case "params" or "parameters" or "n": parameters = PositiveMeta(path, where, key, value); break;
                case "tokens_per_step": tokensPerStep = PositiveMeta(path, where, key, value); break;
                case "total_tokens": totalTokens = PositiveMeta(path, where, key, value); break;
                case "batch_size": batch = IntMeta(path, where, key, value, int.MaxValue); break;
                case "sequence_length" or "seq_len": seqLen = IntMeta(path, where, key, value, int.MaxValue); break;
                case "steps": steps = IntMeta(path, where, key, value, options.MaxStep); break;
                case "optimizer": optimizer = value; break;
                case "train_losses":
                    // "batch": the training losses are single minibatches (an import of a trainer_state.json, an llm.c or a speedrun
                    // log), judged for divergence on their trailing median (RunAssembly.MedianDivergence) as their own readers do.
                    batchLosses = value.Trim().ToLowerInvariant() switch
                    {
                        "batch" => true,
                        "mean" => false,
                        _ => throw new RunFormatException(path, where, $"train_losses must be 'batch' (single-batch losses) or 'mean', found '{value}'."),
                    };
                    tags["trainLosses"] = batchLosses ? "batch" : "mean";
                    break;
                case "schedule": schedule = value; scheduleWhere = where; break;
                default: tags[key] = value; break;
            }
        }
        // The file's own spec names a table's file relative to the file's folder (import writes its LR file beside the run file).
        string? scheduleFolder = schedule is not null ? Path.GetDirectoryName(Path.GetFullPath(path)) : null;
        schedule ??= options.Schedule;

        // Order and repeats (docs/RUN-FORMATS.md, "Resumed runs"). Within a segment steps never go back (rows of several splits may
        // share a step). A jump back to a step already logged is a restart: a run resumed from its last checkpoint appends to the log
        // and rewrites the steps after that checkpoint, so from there a (step, split) loss or a step's LR written again keeps the later
        // write (LaterWins, the rule of the text logs), counted in resumeConflicts when the value differs. A jump back to a step never
        // logged is no such restart (rows out of order, logs concatenated in the wrong order): an error. Without a restart in between,
        // a second loss at one step is a duplicate (two values per step, a loss logged per micro-batch?), except a branch point.
        var losses = new Dictionary<(int Step, LossSplit Split), (double Value, string Where)>();
        var loggedLr = new Dictionary<int, (double Value, string Where)>();
        var segmentOf = new Dictionary<(int Step, LossSplit? Split), int>(); // the segment of each key's last write (LR: Split null)
        var loggedSteps = new HashSet<int>();
        var repeats = new HashSet<string>();
        int prevStep = 0, lastStep = 0, segment = 0, conflicts = 0;
        string atPrefix = unit == "line" ? "line " : "";
        foreach (var r in rows)
        {
            if (r.Step < prevStep)
            {
                if (!loggedSteps.Contains(r.Step))
                    throw new RunFormatException(path, r.Where,
                        $"steps are not sorted ({r.Step} after {prevStep}): step {r.Step} was not logged before, so this is no resumed run (a run resumed from a checkpoint logs again from a step it had logged).");
                segment++;
            }
            prevStep = r.Step;
            lastStep = Math.Max(lastStep, r.Step);
            loggedSteps.Add(r.Step);
            if (r.Loss is { } loss)
            {
                var key = (r.Step, r.Split);
                if (losses.TryGetValue(key, out var p) && segmentOf[key] == segment)
                {
                    // A Hägele-style branch point: a cooldown branch appended to its parent starts with the parent's
                    // checkpoint, logging the same loss at the branch step again (up to 1e-6 relative, float32 round trip).
                    // The repeat is dropped; any other value at the same step is a duplicate.
                    if (!(Math.Abs(loss - p.Value) <= 1e-6 * Math.Abs(p.Value)))
                        throw new RunFormatException(path, r.Where, $"step {r.Step} is duplicated ({RunAssembly.SplitName(r.Split)}).");
                    repeats.Add(r.Where);
                }
                else
                {
                    LaterWins.Put(losses, key, loss, r.Where, path, options, ref conflicts,
                        static k => $"the {RunAssembly.SplitName(k.Split)} loss at step {k.Step}", atPrefix);
                    segmentOf[key] = segment;
                }
            }
            if (r.Lr is { } lr)
            {
                RunAssembly.CheckLrValue(path, r.Where, lr);
                if (loggedLr.TryGetValue(r.Step, out var other) && segmentOf[(r.Step, null)] == segment && !other.Value.Equals(lr))
                    throw new RunFormatException(path, r.Where, $"step {r.Step} has lr {RunAssembly.Fmt(lr)} here and {RunAssembly.Fmt(other.Value)} at {other.Where}.");
                LaterWins.Put(loggedLr, r.Step, lr, r.Where, path, options, ref conflicts, static s => $"the learning rate at step {s}", atPrefix);
                segmentOf[(r.Step, null)] = segment;
            }
        }
        if (segment > 0)
        {
            tags[RunNote.ResumesTag] = segment.ToString(CultureInfo.InvariantCulture);
            tags[RunNote.ResumeConflictsTag] = conflicts.ToString(CultureInfo.InvariantCulture);
        }

        double[]? scheduleLrs = null;
        if (schedule is not null)
        {
            scheduleLrs = RunAssembly.EvaluateSchedule(options, schedule, path, scheduleWhere, scheduleFolder);
            if (steps is { } s0 && s0 != scheduleLrs.Length)
                throw new RunFormatException(path, scheduleWhere, $"the schedule has {scheduleLrs.Length} steps but steps = {s0}.");
        }
        int total = steps ?? scheduleLrs?.Length ?? lastStep;
        var beyond = rows.FirstOrDefault(r => r.Step > total);
        if (beyond.Where is not null)
            throw new RunFormatException(path, beyond.Where, $"step {beyond.Step} is beyond the run's {total} steps.");

        double[] lrs;
        var logged = loggedLr.Select(kv => new LoggedLr(kv.Key, kv.Value.Value, kv.Value.Where)).ToList();
        if (loggedLr.Count == total)
        {
            lrs = new double[total];
            foreach (var kv in loggedLr) lrs[kv.Key - 1] = kv.Value.Value;
            if (scheduleLrs is not null) RunAssembly.CheckLoggedLrs(path, scheduleLrs, logged, options.LrRelativeTolerance, $"the schedule {schedule}");
        }
        else if (scheduleLrs is not null)
        {
            lrs = scheduleLrs;
            RunAssembly.CheckLoggedLrs(path, lrs, logged, options.LrRelativeTolerance, $"the schedule {schedule}");
        }
        else if (options.InterpolateLr && loggedLr.Count > 0)
        {
            lrs = LrInterpolation.Fill(logged.Select(l => (l.Step, l.Lr)), total);
            tags[ReaderTags.LrFilledIn] = $"interpolated linearly between {loggedLr.Count} logged LRs";
        }
        else if (loggedLr.Count == 0)
        {
            // A log the user cannot edit (a .wandb transaction log, an export) takes its schedule through import, as the readers
            // of formats that never log an LR say (LightningCsvReader, MlflowReader); the config's peak is named where it is read.
            // A .wandb file is offered import only (it takes no 'schedule:' line) and, where its config's lr is a positive number, a
            // spec to run: a constant LR over the run's steps (the warmup and decay, which the config does not say, are the user's).
            bool wandb = string.Equals(Path.GetExtension(path), ".wandb", StringComparison.OrdinalIgnoreCase);
            string fromConfig = tags.TryGetValue("configLr", out var configLr) ? $"; the run's config gives lr = {configLr}" : "";
            string ready = wandb && double.TryParse(configLr, NumberStyles.Float, CultureInfo.InvariantCulture, out double peak) && double.IsFinite(peak) && peak > 0
                ? $" (at that LR throughout, with any warmup and decay added to the spec: hyperlaws import FILE --schedule 'constant(peak={configLr},steps={total})' --out RUN.csv)"
                : "";
            string how = wandb ? "a schedule (hyperlaws import FILE --schedule SPEC --out RUN.csv)"
                : "a schedule (metadata 'schedule: <spec>', or hyperlaws import FILE --schedule SPEC --out RUN.csv)";
            throw new RunFormatException(path, rows[0].Where, $"no learning rates: give an lr for every step 1..S, or {how}{fromConfig}{ready}.");
        }
        else
        {
            int missing = Enumerable.Range(1, total).First(s => !loggedLr.ContainsKey(s));
            throw new RunFormatException(path, rows[0].Where,
                $"lr is logged at {loggedLr.Count} of {total} steps (first missing: step {missing}); give a schedule (metadata 'schedule: <spec>', or hyperlaws import FILE --schedule SPEC --out RUN.csv) to reconstruct the others, or interpolate between the logged LRs (hyperlaws import FILE --interpolate-lr --out RUN.csv).");
        }

        var meta = new RunMetadata(name)
        {
            Parameters = parameters,
            TokensPerStep = tokensPerStep,
            BatchSize = batch,
            SequenceLength = seqLen,
            TotalTokens = totalTokens ?? (tokensPerStep is { } tps ? tps * total : null),
            Optimizer = optimizer,
            Schedule = schedule,
            Source = path,
            Tags = tags,
        };
        if (repeats.Count > 0) tags["branchPointRepeats"] = repeats.Count.ToString(CultureInfo.InvariantCulture);
        var raw = losses.Select(kv => new RawObservation(kv.Key.Step, kv.Value.Value, kv.Key.Split, kv.Value.Where));
        return batchLosses ? RunAssembly.BuildWithTrainMedian(path, meta, lrs, [.. raw], options.DivergenceFactor)
            : RunAssembly.Build(path, meta, lrs, raw, options.DivergenceFactor);
    }

    private static double PositiveMeta(string path, string where, string key, string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x) || x <= 0)
            throw new RunFormatException(path, where, $"{key} must be a positive number, found '{value}'.");
        return x;
    }

    private static int IntMeta(string path, string where, string key, string value, long max)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || x != Math.Floor(x) || x < 1 || x > max)
            throw new RunFormatException(path, where, $"{key} must be a whole number in 1..{max}, found '{value}'.");
        return (int)x;
    }
}
