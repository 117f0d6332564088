using System.Globalization;
using System.Text;
using System.Text.Json;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// W&amp;B's local binary run file, <c>wandb/run-DATE-ID/run-ID.wandb</c> (also <c>offline-run-*</c>, written with
/// <c>WANDB_MODE=offline</c>): the transaction log every run leaves on disk, read without exporting anything.
/// <para>Framing (<see cref="WandbLog"/>, read one 32 KiB block at a time): the <c>:W&amp;B</c> header, LevelDB log chunks with a CRC-32 each; a bad CRC, a corrupt
/// chunk or a file that ends inside a record is an error <c>file:offset N: problem</c>, except a torn last record (or a zero-filled
/// tail) of a run with no exit record (a job still running, or killed, when the file was copied): W&amp;B's Go LiveReader waits for
/// more data there, this reader skips it and says so in the tag <see cref="ReaderTags.TornTail"/>.</para>
/// <para>Records: protobuf <c>wandb.Record</c> (wandb/proto/wandb_internal.proto) parsed by hand: <c>history</c> (field 2: items
/// <c>key</c> or <c>nested_key</c> joined with <c>/</c>, <c>value_json</c>; <c>step.num</c>), <c>summary</c> (3), <c>config</c>
/// (5), <c>run</c> (17: <c>run_id</c>, <c>display_name</c>, <c>config</c>, <c>starting_step</c>) and <c>exit</c> (18). Config
/// values of old SDKs (<c>{"desc": ..., "value": V}</c>) count as V; later updates win.</para>
/// <para>History rows are read like the JSONL/CSV export of the same history (<see cref="MetricNames"/>, docs/RUN-FORMATS.md): the
/// step is the first key of <see cref="MetricNames.Steps"/> the rows have (a trainer's counter before <c>_step</c>), where a row
/// without <c>_step</c> gets the record's step (<c>step.num</c>; a row with neither, an automatic step of a log written after wandb
/// PR #12110, the previous row's step + 1, from <c>starting_step</c>; not in a shared-mode file, <c>wandb.init(mode="shared")</c> in the run's
/// telemetry, whose rows W&amp;B's server numbers across its writers: there only a step key the trainer logged is read); the losses and the LR are the first of <see cref="MetricNames"/>' lists
/// (or the keys named by <see cref="RunReadOptions.StepColumn"/>, <see cref="RunReadOptions.LossColumn"/>,
/// <see cref="RunReadOptions.LrColumn"/>). A loss at step s is after s updates; step 0 (before training) is left out, its train
/// loss kept in the tag <c>initialLoss</c>. Without a logged LR at every step the run needs a schedule or interpolation, as the
/// other readers do.</para>
/// <para>Config, as <see cref="WandbReader"/> reads llm-baselines' config: batch = <c>batch_size</c> x <c>acc_steps</c> x
/// <c>world_size</c> (the last two 1 when absent), <c>sequence_length</c> (or <c>seq_len</c>), each a whole number >= 1 when present,
/// optimizer <c>opt</c> (or <c>optimizer</c>), N = <c>summary.parameters</c> (positive), else 12 <c>n_layer</c> <c>n_embd</c>^2
/// (both positive; tag <c>parametersEstimated</c>): the checks of <see cref="WandbReader"/> (<c>LlmBaselinesConfig</c>); the
/// config's <c>lr</c> (or <c>learning_rate</c>) goes to the tag <c>configLr</c>.</para>
/// </summary>
public static class WandbRunFileReader
{
    /// <summary>True when the file starts with W&amp;B's header ident <c>:W&amp;B</c> (whatever its name).</summary>
    public static bool Recognizes(string path)
    {
        try
        {
            using var fs = File.OpenRead(path);
            Span<byte> head = stackalloc byte[4];
            return fs.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && WandbLog.HasIdent(head);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Reads one run file into a run (see the class summary for the conventions).</summary>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        FileStream file;
        try
        {
            // Read block by block (WandbLog.Scan): a run file of system stats and console output can be gigabytes.
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, "offset 0", $"cannot read the file: {e.Message}", e);
        }
        var history = new List<HistoryRow>();
        var config = new Dictionary<string, (string Json, string Where)>(StringComparer.Ordinal);
        var summary = new Dictionary<string, (string Json, string Where)>(StringComparer.Ordinal);
        string? runId = null, displayName = null;
        long startingStep = 0;
        bool exited = false;
        // A malformed record is reported after the framing is read to the end: a framing error further on (a corrupt chunk) comes first,
        // as when the file was split into records before any was parsed.
        RunFormatException? malformed = null;
        string? shared = null;
        WandbLog.Tail log;
        using (file)
        {
            log = WandbLog.Scan(path, file, (offset, data) =>
            {
                if (malformed is not null) return;
                try
                {
                    var r = new ProtoReader(data);
                    while (r.Next(out int field, out int wt))
                    {
                        if (wt != 2) { r.Skip(wt); continue; }
                        var body = r.ReadBytes();
                        switch (field)
                        {
                            case 2: history.Add(ParseHistory(body, Where(offset))); break;
                            case 3: ParseItems(body, summary, Where(offset)); break;
                            case 5: ParseItems(body, config, Where(offset)); break;
                            case 11: if (SharedMode(body)) shared ??= Where(offset); break;
                            case 17:
                                if (ParseRun(body, Where(offset), config, ref runId, ref displayName, ref startingStep)) shared ??= Where(offset);
                                break;
                            case 18: exited = true; break;
                        }
                    }
                }
                catch (FormatException e)
                {
                    malformed = e as RunFormatException ?? new RunFormatException(path, Where(offset), $"malformed wandb.Record protobuf: {e.Message}", e);
                }
            });
        }
        if (malformed is not null) throw malformed;
        var meta = new List<(string, string, string)>();
        string? tornNote = null;
        if (log.At is { } torn)
        {
            tornNote = $"the file's torn tail at offset {torn} ({log.Problem})";
            if (exited)
                throw new RunFormatException(path, $"offset {torn}", $"{log.Problem}: the file is truncated (the run has an exit record, so it was complete).");
            meta.Add((ReaderTags.TornTail, $"{log.Problem} at offset {torn}: the last record of a run still being written, skipped", $"offset {torn}"));
            meta.Add((ReaderTags.TornTailOffset, torn.ToString(CultureInfo.InvariantCulture), $"offset {torn}"));
        }
        return Assemble(path, options, history, config, summary, runId, displayName, startingStep, meta, tornNote, shared);
    }

