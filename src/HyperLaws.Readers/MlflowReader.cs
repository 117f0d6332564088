using System.Globalization;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// MLflow's file store (the default <c>./mlruns</c> tracking URI; <c>mlflow/store/tracking/file_store.py</c>): a root folder of
/// experiments <c>mlruns/&lt;experiment_id&gt;/meta.yaml</c>, each holding run folders <c>&lt;run_id&gt;/</c> with a <c>meta.yaml</c>
/// (<c>run_id:</c>, <c>run_name:</c>, ...), <c>metrics/&lt;key&gt;</c> (one file per metric; a key with <c>/</c> is a sub-folder),
/// <c>params/&lt;key&gt;</c> (the value as text) and <c>tags/&lt;key&gt;</c>. A metric file has one line per logged value,
/// <c>TIMESTAMP VALUE STEP</c> (milliseconds since the epoch, Python's <c>str(float)</c>, the integer step; files of MLflow before
/// 1.0 have no step: 0). MLflow gives the step no meaning: the producer does.
/// <list type="bullet">
/// <item>The Hugging Face Trainer's <c>MLflowCallback</c> (recognised by its <c>TrainingArguments</c> in <c>params/</c>:
/// <c>lr_scheduler_type</c> and <c>logging_steps</c>) logs <c>on_log</c>'s dictionary with <c>step=state.global_step</c>, the same
/// entries as <c>trainer_state.json</c>'s <c>log_history</c>: the conventions of <see cref="TrainerStateReader"/> apply
/// (<c>loss</c> at k: the mean over the window since the previous log, at floor((p + k - 1)/2); <c>learning_rate</c> at k:
/// eta_{k+1}; <c>eval_loss</c> at k: after k updates). Its <c>train_loss</c> is the summary of the whole run logged once at the end
/// (beside <c>train_runtime</c>), not a curve, and is not read. The run's length S is the step of that summary (the last
/// <c>global_step</c>), else the last logged step. The schedule is rebuilt from the params when <c>lr_scheduler_type</c> is
/// <c>linear</c>, <c>cosine</c>, <c>constant</c> or <c>constant_with_warmup</c>: transformers' <c>get_*_schedule_with_warmup</c>
/// with <c>learning_rate</c>, <c>warmup_steps</c> (else ceil(<c>warmup_ratio</c> x total)) and <c>max_steps</c> (else S), indexed
/// from 0 (update k has the scheduler's LR after k - 1 steps: the spec's <c>offset=1</c>); it is checked against every logged
/// <c>learning_rate</c>. Without it, the logged LRs are interpolated as for trainer_state.json.</item>
/// <item>Any other producer (<c>mlflow.log_metric(key, value, step=...)</c> by hand, Lightning's <c>MLFlowLogger</c>, ...): the
/// generic conventions of docs/RUN-FORMATS.md: the value at step s is the loss after s updates, the LR at s is eta_s (interpolated
/// between logged steps); check them against the producer's code. A metric logged only at step 0 on every line (<c>log_metric</c>
/// without <c>step=</c>) has no step axis and is refused.</item>
/// </list>
/// The training loss is the first metric of <see cref="TrainKeys"/> (or <see cref="RunReadOptions.LossColumn"/>), the validation loss the first
/// of <see cref="ValidationKeys"/>, the LR <c>learning_rate</c>, <c>lr</c>, <c>train/lr</c>, <c>lr-*</c> (Lightning's
/// <c>LearningRateMonitor</c>) or <see cref="RunReadOptions.LrColumn"/>; <see cref="RunReadOptions.Schedule"/> overrides every LR.
/// A step logged twice keeps the later line (tag <c>resumeConflicts</c>). Errors name the metric file and its 1-based line
/// (<c>.../metrics/loss:12: value 'x' is not a number.</c>), or, for what is found once the run is assembled (a negative loss, an LR
/// against the schedule), the run folder and <c>metrics/KEY:LINE</c>.
/// </summary>
public static class MlflowReader
{
    /// <summary>Training-loss metric keys, in order of preference.</summary>
    public static readonly IReadOnlyList<string> TrainKeys = ["loss", "train/loss", "train_loss_step", "train_loss", "training_loss", "train/lm_loss", "lm_loss"];

