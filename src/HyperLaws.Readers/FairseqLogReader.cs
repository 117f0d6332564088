using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HyperLaws.Numerics;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The training log of fairseq (<c>fairseq-train ... --log-format json</c>, and its forks: the <c>moe</c> branch, metaseq) as
/// captured from stdout: Python logging lines <c>DATE | INFO | NAME | MESSAGE</c>, among them, every <c>--log-interval</c> updates,
/// <code>2021-03-08 12:31:36 | INFO | train_inner | {"epoch": 1, "update": 0.0, "loss": "16.475", "ppl": "91120.8", ..., "num_updates": "1", "lr": "2e-05", ...}</code>
/// after each validation <c>DATE | INFO | valid | {"epoch": 1, "valid_loss": "17.953", ..., "valid_num_updates": "10"}</c> (the keys
/// prefixed with the subset's name), and at the end of each epoch <c>DATE | INFO | train | {"epoch": 1, "train_loss": ..., "train_num_updates": "10", ...}</c>.
/// Conventions, from fairseq's code (<c>fairseq_cli/train.py</c> <c>train</c>, <c>fairseq/trainer.py</c>, <c>fairseq/logging/progress_bar.py</c>,
/// the criteria's <c>reduce_metrics</c>):
/// <list type="bullet">
/// <item><c>train_step</c> runs forward and backward on the batch at the current weights and the optimizer step, then
/// <c>set_num_updates(n + 1)</c>, whose <c>lr_step_update</c> logs <c>lr = lr_scheduler.step_update(num_updates)</c> (a meter of weight 0:
/// the last value): <c>num_updates</c> k is the number of updates done and the <c>lr</c> printed with it is the LR of update k + 1,
/// eta_{k+1} (as Megatron's and the Hugging Face Trainer's). Printed with <c>{:g}</c> (six significant digits): the LRs between two
/// lines are interpolated linearly (tag <c>lr</c>), or <see cref="RunReadOptions.Schedule"/> is used and checked against every printed
/// LR within its print precision. An update skipped for an fp16 overflow does not count.</item>
/// <item>The <c>train_inner</c> meters are reset after each line: <c>loss</c> printed at k is the mean over updates p + 1..k (p the
/// previous line's k) of the batch loss before each update, the observation at step floor((p + k - 1) / 2)
/// (<see cref="TextLog.AddWindowMeans"/>, as Megatron's). With <c>--criterion moe_cross_entropy</c> the line also has
/// <c>inner_loss</c>, the cross-entropy without the weighted gate (load-balancing) loss that <c>loss</c> includes (in the fairseq MoE
/// example 20.714 = 20.472 + 0.01 x 16.7217 / ln 2): <c>inner_loss</c> is read when present. <see cref="RunReadOptions.LossColumn"/>
/// names another key.</item>
/// <item>fairseq's criteria log the loss in <b>bits</b> (<c>loss_sum / sample_size / math.log(2)</c>; <c>ppl</c> = 2^loss): the reader
/// converts to nats (x ln 2), the unit of every other reader, unless the lines' <c>ppl</c> shows e^loss (tag <c>lossUnit</c>).</item>
/// <item>A validation line of subset V gives <c>V_loss</c> (or <c>V_inner_loss</c> when the training loss is <c>inner_loss</c>) after
/// <c>V_num_updates</c> updates: a validation observation at that step. The subset <c>valid</c> is read when present, else the first
/// subset logged (tag <c>validationSubset</c>). The <c>train</c> epoch summaries are not curve points; their <c>train_num_updates</c>
/// counts for S.</item>
/// <item>S = the largest update count logged. The batch (<see cref="RunMetadata.TokensPerStep"/>, <see cref="RunMetadata.BatchSize"/>):
/// from the arguments the log states when they fix it (the source says so when the median <c>wpb</c> is more than 5% off it), else the median <c>wpb</c> (tokens per update) and <c>bsz</c> (sequences) of every
/// <c>train_inner</c> line; the tag <c>tokensPerStepSource</c> says which, with the logged range (<see cref="Batch"/>).</item>
/// <item>An update count logged twice (a resumed job appending to its log) keeps the later line (tag <c>resumeConflicts</c>;
/// <see cref="RunReadOptions.StrictDuplicates"/> makes it an error). Divergence: the trailing median of 21 on the training losses,
/// the plain rule on the validation losses (as the other text logs).</item>
/// </list>
/// The configuration line is read for the batch only (a Python dict, <c>{'_name': ...}</c>, is no JSON progress line); other lines (<c>fairseq.trainer</c> notes) are not read. The simple and tqdm log formats are not read. Errors name
/// the file and the 1-based line.
/// </summary>
public static partial class FairseqLogReader
{
    /// <summary>How many lines <see cref="Recognizes"/> reads at most looking for the first <c>train_inner</c> or <c>valid</c> JSON line.</summary>
    public const int RecognizeLines = 20_000;