    private static string Where(long offset) => $"offset {offset}";

    private sealed record HistoryRow(string Where, Dictionary<string, string> Values, long? RecordStep);

    private static HistoryRow ParseHistory(ReadOnlySpan<byte> body, string where)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        long? step = null;
        var r = new ProtoReader(body);
        while (r.Next(out int field, out int wt))
        {
            if (field == 1 && wt == 2)
            {
                var (key, json) = ParseItem(r.ReadBytes());
                if (key.Length > 0) values[key] = json;
            }
            else if (field == 2 && wt == 2)
            {
                var s = new ProtoReader(r.ReadBytes());
                step = 0;
                while (s.Next(out int f, out int w))
                {
                    if (f == 1 && w == 0) step = (long)s.ReadVarint();
                    else s.Skip(w);
                }
            }
            else r.Skip(wt);
        }
        return new HistoryRow(where, values, step);
    }

    /// <summary>A HistoryItem / ConfigItem / SummaryItem: <c>key</c> (1), <c>nested_key</c> (2, joined with '/'), <c>value_json</c> (16).</summary>
    private static (string Key, string Json) ParseItem(ReadOnlySpan<byte> body)
    {
        string? key = null, json = null;
        List<string>? nested = null;
        var r = new ProtoReader(body);
        while (r.Next(out int f, out int w))
        {
            if (f == 1 && w == 2) key = Encoding.UTF8.GetString(r.ReadBytes());
            else if (f == 2 && w == 2) (nested ??= []).Add(Encoding.UTF8.GetString(r.ReadBytes()));
            else if (f == 16 && w == 2) json = Encoding.UTF8.GetString(r.ReadBytes());
            else r.Skip(w);
        }
        return (Clean(key is { Length: > 0 } ? key : nested is null ? "" : string.Join('/', nested)), json ?? "null");
    }

    /// <summary>A key or name as read: control characters (never part of a metric's or a run's name) become '?', so that errors naming keys and the files written with the name stay one line each.</summary>
    private static string Clean(string key) => key.Any(char.IsControl) ? new string(key.Select(c => char.IsControl(c) ? '?' : c).ToArray()) : key;

    /// <summary>The <c>update</c> items (field 1) of a ConfigRecord or SummaryRecord into <paramref name="into"/>; <c>remove</c> (2) drops keys.</summary>
    private static void ParseItems(ReadOnlySpan<byte> body, Dictionary<string, (string, string)> into, string where)
    {
        var r = new ProtoReader(body);
        while (r.Next(out int f, out int w))
        {
            if (f == 1 && w == 2)
            {
                var (key, json) = ParseItem(r.ReadBytes());
                if (key.Length > 0) into[key] = (json, where);
            }
            else if (f == 2 && w == 2)
            {
                into.Remove(ParseItem(r.ReadBytes()).Key);
            }
            else r.Skip(w);
        }
    }

    /// <summary>A RunRecord's id, display name, config and starting step; true when its telemetry says shared mode (<see cref="SharedMode"/>).</summary>
    private static bool ParseRun(ReadOnlySpan<byte> body, string where, Dictionary<string, (string, string)> config,
        ref string? runId, ref string? displayName, ref long startingStep)
    {
        bool shared = false;
        var r = new ProtoReader(body);
        while (r.Next(out int f, out int w))
        {
            if (f == 1 && w == 2) runId = Clean(Encoding.UTF8.GetString(r.ReadBytes()));
            else if (f == 4 && w == 2) ParseItems(r.ReadBytes(), config, where);
            else if (f == 8 && w == 2) displayName = Clean(Encoding.UTF8.GetString(r.ReadBytes()));
            else if (f == 14 && w == 0) startingStep = (long)r.ReadVarint();
            else if (f == 19 && w == 2) shared |= SharedMode(r.ReadBytes());
            else r.Skip(w);
        }
        return shared;
    }

    /// <summary>
    /// True when a TelemetryRecord (wandb/proto/wandb_telemetry.proto; a Record's field 11, a RunRecord's field 19) sets
    /// <c>feature.shared_mode</c> (Feature field 67, in TelemetryRecord field 3), set by <c>wandb.init(mode="shared")</c> (wandb_init.py).
    /// </summary>
    private static bool SharedMode(ReadOnlySpan<byte> telemetry)
    {
        var r = new ProtoReader(telemetry);
        while (r.Next(out int f, out int w))
        {
            if (f != 3 || w != 2) { r.Skip(w); continue; }
            var feature = new ProtoReader(r.ReadBytes());
            while (feature.Next(out int g, out int v))
            {
                if (g == 67 && v == 0) { if (feature.ReadVarint() != 0) return true; }
                else feature.Skip(v);
            }
        }
        return false;
    }

    private static TrainingRun Assemble(string path, RunReadOptions options, List<HistoryRow> history,
        Dictionary<string, (string Json, string Where)> config, Dictionary<string, (string Json, string Where)> summary,
        string? runId, string? displayName, long startingStep, List<(string Key, string Value, string Where)> meta, string? tornNote, string? shared)
    {
        string first = history.Count > 0 ? history[0].Where : "offset 0";
        // The step of each row: its _step item, else the record's step, else (an automatic step of a log written after wandb PR
        // #12110, which leaves the numbering to the sender's HistoryStepTracker) the previous row's step + 1, from starting_step.
        // The file's own keys, before this reader numbers the rows that have no _step (the shared-mode refusal lists these).
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in history)
            own.UnionWith(row.Values.Keys);
        long prev = startingStep - 1;
        string? numbered = null;
        foreach (var row in history)
        {
            if (!row.Values.ContainsKey("_step") && row.RecordStep is null) numbered ??= row.Where;
            if (!row.Values.ContainsKey("_step")) row.Values["_step"] = (row.RecordStep ?? prev + 1).ToString(CultureInfo.InvariantCulture);
            if (row.Values.TryGetValue("_step", out var st) && long.TryParse(st, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)) prev = v;
        }
        var seen = new List<string>();
        var seenSet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in history)
            foreach (var k in row.Values.Keys)
                if (seenSet.Add(k)) seen.Add(k);
        // Where a torn tail was skipped, an error for missing rows says so (the rows may have been in it).
        string torn = tornNote is null ? "" : $"; skipped: {tornNote}";
        string keysSeen = seen.Count == 0 ? $"(none: the file has no history rows{torn})" : CsvText.ShowHeader(seen.Order(StringComparer.Ordinal).ToList(), ", ", quoted: true);
        var keys = HistoryKeys.Choose(options, seenSet,
            (what, name) => new RunFormatException(path, first, $"--{what}-column: no history key '{name}' (keys: {keysSeen})."),
            what => new RunFormatException(path, first, $"no {what} key among the history keys ({keysSeen}): name it with --{what}-column."));
        var (stepKey, trainKey, valKey, lrKey) = keys;
        // Shared mode (wandb.init(mode="shared"): several processes write one run, each its own run file): W&B's handler writes the
        // history rows with neither _step nor a step number, and the server numbers them across the writers as they arrive
        // (core/internal/stream/handler.go, handlePartialHistoryAsync, "the backend infers step numbers"), so counting this file's rows
        // would be a step of no run. Read only on a step the trainer logged with its metrics.
        if (shared is not null && stepKey == "_step" && numbered is not null)
            throw new RunFormatException(path, shared, $"shared-mode run files are not read on W&B's own step: the run was logged with mode=\"shared\" (several processes writing one run), whose history rows carry no step (W&B's server numbers them across the writers; the first here at {numbered}); log the trainer's step with the losses and name it with --step-column, or export the run's history (the file's keys: {CsvText.ShowHeader(own.Order(StringComparer.Ordinal).ToList(), ", ", quoted: true)}; _step is W&B's numbering of the rows, not accepted here).");
        meta.Add(("keys", keys.ToString(), first));

        var rows = new List<GenericRunReader.Row>();
        foreach (var row in history)
        {
            double? Value(string? key)
            {
                if (key is null || !row.Values.TryGetValue(key, out var json)) return null;
                return Number(path, row.Where, key, json);
            }
            double? train = Value(trainKey), val = Value(valKey), lr = Value(lrKey);
            if (train is null && val is null && lr is null) continue;
            if (!row.Values.TryGetValue(stepKey, out var stepJson))
                throw new RunFormatException(path, row.Where, $"a history row with a loss or an LR but no '{stepKey}' (its keys: {CsvText.ShowHeader(row.Values.Keys.ToList(), ", ", quoted: true)}).");
            double stepValue = Number(path, row.Where, stepKey, stepJson) ?? throw new RunFormatException(path, row.Where, $"'{stepKey}' is null.");
            int step = RunAssembly.CheckStep(path, row.Where, stepValue, options.MaxStep, allowZero: true);
            if (step == 0)
            {
                if (train is { } t0) meta.Add(("initialLoss", RunAssembly.Fmt(t0), row.Where));
                continue;
            }
            if (train is not null || lr is not null) rows.Add(new GenericRunReader.Row(step, train, lr, LossSplit.Train, row.Where));
            if (val is not null) rows.Add(new GenericRunReader.Row(step, val, null, LossSplit.Validation, row.Where));
        }
        if (rows.Count == 0) throw new RunFormatException(path, first, $"no history row with a loss after step 0 (keys: {keysSeen}){(tornNote is null || seen.Count == 0 ? "" : $"; skipped: {tornNote}")}.");

        meta.Insert(0, ("name", displayName is { Length: > 0 } ? displayName : runId is { Length: > 0 } ? runId : Path.GetFileNameWithoutExtension(path), "offset 0"));
        if (runId is { Length: > 0 }) meta.Add(("runId", runId, "offset 0"));
        AddConfig(path, config, summary, meta);
        return GenericRunReader.Assemble(path, meta, rows, options, "record");
    }

    /// <summary>A history value: a JSON number (W&amp;B writes NaN, Infinity, -Infinity bare), null for JSON null; anything else is an error.</summary>
    private static double? Number(string path, string where, string key, string json)
    {
        using var doc = JsonText.Parse(path, json, $"{where}, '{key}'");
        var e = doc.RootElement;
        if (e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind is JsonValueKind.Number or JsonValueKind.String && JsonText.TryNumber(e, out double x)) return x;
        throw new RunFormatException(path, where, $"'{key}': expected a number, found {Clean(JsonText.Describe(e))}.");
    }

    private static void AddConfig(string path, Dictionary<string, (string Json, string Where)> config,
        Dictionary<string, (string Json, string Where)> summary, List<(string, string, string)> meta)
    {
        JsonElement? Value(Dictionary<string, (string Json, string Where)> d, string key, out string where)
        {
            where = "offset 0";
            if (!d.TryGetValue(key, out var item)) return null;
            where = item.Where;
            using var doc = JsonText.Parse(path, item.Json, $"{item.Where}, config '{key}'");
            var e = doc.RootElement;
            // Old SDKs write a config value as {"desc": ..., "value": V} (an object of exactly those two keys; not seen in a real file here).
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("value", out var inner) && e.TryGetProperty("desc", out _)
                && e.EnumerateObject().Count() == 2) e = inner;
            return e.Clone();
        }
        double? Num(Dictionary<string, (string Json, string Where)> d, string key, out string where) =>
            Value(d, key, out where) is { } e && JsonText.TryNumber(e, out double x) && e.ValueKind != JsonValueKind.Null ? x : null;
        string? Text(string key, out string where) =>
            Value(config, key, out where) is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;
        // A count of the config, checked as WandbReader checks it (LlmBaselinesConfig): present, it is a whole number >= 1.
        int? Count(string key, out string where)
        {
            if (Value(config, key, out where) is not { } e || e.ValueKind == JsonValueKind.Null) return null;
            return LlmBaselinesConfig.Count(path, $"{where}, config '{key}'", JsonText.Number(path, e, $"{where}, config '{key}'"), 1, int.MaxValue);
        }
        static string F(double x) => RunAssembly.Fmt(x);

        string w;
        if ((Num(config, "lr", out w) ?? Num(config, "learning_rate", out w)) is { } lr) meta.Add(("configLr", F(lr), w));
        double? batchTotal = Count("batch_size", out string batchWhere) is { } b0 ? (double)b0 * (Count("acc_steps", out _) ?? 1) * (Count("world_size", out _) ?? 1) : null;
        if (batchTotal is { } batch) meta.Add(("batch_size", F(batch), batchWhere));
        if ((config.ContainsKey("sequence_length") ? Count("sequence_length", out w) : Count("seq_len", out w)) is { } seq)
        {
            meta.Add(("sequence_length", F(seq), w));
            if (batchTotal is { } bt) meta.Add(("tokens_per_step", F(bt * seq), w));
        }
        if ((Text("opt", out w) ?? Text("optimizer", out w)) is { } opt) meta.Add(("optimizer", opt, w));
        double? summaryParameters = Num(summary, "parameters", out string summaryWhere);
        double? nLayer = Num(config, "n_layer", out string configWhere), nEmbd = Num(config, "n_embd", out _);
        if (LlmBaselinesConfig.Parameters(path, summaryParameters, $"{summaryWhere}, summary 'parameters'", nLayer, nEmbd, $"{configWhere}, config 'n_layer', 'n_embd'") is { } np)
        {
            string at = summaryParameters is null ? configWhere : summaryWhere;
            meta.Add(("params", F(np.Value), at));
            if (np.Estimated) meta.Add((RunNote.SizeEstimatedTag, "true", at));
            meta.Add((RunNote.SizeSourceTag, np.Source, at));
        }
    }
}
