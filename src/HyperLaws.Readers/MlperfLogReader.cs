using System.Globalization;
using System.Text.Json;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;
using HyperLaws.Schedules;

namespace HyperLaws.Readers;

/// <summary>
/// An MLPerf Training result log (<c>results/SYSTEM/BENCHMARK/result_N.txt</c> in github.com/mlcommons/training_results_v*,
/// Apache-2.0): the events the <c>mlperf_logging</c> package writes, one per line, <c>:::MLLOG {JSON}</c> (the line may carry a
/// launcher's prefix, <c>0: </c> or <c>+ echo ...</c> lines around it; other lines are not read). Only the benchmarks whose
/// <c>eval_accuracy</c> is a loss of a run trained from scratch are read (<see cref="LossBenchmarks"/>: the Llama 3.1 8B pre-training
/// benchmark's log perplexity, i.e. the mean validation cross-entropy in nats, and the v6.0 gpt-oss 20B mixture-of-experts one's,
/// whose first training loss, 12.3, is an untrained model's over its ~201k-token vocabulary); the loss benchmarks that continue a
/// trained model are refused by name (<see cref="ContinuedBenchmarks"/>). Conventions, from the
/// NeMo 2 implementations committed beside the results (e.g. v5.1 <c>Lenovo/benchmarks/llama31_8b/pretrain.py</c> and
/// <c>AMD/benchmarks/llama31_8b/implementations/*/src/train.py</c>):
/// <list type="bullet">
/// <item>Steps are counted in samples (<c>samples_count</c>, sequences); one update takes <c>global_batch_size</c> of them, so k =
/// samples / <c>global_batch_size</c> updates (a count that is no whole number of batches is an error).</item>
/// <item><c>eval_accuracy</c> X is the validation loss after the updates its evaluation block (<c>eval_start</c> .. <c>eval_stop</c>)
/// names: the block's <c>samples_count</c>, not the event's own, which AMD's callback writes one batch lower (12,256 inside a block at
/// 12,288; NVIDIA's agree). Without an enclosing block, the event's own count.</item>
/// <item><c>tracked_stats</c> with <c>reduced_train_loss</c> (NVIDIA's NeMo callback, every <c>LOG_EVERY_N_STEPS</c>) at
/// <c>samples_count</c> = k batches is the loss of update k (computed before it): an observation after k - 1 updates, one batch's
/// loss (the trailing-median divergence rule). NVIDIA's v6.0 callback (<c>callback_logging.py</c>, the gpt_oss_20b logs) counts
/// from zero instead: its first <c>reduced_train_loss</c> is at <c>samples_count</c> 0, the loss of the first update, so a loss that
/// this callback wrote (the event's <c>metadata.file</c>, <see cref="ZeroBasedCallback"/>) at k batches is an observation after k updates;
/// another callback's loss at 0 is refused. An older callback (Cisco's v5.1 logs) writes
/// these with a <c>step</c> and no <c>samples_count</c>; its <c>step</c> is not the other callbacks' unit, so they are left out and counted in the tag
/// <c>trainLossesWithoutSamplesCount</c> (the evaluations are read).</item>
/// <item><b>The LR is not logged</b>, but its schedule is: <c>opt_base_learning_rate</c> P, <c>opt_learning_rate_warmup_steps</c> W,
/// <c>opt_learning_rate_decay_steps</c> D, <c>opt_end_learning_rate</c> m, <c>opt_learning_rate_decay_schedule</c> "cosine with
/// linear warmup": NeMo's <c>CosineAnnealingScheduler</c> (nemo/core/optim/lr_scheduler.py, <c>WarmupPolicy</c> and
/// <c>CosineAnnealing</c>), stepped once per update, so update t uses the scheduler at step s = t - 1:
/// eta_t = P (s + 1)/(W + 1) for s &lt;= W, else m + (P - m)(1 + cos(pi (s - W)/D))/2 (m after W + D). These are the run's per-step
/// LRs (tag <c>lr</c>); the runs stop at their quality target long before W + D (the v5.1 Llama 3.1 8B logs: 1.2M steps planned,
/// 4-12k run), so the LR stays within 0.01% of the peak after the warmup. Another schedule string, or a key missing, needs
/// <see cref="RunReadOptions.Schedule"/>; given, the spec is used instead (not checked: no LR is printed).</item>
/// <item>S, the run's length: <c>run_stop</c>'s <c>samples_count</c> over the batch (the last evaluation's where the log was cut
/// before it). <c>global_batch_size</c> x <c>max_sequence_length</c> is <see cref="RunMetadata.TokensPerStep"/>; <c>opt_name</c> the
/// optimizer; the size is not logged. Settings go to tags (<c>benchmark</c>, <c>submitter</c>, <c>platform</c>, <c>seed</c>,
/// <c>targetAccuracy</c>, <c>runStatus</c>).</item>
/// <item>A run that continues a checkpoint is refused: its steps and schedule start where the checkpoint's ended, which the log does
/// not give. Either <c>init_checkpoint_step</c> &gt; 0 says so, or the benchmark does though the log does not: the v5.1 Llama 3.1
/// 405B logs write <c>init_checkpoint_step</c> 0 but resume from Meta's Hugging Face checkpoint (NVIDIA's
/// <c>benchmarks/llama31_405b/implementations/*/README.md</c>, "Model checkpoint"; their first training loss is 7.8, not the ~10.4
/// of an untrained model), and the Llama 2 70B LoRA benchmark fine-tunes Llama 2 70B.</item>
/// </list>
/// Errors name the file and the 1-based line.
/// </summary>
public static class MlperfLogReader
{
    /// <summary>The marker of an MLPerf logging event.</summary>
    public const string Marker = ":::MLLOG ";