    /// <summary>True when one of the first <see cref="RecognizeLines"/> lines is a fairseq JSON log line (<c>| INFO | train_inner | {</c>, or <c>valid</c>).</summary>
    public static bool Recognizes(string path) =>
        BoundedText.AnyOfFirstLines(path, RecognizeLines, line => Line().Match(line) is { Success: true } m && m.Groups["tag"].Value is "train_inner" or "valid");

    // "... | INFO | TAG | {json}": fairseq's logging format with the JSON progress bar's message (the logger renamed to the tag).
    [GeneratedRegex(@"\|\s*INFO\s*\|\s*(?<tag>[A-Za-z0-9_.\-]+)\s*\|\s*(?<json>\{.*)$")]
    private static partial Regex Line();

    /// <summary>Reads one fairseq JSON-format training log.</summary>
    /// <exception cref="RunFormatException">The file cannot be read or breaks the format; the message names the line.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        var log = new TextLog(path, options);
        var inner = new List<(int K, double? Loss, string Where)>();
        // Validation lines by subset, in file order: (update count, loss key -> value, line).
        var valid = new Dictionary<string, List<(int K, Dictionary<string, double> Values, string Where)>>(StringComparer.Ordinal);
        var subsets = new List<string>();
        string? lossKey = options.LossColumn;
        var keysSeen = new SortedSet<string>(StringComparer.Ordinal);
        int lines = 0, summaryUpdates = 0;
        var wpbs = new List<double>();
        var bszs = new List<double>();
        string? config = null;
        int? unitVotes = null; // + for bits (ppl = 2^loss), - for nats (ppl = e^loss)
        try
        {
            using var r = new StreamReader(path);
            foreach (string raw in BoundedText.Lines(r, path, "a fairseq log"))
            {
                lines++;
                if (raw.IndexOf("| INFO", StringComparison.Ordinal) < 0 && raw.IndexOf("|INFO", StringComparison.Ordinal) < 0) continue;
                if (config is null && (raw.Contains("| Namespace(", StringComparison.Ordinal) || raw.Contains("| {'_name':", StringComparison.Ordinal))) config = raw;
                var m = Line().Match(raw.TrimEnd());
                if (!m.Success) continue;
                // "| fairseq_cli.train | {'_name': None, ...}": the configuration as a Python dict (fairseq >= 0.10.2), not a JSON progress line.
                if (m.Groups["json"].Value.StartsWith("{'", StringComparison.Ordinal)) continue;
                string tag = m.Groups["tag"].Value;
                string where = lines.ToString(CultureInfo.InvariantCulture);
                using var doc = JsonText.Parse(path, m.Groups["json"].Value, $"{where}:");
                var o = doc.RootElement;
                if (o.ValueKind != JsonValueKind.Object) throw new RunFormatException(path, where, $"expected a JSON object after '| {tag} |', found {JsonText.Describe(o)}.");
                if (tag == "train_inner")
                {
                    foreach (var p in o.EnumerateObject()) keysSeen.Add(p.Name);
                    int k = Updates(path, where, o, "num_updates", options) ?? throw new RunFormatException(path, where, "a train_inner line without \"num_updates\".");
                    if (k == 0) throw new RunFormatException(path, where, "num_updates 0 on a train_inner line (fairseq logs after an update: update counts start at 1).");
                    lossKey ??= o.TryGetProperty("inner_loss", out _) ? "inner_loss" : "loss";
                    double? loss = Value(path, where, o, lossKey);
                    if (Value(path, where, o, "lr") is { } lr)
                    {
                        if (k + 1L > options.MaxStep) throw new RunFormatException(path, where, $"num_updates {k} is absurdly large (limit {options.MaxStep}).");
                        log.AddLr(k + 1, lr, where); // lr_step_update after update k: the LR of update k + 1
                    }
                    if (loss is { } x && Value(path, where, o, "ppl") is { } ppl && double.IsFinite(x) && ppl > 0 && double.IsFinite(ppl))
                    {
                        int vote = Math.Abs(Math.Log2(ppl) - x) <= Math.Abs(Math.Log(ppl) - x) ? 1 : -1;
                        unitVotes = (unitVotes ?? 0) + vote;
                    }
                    if (Value(path, where, o, "wpb") is { } wpb && double.IsFinite(wpb) && wpb > 0) wpbs.Add(wpb);
                    if (Value(path, where, o, "bsz") is { } bsz && double.IsFinite(bsz) && bsz > 0) bszs.Add(bsz);
                    inner.Add((k, loss, where));
                }
                else if (tag == "train")
                {
                    if (Updates(path, where, o, "train_num_updates", options) is { } n) summaryUpdates = Math.Max(summaryUpdates, n);
                }
                else if (o.TryGetProperty(tag + "_num_updates", out _))
                {
                    int k = Updates(path, where, o, tag + "_num_updates", options)!.Value;
                    var values = new Dictionary<string, double>(StringComparer.Ordinal);
                    foreach (var p in o.EnumerateObject())
                        if (p.Name.StartsWith(tag + "_", StringComparison.Ordinal) && p.Name.EndsWith("loss", StringComparison.Ordinal) && Value(path, where, o, p.Name) is { } v)
                            values[p.Name[(tag.Length + 1)..]] = v;
                    if (!valid.TryGetValue(tag, out var list)) { valid[tag] = list = []; subsets.Add(tag); }
                    list.Add((k, values, where));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, 0, $"cannot be read: {e.Message}", e);
        }
        if (lines == 0) throw new RunFormatException(path, 0, "the file is empty.");
        if (inner.Count == 0 && subsets.Count == 0)
            throw new RunFormatException(path, 0, "no fairseq JSON log line ('DATE | INFO | train_inner | {\"num_updates\": ..., \"loss\": ...}') in the file (the simple and tqdm log formats are not read: train with --log-format json).");
        lossKey ??= "loss";

        // Bits unless the lines' ppl says e^loss; every fairseq criterion divides by ln 2.
        bool bits = unitVotes is not < 0;
        double toNats = bits ? Math.Log(2) : 1;
        var scaled = inner.Select(t => (t.K, t.Loss * toNats, t.Where)).ToList();
        int losses = log.AddWindowMeans(scaled);
        if (inner.Count > 0 && losses == 0 && subsets.Count == 0)
            throw new RunFormatException(path, inner[0].Where,
                $"no '{lossKey}' is logged (keys of the train_inner lines: {string.Join(", ", keysSeen)}); name the loss key with --loss-column.");

        string? subset = subsets.Contains("valid") ? "valid" : subsets.FirstOrDefault();
        string valKey = lossKey;
        if (subset is not null)
        {
            var list = valid[subset];
            if (!list.Any(v => v.Values.ContainsKey(valKey))) valKey = "loss";
            foreach (var (k, values, where) in list)
                if (values.TryGetValue(valKey, out double v)) log.AddVal(k, v * toNats, where);
        }
        if (log.TrainCount == 0 && log.ValCount == 0)
            throw new RunFormatException(path, 0, $"no '{lossKey}' is logged on the train_inner lines nor '{subset}_{valKey}' on the validation lines; name the loss key with --loss-column.");

        int total = Math.Max(Math.Max(inner.Count > 0 ? inner.Max(t => t.K) : 0, summaryUpdates), log.LastLossStep);
        var tags = new Dictionary<string, string>
        {
            ["format"] = "fairseq-log",
            ["lossKey"] = lossKey,
            ["lossUnit"] = bits ? "bits in the log, converted to nats (x ln 2)" : "nats (ppl = e^loss in the log)",
        };
        if (subset is not null) tags["validationSubset"] = subset;
        var (tokens, batch, source) = Batch(config, wpbs, bszs);
        tags["tokensPerStepSource"] = source;
        if (wpbs.Count > 0) tags["wordsPerBatch"] = RunAssembly.Fmt(Statistics.Median(wpbs));
        // {:g}: six significant digits, so half the last digit is at most 5e-6 of the value.
        var run = log.Build(total, tags, 0,
            "this fairseq log prints no learning rate; give the run's schedule: hyperlaws import FILE --schedule SPEC --out RUN.csv.", 5e-6);
        if (tokens is not null || batch is not null)
            run = run with { Metadata = run.Metadata with { TokensPerStep = tokens, BatchSize = batch, TotalTokens = tokens * run.Steps } };
        return run;
    }