    /// <summary>Validation-loss metric keys, in order of preference.</summary>
    public static readonly IReadOnlyList<string> ValidationKeys = ["eval_loss", "eval/loss", "val_loss", "val/loss", "validation_loss", "valid_loss", "val_loss_epoch"];

    private static readonly string[] LrKeys = ["learning_rate", "lr", "train/lr", "train/learning_rate"];

    /// <summary>The most lines a metric file may have (a run logged at every step of 1e9 would still be refused by MaxStep).</summary>
    private const int MaxLines = 10_000_000;

    /// <summary>True when the folder is an MLflow run folder: a <c>meta.yaml</c> naming a <c>run_id</c> (or <c>run_uuid</c>) beside a <c>metrics</c> folder.</summary>
    public static bool IsRunFolder(string dir) =>
        File.Exists(Path.Combine(dir, "meta.yaml")) && Directory.Exists(Path.Combine(dir, "metrics"))
        && (Meta(dir, "run_id") ?? Meta(dir, "run_uuid")) is not null;

    /// <summary>
    /// The run folders of <paramref name="dir"/>: itself when it is one, else those of an experiment folder (its subfolders), else
    /// those of an mlruns root (its experiments' subfolders; <c>.trash</c> skipped). Sorted; empty when it is none of these.
    /// </summary>
    public static IReadOnlyList<string> FindRuns(string dir)
    {
        if (IsRunFolder(dir)) return [dir];
        try
        {
            var direct = Subfolders(dir).Where(IsRunFolder).ToList();
            if (direct.Count > 0) return direct;
            return [.. Subfolders(dir).Where(d => Path.GetFileName(d) != ".trash" && File.Exists(Path.Combine(d, "meta.yaml")))
                .SelectMany(e => Subfolders(e).Where(IsRunFolder))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static IEnumerable<string> Subfolders(string dir) => Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal);

    /// <summary>Reads one MLflow run folder.</summary>
    /// <exception cref="RunFormatException">A file of the run cannot be read or breaks the format; the message names it and the line.</exception>
    public static TrainingRun Read(string runDir, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        string metricsDir = Path.Combine(runDir, "metrics");
        if (!IsRunFolder(runDir)) throw new RunFormatException(runDir, "0", "not an MLflow run folder (no meta.yaml with run_id beside a metrics folder).");
        SortedSet<string> keys;
        Dictionary<string, string> p;
        try
        {
            keys = MetricKeys(metricsDir);
            p = Params(runDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(runDir, "0", $"cannot be read: {e.Message}", e);
        }
        bool hf = p.ContainsKey("lr_scheduler_type") && p.ContainsKey("logging_steps");

        string? trainKey, valKey;
        if (options.LossColumn is { } named)
        {
            if (!keys.Contains(named)) throw new RunFormatException(Path.Combine(metricsDir, named), "0", $"no such metric (metrics logged: {List(keys)}).");
            bool isVal = ValidationKeys.Contains(named) || named.StartsWith("eval", StringComparison.Ordinal) || named.StartsWith("val", StringComparison.Ordinal);
            trainKey = isVal ? null : named;
            valKey = isVal ? named : null;
        }
        else
        {
            // The Trainer's train_loss is its end-of-training summary (logged with train_runtime), not a curve.
            trainKey = TrainKeys.FirstOrDefault(k => keys.Contains(k) && !(k == "train_loss" && keys.Contains("train_runtime")));
            valKey = ValidationKeys.FirstOrDefault(keys.Contains);
        }
        if (trainKey is null && valKey is null)
            throw new RunFormatException(metricsDir, "0", $"no loss metric ({string.Join(", ", TrainKeys.Concat(ValidationKeys))}) among the metrics logged: {List(keys)}; name one with --loss-column.");
        string? lrKey = options.LrColumn ?? LrKeys.FirstOrDefault(keys.Contains) ?? keys.FirstOrDefault(k => k.StartsWith("lr-", StringComparison.Ordinal));

        int conflicts = 0;
        SortedDictionary<int, (double Value, string Where)> Series(string? key)
        {
            if (key is null) return [];
            var (series, lines, dup) = Metric(metricsDir, key, options);
            conflicts += dup;
            if (series.Count == 0) throw new RunFormatException(Path.Combine(metricsDir, key), "0", "the metric file is empty.");
            if (lines > 1 && series.Keys.Max() == 0)
                throw new RunFormatException(Path.Combine(metricsDir, key), "1",
                    $"every one of its {lines} lines is at step 0: the values were logged without step= (mlflow.log_metric(key, value, step=...)), so they have no step axis.");
            return series;
        }
        var train = Series(trainKey);
        var val = Series(valKey);
        var lrs = Series(lrKey);

        int? summaryStep = hf && keys.Contains("train_runtime") ? Metric(metricsDir, "train_runtime", options).Series.Keys.DefaultIfEmpty(0).Max() : null;
        int lastLogged = new[] { train, val, lrs }.Where(s => s.Count > 0).Max(s => s.Keys.Max());
        int total = summaryStep is { } ss && ss >= lastLogged ? ss : lastLogged;
        if (total < 1) throw new RunFormatException(metricsDir, "0", "no update is logged (only step 0).");

        var tags = new Dictionary<string, string>
        {
            ["format"] = "mlflow",
            ["producer"] = hf ? "hf-trainer" : "generic",
            [RunNote.ResumeConflictsTag] = conflicts.ToString(CultureInfo.InvariantCulture),
        };
        if (trainKey is not null) tags["trainLossKey"] = trainKey;
        if (valKey is not null) tags["validationLossKey"] = valKey;
        if (lrKey is not null) tags["lrKey"] = lrKey;
        if (Meta(runDir, "run_id") is { } id) tags["runId"] = id;
        if (hf && p.TryGetValue("per_device_train_batch_size", out string? bs)) tags["trainBatchSizePerDevice"] = bs;

        var raw = new List<RawObservation>();
        int previous = 0;
        foreach (var (k, (loss, where)) in train)
        {
            if (!hf)
            {
                if (k == 0) tags["initialLoss"] = RunAssembly.Fmt(loss);
                else raw.Add(new RawObservation(k, loss, LossSplit.Train, where));
                continue;
            }
            if (k == 0) continue; // the Trainer logs no training loss at step 0
            int step = (previous + k - 1) / 2; // the window mean at the window's middle (TrainerStateReader)
            previous = k;
            if (step == 0) tags["initialLoss"] = RunAssembly.Fmt(loss);
            else raw.Add(new RawObservation(step, loss, LossSplit.Train, where));
        }
        foreach (var (k, (loss, where)) in val)
        {
            if (k == 0) tags["initialValLoss"] = RunAssembly.Fmt(loss);
            else raw.Add(new RawObservation(k, loss, LossSplit.Validation, where));
        }
        if (raw.Count == 0) throw new RunFormatException(metricsDir, "0", "the only losses logged are at step 0: no point of the curve.");

        // LRs: the Trainer's learning_rate at k is eta_{k+1}; a generic producer's LR at s is eta_s.
        var logged = lrs.Where(kv => hf || kv.Key > 0).Select(kv => new LoggedLr(hf ? kv.Key + 1 : kv.Key, kv.Value.Value, kv.Value.Where)).ToList();
        foreach (var l in logged) RunAssembly.CheckLrValue(runDir, l.Where, l.Lr);
        string? spec = options.Schedule ?? (hf ? HfSchedule(p, total) : null);
        double[] perStep;
        if (spec is not null)
        {
            perStep = RunAssembly.EvaluateSchedule(options, spec, options.Schedule is null ? Path.Combine(runDir, "params") : runDir, "0");
            if (perStep.Length < total) throw new RunFormatException(runDir, "0", $"the schedule {spec} has {perStep.Length} steps but the run logs {total}.");
            if (lrKey is not null)
                RunAssembly.CheckLoggedLrs(runDir, perStep, logged.Where(l => l.Step <= perStep.Length), options.LrRelativeTolerance, $"the schedule {spec}");
            if (options.Schedule is null) tags[ReaderTags.LrFilledIn] = "rebuilt from the Trainer's params (learning_rate, lr_scheduler_type, warmup, max_steps)";
        }
        else if (logged.Count > 0)
        {
            perStep = LrInterpolation.Fill(logged.Select(l => (l.Step, l.Lr)), total + 1)[..total];
            tags[ReaderTags.LrFilledIn] = $"interpolated linearly between {logged.Count} logged LRs";
        }
        else
        {
            throw new RunFormatException(metricsDir, "0", $"no learning rate is logged (no {string.Join(", ", LrKeys)} or lr-* metric) and no schedule can be rebuilt from the params: give the run's schedule: hyperlaws import RUN_FOLDER --schedule SPEC --out RUN.csv.");
        }

        var meta = new RunMetadata(RunName(runDir))
        {
            Schedule = spec,
            Source = runDir,
            Tags = tags,
        };
        if (!hf) return RunAssembly.Build(runDir, meta, perStep, raw, options.DivergenceFactor);
        tags["trainLosses"] = "batch";
        return RunAssembly.BuildWithTrainMedian(runDir, meta, perStep, raw, options.DivergenceFactor);
    }

    /// <summary>
    /// The schedule spec of the Trainer's params: transformers' <c>get_scheduler(lr_scheduler_type, num_warmup_steps, num_training_steps)</c>
    /// with <c>TrainingArguments.get_warmup_steps</c> (warmup_steps if &gt; 0, else ceil(warmup_ratio x total)); null for another type.
    /// </summary>
    private static string? HfSchedule(Dictionary<string, string> p, int lastStep)
    {
        if (!p.TryGetValue("learning_rate", out string? lrText) || !double.TryParse(lrText, NumberStyles.Float, CultureInfo.InvariantCulture, out double peak)) return null;
        int maxSteps = p.TryGetValue("max_steps", out string? ms) && int.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out int m) ? m : -1;
        int total = maxSteps > 0 ? maxSteps : lastStep;
        int warmup = p.TryGetValue("warmup_steps", out string? ws) && int.TryParse(ws, NumberStyles.Integer, CultureInfo.InvariantCulture, out int w) ? w : 0;
        if (warmup <= 0 && p.TryGetValue("warmup_ratio", out string? wr) && double.TryParse(wr, NumberStyles.Float, CultureInfo.InvariantCulture, out double ratio) && ratio > 0)
            warmup = (int)Math.Ceiling(total * ratio);
        string family = p["lr_scheduler_type"].Trim() switch
        {
            "linear" => "linear",
            "cosine" => "cosine",
            "constant" => "constant",
            "constant_with_warmup" => "constant",
            _ => "",
        };
        if (family.Length == 0 || total < 1 || warmup < 0 || warmup > total) return null;
        if (p["lr_scheduler_type"].Trim() == "constant") warmup = 0;
        string Inv(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        return $"{family}(peak={Inv(peak)},warmup={warmup},steps={total},offset=1)";
    }

    /// <summary>The metric keys of a run: file paths under metrics/ relative to it, with '/'.</summary>
    private static SortedSet<string> MetricKeys(string metricsDir)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string f in Directory.EnumerateFiles(metricsDir, "*", SearchOption.AllDirectories))
            keys.Add(Path.GetRelativePath(metricsDir, f).Replace(Path.DirectorySeparatorChar, '/'));
        return keys;
    }

    /// <summary>One metric file: step -> (value, line), a step logged twice keeping the later line; its non-blank lines; the steps logged twice with different values.</summary>
    private static (SortedDictionary<int, (double Value, string Where)> Series, int Lines, int Conflicts) Metric(string metricsDir, string key, RunReadOptions options)
    {
        string path = Path.Combine(metricsDir, key.Replace('/', Path.DirectorySeparatorChar));
        if (!File.Exists(path)) throw new RunFormatException(path, "0", $"no such metric file (metric '{key}').");
        var series = new SortedDictionary<int, (double Value, string Where)>();
        int n = 0, lines = 0, conflicts = 0;
        try
        {
            using var r = new StreamReader(path);
            foreach (string raw in BoundedText.Lines(r, path, "an MLflow metric file"))
            {
                n++;
                if (n > MaxLines) throw new RunFormatException(path, n, $"more than {MaxLines} lines.");
                string line = raw.Trim();
                if (line.Length == 0) continue;
                lines++;
                string where = $"metrics/{key}:{n.ToString(CultureInfo.InvariantCulture)}"; // for errors found once the run is assembled, named from the run folder
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length is < 2 or > 3)
                    throw new RunFormatException(path, n, $"not an MLflow metric line (expected 'TIMESTAMP VALUE STEP'): '{TextLog.Clip(line)}'.");
                if (!long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                    throw new RunFormatException(path, n, $"timestamp '{TextLog.Clip(parts[0])}' is not a whole number of milliseconds.");
                double value = TextLog.Number(parts[1]) ?? throw new RunFormatException(path, n, $"value '{TextLog.Clip(parts[1])}' is not a number.");
                double s = 0;
                if (parts.Length == 3 && !double.TryParse(parts[2], NumberStyles.Integer | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out s))
                    throw new RunFormatException(path, n, $"step '{TextLog.Clip(parts[2])}' is not a whole number.");
                int step = RunAssembly.CheckStep(path, n.ToString(CultureInfo.InvariantCulture), s, options.MaxStep - 1, allowZero: true);
                if (series.TryGetValue(step, out var prev) && !prev.Value.Equals(value))
                {
                    if (options.StrictDuplicates)
                        throw new RunFormatException(path, n, $"step {step} has {RunAssembly.Fmt(value)} here and {RunAssembly.Fmt(prev.Value)} at line {prev.Where}.");
                    conflicts++;
                }
                series[step] = (value, where);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, 0, $"cannot be read: {e.Message}", e);
        }
        return (series, lines, conflicts);
    }

    /// <summary>The run's params: file name -> its text (first 4 KiB, trimmed).</summary>
    private static Dictionary<string, string> Params(string runDir)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal);
        string dir = Path.Combine(runDir, "params");
        if (!Directory.Exists(dir)) return p;
        foreach (string f in Directory.EnumerateFiles(dir))
        {
            try
            {
                using var r = new StreamReader(f);
                var buf = new char[4096];
                int n = r.ReadBlock(buf, 0, buf.Length);
                p[Path.GetFileName(f)] = new string(buf, 0, n).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new RunFormatException(f, 0, $"cannot be read: {e.Message}", e);
            }
        }
        return p;
    }

    private static string? Meta(string runDir, string key)
    {
        try
        {
            using var r = new StreamReader(Path.Combine(runDir, "meta.yaml"));
            for (int i = 0; i < 64 && BoundedText.ReadLine(r, 4096, out _) is { } line; i++)
                if (line.StartsWith(key + ":", StringComparison.Ordinal)) return line[(key.Length + 1)..].Trim().Trim('"', '\'');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>The run's name: the tag mlflow.runName (or meta.yaml's run_name) when short, else the run folder's name.</summary>
    private static string RunName(string runDir)
    {
        string? name = null;
        string tag = Path.Combine(runDir, "tags", "mlflow.runName");
        try
        {
            if (File.Exists(tag) && new FileInfo(tag).Length <= 256) name = File.ReadAllText(tag).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        name ??= Meta(runDir, "run_name");
        string id = Path.GetFileName(Path.GetFullPath(runDir).TrimEnd(Path.DirectorySeparatorChar));
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(char.IsControl)) return id;
        return name.Contains('/') ? $"{Path.GetFileName(name.TrimEnd('/'))}-{id[..Math.Min(8, id.Length)]}" : name;
    }

    private static string List(IEnumerable<string> keys)
    {
        var l = keys.Take(20).ToList();
        return l.Count == 0 ? "none" : string.Join(", ", l) + (keys.Count() > 20 ? ", ..." : "");
    }
}