    /// <summary>How many lines <see cref="Recognizes"/> reads at most looking for the first event (a launcher's echo may come first).</summary>
    public const int RecognizeLines = 2_000;

    /// <summary>The <c>submission_benchmark</c> values read: an <c>eval_accuracy</c> that is a log perplexity, of a run from scratch.</summary>
    public static readonly IReadOnlyList<string> LossBenchmarks = ["llama31_8b", "gpt_oss_20b"];

    /// <summary>
    /// The loss benchmarks refused by name, with why: their runs continue a trained model, so the log's steps and LRs are not the
    /// model's (<c>gpt3</c> is listed for the earlier rounds' logs, which continue a checkpoint; v5.1 has none to check).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ContinuedBenchmarks = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["llama31_405b"] = "resumes from Meta's Llama 3.1 405B checkpoint (though it logs init_checkpoint_step 0)",
        ["llama2_70b_lora"] = "fine-tunes Llama 2 70B with LoRA",
        ["gpt3"] = "continues a GPT-3 175B checkpoint",
        // v6.0's MoE benchmark: NVIDIA's benchmarks/deepseekv3_671b/implementations/*/README.md, "Starting checkpoint".
        ["deepseekv3_671b"] = "continues DeepSeek-V3 671B's released checkpoint (50 iterations more for the Llama 3.1 tokenizer)",
    };

    /// <summary>True when one of the first <see cref="RecognizeLines"/> lines holds an <c>:::MLLOG {</c> event.</summary>
    public static bool Recognizes(string path) =>
        BoundedText.AnyOfFirstLines(path, RecognizeLines, line => line.Contains(Marker + "{", StringComparison.Ordinal));

    /// <summary>Reads one MLPerf Training result log.</summary>
    /// <exception cref="RunFormatException">The file cannot be read, breaks the format or is not a loss benchmark; the message names the line.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        var settings = new Dictionary<string, (JsonElement Value, int Line)>(StringComparer.Ordinal);
        var evals = new List<(double Samples, double Loss, int Line)>();
        var trains = new List<(double Samples, double Loss, int Line, bool ZeroBased)>();
        double? blockSamples = null, stopSamples = null;
        int stopLine = 0;
        string? status = null;
        int lines = 0, events = 0, unplaced = 0;
        try
        {
            using var r = new StreamReader(path);
            foreach (string line in BoundedText.Lines(r, path, "an MLPerf log"))
            {
                lines++;
                int at = line.IndexOf(Marker, StringComparison.Ordinal);
                if (at < 0) continue;
                JsonElement e;
                try
                {
                    using var doc = JsonDocument.Parse(JsonText.QuoteNonFinite(line[(at + Marker.Length)..]));
                    e = doc.RootElement.Clone();
                }
                catch (JsonException x)
                {
                    throw new RunFormatException(path, lines, $"an :::MLLOG event that is not valid JSON: {x.Message}", x);
                }
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("key", out var k) || k.ValueKind != JsonValueKind.String)
                    throw new RunFormatException(path, lines, "an :::MLLOG event without a \"key\" string.");
                events++;
                string key = k.GetString()!;
                var value = e.TryGetProperty("value", out var v) ? v : default;
                var meta = e.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
                switch (key)
                {
                    case "eval_start":
                        blockSamples = Samples(path, lines, meta, key, required: false);
                        break;
                    case "eval_stop":
                        blockSamples = null;
                        break;
                    case "eval_accuracy":
                        evals.Add((blockSamples ?? Samples(path, lines, meta, key, required: true)!.Value, Loss(path, lines, value, "eval_accuracy"), lines));
                        break;
                    case "tracked_stats" when value.ValueKind == JsonValueKind.Object && value.TryGetProperty("reduced_train_loss", out var tl):
                        if (Samples(path, lines, meta, key, required: false) is { } c) trains.Add((c, Loss(path, lines, tl, "reduced_train_loss"), lines, CountsFromZero(meta)));
                        else unplaced++;
                        break;
                    case "run_stop":
                        stopSamples = Samples(path, lines, meta, key, required: false);
                        stopLine = lines;
                        status = meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.String ? st.GetString() : null;
                        break;
                    default:
                        if (value.ValueKind is JsonValueKind.Number or JsonValueKind.String) settings[key] = (value, lines); // the last one wins
                        break;
                }
            }
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, 0, $"cannot be read: {x.Message}", x);
        }
        if (lines == 0) throw new RunFormatException(path, 0, "the file is empty.");
        if (events == 0) throw new RunFormatException(path, 0, "no ':::MLLOG {...}' event in the file.");

        string benchmark = Text(settings, "submission_benchmark") ?? throw new RunFormatException(path, 0, "no submission_benchmark event: cannot tell whether its eval_accuracy is a loss.");
        if (ContinuedBenchmarks.TryGetValue(benchmark, out string? continued))
            throw new RunFormatException(path, settings["submission_benchmark"].Line, $"benchmark '{benchmark}' {continued}: its steps and schedule start where that training ended, which the log does not give (read: {string.Join(", ", LossBenchmarks)}).");
        if (!LossBenchmarks.Contains(benchmark))
            throw new RunFormatException(path, settings["submission_benchmark"].Line, $"benchmark '{TextLog.Clip(benchmark)}' evaluates an accuracy, not a loss (read: {string.Join(", ", LossBenchmarks)}).");
        if (Num(path, settings, "init_checkpoint_step") is { } ck && ck != 0)
            throw new RunFormatException(path, settings["init_checkpoint_step"].Line, $"the run continues a checkpoint at step {RunAssembly.Fmt(ck)}: its steps and schedule start there, which the log does not give.");
        double gbs = Num(path, settings, "global_batch_size") ?? throw new RunFormatException(path, 0, "no global_batch_size event: samples cannot be turned into updates.");
        if (!(gbs >= 1) || gbs != Math.Floor(gbs) || gbs > int.MaxValue)
            throw new RunFormatException(path, settings["global_batch_size"].Line, $"global_batch_size {RunAssembly.Fmt(gbs)} is not a positive whole number.");

        var log = new TextLog(path, options);
        foreach (var (samples, loss, line) in evals) log.AddVal(Updates(path, line, samples, gbs, options), loss, line.ToString(CultureInfo.InvariantCulture));
        int total = 0;
        // The callback that wrote the loss, as the event names it, says how it counts (ZeroBasedCallback): NVIDIA's v6.0 one logs the
        // loss of update k + 1 at k batches (its first at samples_count 0); the v5.1 ones that of update k, so never one at 0.
        foreach (var (samples, loss, line, zeroBased) in trains)
        {
            int k = Updates(path, line, samples, gbs, options) + (zeroBased ? 1 : 0);
            if (k < 1)
                throw new RunFormatException(path, line, $"a training loss at samples_count 0: no update has been made (its callback counts updates from one; only {ZeroBasedCallback}'s count from zero).");
            log.AddTrain(k - 1, loss, line.ToString(CultureInfo.InvariantCulture));
            total = Math.Max(total, k); // update k was made
        }
        total = Math.Max(total, log.LastLossStep);
        if (stopSamples is { } stop) total = Math.Max(total, Updates(path, stopLine, stop, gbs, options));
        if (total < 1) throw new RunFormatException(path, 0, "no loss after an update is logged.");

        var tags = new Dictionary<string, string> { ["format"] = "mlperf-log", ["benchmark"] = benchmark };
        void Tag(string key, string tag)
        {
            if (settings.TryGetValue(key, out var s)) tags[tag] = s.Value.ValueKind == JsonValueKind.String ? s.Value.GetString()! : s.Value.GetRawText();
        }
        Tag("submission_org", "submitter");
        Tag("submission_platform", "platform");
        Tag("seed", "seed");
        Tag("target_accuracy", "targetAccuracy");
        Tag("opt_learning_rate_decay_schedule", "loggedSchedule");
        if (status is not null) tags["runStatus"] = status;
        if (unplaced > 0) tags[RunNote.TrainLossesUnplacedTag] = unplaced.ToString(CultureInfo.InvariantCulture);

        string? hint = null;
        if (options.Schedule is null)
        {
            var (schedule, why) = NemoCosine(path, settings);
            if (schedule is null) hint = why;
            else
            {
                try
                {
                    ScheduleMemory.Check(total); // the steps come from run_stop's samples_count: refuse a count too large to hold
                }
                catch (Exception x) when (x is ScheduleSpecException or ArgumentException)
                {
                    throw new RunFormatException(path, stopLine, $"the run's {total} steps: {x.Message}.", x);
                }
                for (int t = 1; t <= total; t++) log.AddLr(t, t <= schedule.Steps ? schedule.At(t) : schedule.At(schedule.Steps), "0");
                tags[ReaderTags.LrFilledIn] = why!;
            }
        }
        var run = log.Build(total, tags, 0, hint ?? "");
        var metaOut = run.Metadata with { Optimizer = Text(settings, "opt_name"), BatchSize = (int)gbs };
        if (Num(path, settings, "max_sequence_length") is { } len && len >= 1 && len == Math.Floor(len) && len <= int.MaxValue)
            metaOut = metaOut with { SequenceLength = (int)len, TokensPerStep = gbs * len, TotalTokens = gbs * len * run.Steps };
        return run with { Metadata = metaOut };
    }

    /// <summary>
    /// NeMo's cosine with linear warmup from the logged settings (see the type's summary) as the equivalent spec
    /// <c>cosine(peak=P,warmup=W+1,steps=W+1+D,floor=m)</c> (eta_t = P t/(W + 1) for t &lt;= W + 1, then the cosine over D; m after
    /// it), or null and the no-LR message naming what is missing. An end LR above the base one is refused at its line, as NeMo's
    /// <c>CosineAnnealing</c> does (its <c>min_lr</c> must not exceed the peak).
    /// </summary>
    private static (LrSchedule? Schedule, string? Why) NemoCosine(string path, Dictionary<string, (JsonElement Value, int Line)> settings)
    {
        string? schedule = Text(settings, "opt_learning_rate_decay_schedule");
        double? peak = Num(path, settings, "opt_base_learning_rate"), warmup = Num(path, settings, "opt_learning_rate_warmup_steps"),
            decay = Num(path, settings, "opt_learning_rate_decay_steps"), end = Num(path, settings, "opt_end_learning_rate");
        if (schedule != "cosine with linear warmup" || peak is not { } p || warmup is not { } w || decay is not { } d || end is not { } m
            || !(p > 0) || !(m >= 0) || !(w >= 0) || !(d >= 1) || w != Math.Floor(w) || d != Math.Floor(d) || w + 1 + d > LrSchedule.MaxSteps)
            return (null, $"the log's schedule ('{TextLog.Clip(schedule ?? "none")}', base LR {Show(peak)}, warmup {Show(warmup)}, decay steps {Show(decay)}, end LR {Show(end)}) "
                + "is not NeMo's cosine with linear warmup with every value stated: give the LR schedule with --schedule SPEC.");
        if (m > p)
            throw new RunFormatException(path, settings["opt_end_learning_rate"].Line, $"opt_end_learning_rate {RunAssembly.Fmt(m)} is above opt_base_learning_rate {RunAssembly.Fmt(p)}: not a decay.");
        string spec = string.Create(CultureInfo.InvariantCulture, $"cosine(peak={p:R},warmup={w + 1:R},steps={w + 1 + d:R},floor={m:R})");
        LrSchedule parsed;
        try
        {
            parsed = LrSchedule.Parse(spec);
        }
        catch (Exception x) when (x is ScheduleSpecException or ArgumentException)
        {
            throw new RunFormatException(path, settings["opt_base_learning_rate"].Line, $"the logged schedule {spec}: {x.Message}", x);
        }
        return (parsed, $"NeMo's cosine with linear warmup from the logged settings, {spec} cut at the run's end; not printed by the log");
    }

    private static string Show(double? x) => x is { } v ? RunAssembly.Fmt(v) : "missing";

    private static string? Text(Dictionary<string, (JsonElement Value, int Line)> s, string key) =>
        s.TryGetValue(key, out var v) && v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString() : null;

    /// <summary>The setting's number, null when the log has none; a value that is no finite number is refused at its line.</summary>
    private static double? Num(string path, Dictionary<string, (JsonElement Value, int Line)> s, string key)
    {
        if (!s.TryGetValue(key, out var v)) return null;
        if (v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetDouble(out double x) && double.IsFinite(x)) return x;
        throw new RunFormatException(path, v.Line, $"{key} {JsonText.Describe(v.Value)} is not a number.");
    }

    private static double? Samples(string path, int line, JsonElement meta, string key, bool required)
    {
        if (meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("samples_count", out var s))
        {
            if (s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out double x) || !double.IsFinite(x) || x < 0)
                throw new RunFormatException(path, line, $"{key}: samples_count {JsonText.Describe(s)} is not a count.");
            return x;
        }
        return required ? throw new RunFormatException(path, line, $"{key} without a samples_count: its step is unknown.") : null;
    }

    /// <summary>
    /// The file of NVIDIA's MLPerf Training v6.0 NeMo callback (<c>benchmarks/gpt_oss_20b/implementations/*/callback_logging.py</c>),
    /// which an event's <c>metadata.file</c> names: its <c>reduced_train_loss</c> at <c>samples_count</c> k batches is the loss of update
    /// k + 1 (its first is at 0, 12.3 nats, an untrained model's); the v5.1 callbacks (<c>custom_callbacks.py</c>) log that of update k.
    /// </summary>
    public const string ZeroBasedCallback = "callback_logging.py";

    /// <summary>True when the event's <c>metadata.file</c> is <see cref="ZeroBasedCallback"/> (any folder).</summary>
    private static bool CountsFromZero(JsonElement meta) =>
        meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.String
        && Path.GetFileName(f.GetString()!.Replace('\\', '/')) == ZeroBasedCallback;

    private static double Loss(string path, int line, JsonElement value, string key)
    {
        if (value.ValueKind == JsonValueKind.Undefined) throw new RunFormatException(path, line, $"{key} without a value.");
        if (!JsonText.TryNumber(value, out double x) || double.IsNaN(x) && value.ValueKind == JsonValueKind.Null)
            throw new RunFormatException(path, line, $"{key} {JsonText.Describe(value)} is not a number.");
        return x;
    }

    private static int Updates(string path, int line, double samples, double gbs, RunReadOptions options)
    {
        double k = samples / gbs;
        if (k != Math.Floor(k))
            throw new RunFormatException(path, line, $"samples_count {RunAssembly.Fmt(samples)} is not a whole number of global batches of {RunAssembly.Fmt(gbs)}.");
        return RunAssembly.CheckStep(path, line.ToString(CultureInfo.InvariantCulture), k, options.MaxStep, allowZero: true);
    }
}