    // One setting of the configuration line: key=value (Namespace) or 'key': value (the OmegaConf dict); a list, a quoted string or a bare word.
    [GeneratedRegex(@"(?<![\w'])'?(?<key>batch_size|max_tokens|tokens_per_sample|update_freq|distributed_world_size|sample_break_mode)'?\s*[=:]\s*(?<value>\[[^\]]*\]|'[^']*'|[^,})\s]+)")]
    private static partial Regex Setting();

    [GeneratedRegex(@"(?<![\w'])'?task'?\s*[=:]\s*(?:\{\s*'_name'\s*:\s*)?'(?<task>[\w-]+)'")]
    private static partial Regex Task();

    /// <summary>
    /// The batch: tokens per update and sequences per update, and from what, in words (tag <c>tokensPerStepSource</c>).
    /// <list type="number">
    /// <item>From the configuration fairseq_cli/train.py logs at its start (<c>logger.info(cfg)</c>, an OmegaConf dict
    /// <c>{'_name': None, 'common': {...}, ...}</c>; before fairseq 0.10.2 <c>logger.info(args)</c>, <c>Namespace(...)</c>), when it fixes the
    /// batch: task <c>language_modeling</c> with <c>sample_break_mode</c> none (the default: every sample is <c>tokens_per_sample</c>
    /// tokens), <c>batch_size</c> sequences per device and no <c>max_tokens</c>: tokens per update = batch_size x tokens_per_sample x
    /// distributed_world_size x update_freq (fairseq's <c>--update-freq</c> accumulates that many batches per update).</item>
    /// <item>Else from the <c>train_inner</c> lines' <c>wpb</c> (tokens per update, averaged over the lines' window) and <c>bsz</c>: the
    /// median over every line, with the number of lines and the range in the source text (a batch bounded by <c>max_tokens</c>
    /// varies from update to update).</item>
    /// </list>
    /// </summary>
    private static (double? Tokens, int? Batch, string Source) Batch(string? config, List<double> wpbs, List<double> bszs)
    {
        double median = Statistics.Median(wpbs);   // NaN when no line logs wpb
        string logged = wpbs.Count == 0 ? "" : wpbs.Min() == wpbs.Max()
            ? $"wpb {RunAssembly.Fmt(wpbs[0])} on all {wpbs.Count} train_inner lines"
            : $"wpb median {RunAssembly.Fmt(median)} of {wpbs.Count} train_inner lines (range {RunAssembly.Fmt(wpbs.Min())}-{RunAssembly.Fmt(wpbs.Max())}, {RunAssembly.Fmt(Math.Round(100 * (wpbs.Max() - wpbs.Min()) / median, 1))}% of the median)";
        if (config is not null && Stated(config) is { } stated)
        {
            string source = $"the log's arguments: {stated.How}" + (logged.Length > 0 ? $"; logged: {logged}" : "");
            // The arguments win (they fix every update's batch), but a logged median off by more than StatedWpbTolerance says the
            // arguments read are not the run's (overridden in code, a fork's other meaning): said, for the user to check.
            if (wpbs.Count > 0 && Math.Abs(median - stated.Tokens) > StatedWpbTolerance * stated.Tokens)
                source += $"; the logged median differs from the arguments' {RunAssembly.Fmt(stated.Tokens)} by {RunAssembly.Fmt(Math.Round(100 * (median - stated.Tokens) / stated.Tokens, 1))}%: check which batch the run had";
            return (stated.Tokens, stated.Batch, source);
        }
        static int? WholeMedian(List<double> xs) => xs.Count > 0 && Statistics.Median(xs) is var m && m == Math.Floor(m) && m <= int.MaxValue ? (int)m : null;
        if (wpbs.Count > 0) return (median, WholeMedian(bszs), "the logged tokens per update: " + logged);
        return (null, WholeMedian(bszs), "not stated in the log (no language-modelling batch in its arguments, no wpb on its train_inner lines)");
    }

    /// <summary>
    /// How far (relative) the median logged <c>wpb</c> may be from the batch the arguments fix before the source text says they
    /// disagree: with <c>sample_break_mode</c> none and no <c>max_tokens</c> every update has exactly that many tokens (the real
    /// logs: equal), so 5% leaves room only for a short last batch of an epoch averaged into a line's window.
    /// </summary>
    private const double StatedWpbTolerance = 0.05;

    /// <summary>The batch the configuration line fixes (see <see cref="Batch"/>), or null.</summary>
    private static (double Tokens, int Batch, string How)? Stated(string config)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Setting().Matches(config))
        {
            string key = m.Groups["key"].Value, value = m.Groups["value"].Value.Trim('\'');
            if (values.TryGetValue(key, out var seen) && seen != value) return null; // two values: not one setting
            values[key] = value;
        }
        if (Task().Match(config) is not { Success: true } task || task.Groups["task"].Value != "language_modeling") return null;
        if (values.GetValueOrDefault("max_tokens", "None") != "None") return null;
        if (values.GetValueOrDefault("sample_break_mode", "none") != "none") return null;
        static int? Whole(string? s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : null;
        string freq = values.GetValueOrDefault("update_freq", "[1]").Trim('[', ']').Trim();
        if (Whole(values.GetValueOrDefault("batch_size")) is not { } b || Whole(values.GetValueOrDefault("tokens_per_sample")) is not { } t
            || Whole(values.GetValueOrDefault("distributed_world_size", "1")) is not { } w || Whole(freq) is not { } u)
            return null;
        double tokens = (double)b * t * w * u;
        long sequences = (long)b * w * u;
        if (sequences > int.MaxValue) return null;
        return (tokens, (int)sequences, $"batch_size {b} x tokens_per_sample {t} x distributed_world_size {w} x update_freq {u} = {RunAssembly.Fmt(tokens)} tokens per update");
    }

    /// <summary>A number of the line's JSON (fairseq prints them as strings: "16.475", "nan"); null when the key is absent or null.</summary>
    private static double? Value(string path, string where, JsonElement o, string key)
    {
        if (!o.TryGetProperty(key, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        string text = e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText(); // a bare number too (1e400 is +inf, not an exception)
        return TextLog.Number(text.Trim()) ?? throw new RunFormatException(path, where, $"\"{TextLog.Clip(key)}\" '{TextLog.Clip(text)}' is not a number.");
    }

    /// <summary>An update count (a whole number in range), or null when the key is absent.</summary>
    private static int? Updates(string path, string where, JsonElement o, string key, RunReadOptions options)
    {
        if (Value(path, where, o, key) is not { } v) return null;
        if (!double.IsFinite(v) || v != Math.Floor(v)) throw new RunFormatException(path, where, $"\"{key}\" {RunAssembly.Fmt(v)} is not a whole number of updates.");
        return RunAssembly.CheckStep(path, where, v, options.MaxStep, allowZero: true);
    }
}
