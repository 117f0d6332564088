using System.Globalization;
using System.Text.RegularExpressions;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The console log of Google's MaxText (github.com/AI-Hypercomputer/maxtext; JAX, TPUs and GPUs): absl logging lines, the
/// configuration printed once (<c>Config param learning_rate: 3e-05</c>, one key a line), then a line per training step
/// <code>completed step: 9, seconds: 5.667, TFLOP/s/device: 134.924, Tokens/s/device: 8672.758, total_weights: 196608, loss: 10.374</code>
/// (newer versions add <c>lm_loss</c>, <c>perplexity</c> and, for MoE and DPO runs, more fields; the absl head
/// <c>I0706 16:50:26.230209 140110937163584 metric_logger.py:214] </c> and <c>[Rampup Batch Size Phase] </c> may precede it;
/// around a profiler window <c>completed profiler activation/deactivation step: k, total_weights: ..., loss: ...</c>), and after an
/// evaluation <c>Completed eval after train step k, loss=X, perplexity=..., ...</c>.
/// Conventions, from AI-Hypercomputer/maxtext @ <c>e591f30c</c> (<c>src/maxtext/common/metric_logger.py</c>,
/// <c>trainers/pre_train/train.py</c>, <c>trainers/post_train/hooks.py</c>), checked on the bundled real logs
/// (tests/HyperLaws.Readers.Tests/TestData/maxtext_log):
/// <list type="bullet">
/// <item>The pre-training loop (<c>maxtext.trainers.pre_train.train</c>) runs <c>for step in range(start_step, steps)</c>: the
/// step's batch at the current weights, its update, then (one step later, the logger buffers one entry) <c>completed step: step</c>
/// with that batch's loss: the loss after k updates, an observation at step k (k = 0 goes to the tag <c>initialLoss</c>; the bundled
/// pre-training log prints the same 12.038 at steps 0 and 1: MaxText's warmup starts at LR 0, so update 1 changes nothing). Its
/// evaluation runs after the update of step k: <c>Completed eval after train step k</c> is the validation loss after k + 1 updates.
/// The run as logged has S = the last k + 1.</item>
/// <item>The post-training trainers (<c>maxtext.trainers.post_train</c>: SFT and DPO through Tunix) log from Tunix's hook after its
/// step counter was incremented: <c>completed step: k</c> is the loss after k - 1 updates (the bundled DPO log's step 1 prints 0.693 =
/// ln 2, a DPO loss before any update). The line format is the same, so the numbering is read from the first step line: 1 means a
/// post-training log (tag <c>stepBase</c> = 1), 0 a pre-training log (0); a first step above 1 (a log resumed or cut) is read as
/// pre-training and the tag <c>stepBase</c> says it was guessed. Their <c>Completed eval after train step k</c> comes after k updates
/// (the bundled DPO log's after step 500, its last: a validation observation at step 500).</item>
/// <item>Losses are printed with 3 decimals. MaxText prints no learning rate on the console (it goes to TensorBoard as
/// <c>learning/current_learning_rate</c>): the run needs <see cref="RunReadOptions.Schedule"/>; the no-LR error lists the schedule's
/// settings the configuration printed (<c>learning_rate</c>, <c>lr_schedule_type</c>, <c>warmup_steps_fraction</c>,
/// <c>learning_rate_schedule_steps</c>, <c>learning_rate_final_fraction</c>, <c>steps</c>; tags of the same names). MaxText's warmup
/// rises from 0 at the first update. <c>total_weights</c> (the non-padding tokens of the step's batch; the last printed) goes to the
/// tag <c>totalWeights</c>; <c>number parameters: 15.933 billion</c> to <see cref="RunMetadata.Parameters"/> (rounded as printed);
/// <c>Config param opt_type</c> to <see cref="RunMetadata.Optimizer"/>.</item>
/// <item>The loss key is <c>loss</c> unless <see cref="RunReadOptions.LossColumn"/> names another field of the step lines
/// (<c>lm_loss</c>, <c>main_model_loss</c>). A step printed twice (a resumed run appending to its log) keeps the later line (tag
/// <c>resumeConflicts</c>). Divergence: the trailing median of the per-batch training losses.</item>
/// </list>
/// Other lines are read only for the settings above; a step line must be well formed. Errors name the file and the 1-based line.
/// </summary>
public static partial class MaxtextLogReader
{
    /// <summary>How many lines <see cref="Recognizes"/> reads at most looking for the first step line (the configuration comes first).</summary>
    public const int RecognizeLines = 20_000;

    /// <summary>True when one of the first <see cref="RecognizeLines"/> lines is a MaxText step line with a loss.</summary>
    public static bool Recognizes(string path) =>
        BoundedText.AnyOfFirstLines(path, RecognizeLines, line => line.Contains("step: ", StringComparison.Ordinal)
            && StepLine().Match(line) is { Success: true } m && m.Groups["rest"].Value.Contains("loss: ", StringComparison.Ordinal));

    // [0-9], not \d: \d matches every Unicode digit, which the invariant-culture parsers refuse. Before "completed": absl's head, the
    // rampup tag (not read).
    [GeneratedRegex(@"^(?<pre>.*?)\bcompleted (?:profiler activation/deactivation )?step: (?<k>[0-9]+), (?<rest>.*)$")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"\bCompleted eval after train step (?<k>[0-9]+), loss=(?<loss>[^,\s]+)")]
    private static partial Regex EvalLine();

    [GeneratedRegex(@"\bConfig param (?<key>[a-z_]+): (?<v>.*?)\s*$")]
    private static partial Regex ConfigParam();

    [GeneratedRegex(@"\bnumber parameters: (?<n>[0-9.]+) billion\s*$")]
    private static partial Regex ParameterCount();

    private static readonly string[] ScheduleKeys = ["learning_rate", "lr_schedule_type", "warmup_steps_fraction", "learning_rate_schedule_steps", "learning_rate_final_fraction", "cosine_learning_rate_final_fraction", "steps"];

    /// <summary>Reads one MaxText console log.</summary>
    /// <exception cref="RunFormatException">The file cannot be read or breaks the format; the message names the line.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        string lossKey = options.LossColumn ?? "loss";
        var steps = new List<(int K, double Loss, string Where)>();
        var evals = new List<(int K, double Loss, string Where)>();
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        var keysSeen = new SortedSet<string>(StringComparer.Ordinal);
        double? parameters = null;
        string? totalWeights = null;
        int lines = 0;
        try
        {
            using var r = new StreamReader(path);
            foreach (string raw in BoundedText.Lines(r, path, "a MaxText log"))
            {
                lines++;
                string where = lines.ToString(CultureInfo.InvariantCulture);
                if (raw.Contains("step: ", StringComparison.Ordinal) && StepLine().Match(raw.TrimEnd()) is { Success: true } m)
                {
                    int k = TextLog.Step(path, lines, m.Groups["k"].Value, options);
                    if (k + 1L > options.MaxStep) throw new RunFormatException(path, lines, $"step {k} is absurdly large (limit {options.MaxStep}).");
                    var f = TextLog.KeyValueFields(path, lines, m.Groups["rest"].Value, ", ", "a MaxText step line");
                    foreach (string key in f.Keys) keysSeen.Add(key);
                    if (!f.TryGetValue(lossKey, out string? lossText))
                        throw new RunFormatException(path, lines, $"a MaxText step line without '{lossKey}:' (fields: {string.Join(", ", f.Keys)}); name the loss field with --loss-column.");
                    steps.Add((k, TextLog.Number(path, lines, lossKey, lossText), where));
                    if (f.TryGetValue("total_weights", out string? tw)) totalWeights = tw;
                }
                else if (raw.Contains("Completed eval after train step ", StringComparison.Ordinal))
                {
                    var e = EvalLine().Match(raw);
                    if (!e.Success) throw new RunFormatException(path, lines, $"a MaxText evaluation line not of the form 'Completed eval after train step K, loss=X, ...': '{TextLog.Clip(raw.Trim())}'.");
                    int k = TextLog.Step(path, lines, e.Groups["k"].Value, options);
                    if (k + 2L > options.MaxStep) throw new RunFormatException(path, lines, $"step {k} is absurdly large (limit {options.MaxStep}).");
                    evals.Add((k, TextLog.Number(path, lines, "eval loss", e.Groups["loss"].Value), where));
                }
                else if (raw.Contains("Config param ", StringComparison.Ordinal) && ConfigParam().Match(raw) is { Success: true } c)
                {
                    config[c.Groups["key"].Value] = c.Groups["v"].Value;
                }
                else if (raw.Contains("number parameters: ", StringComparison.Ordinal) && ParameterCount().Match(raw) is { Success: true } p
                    && double.TryParse(p.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double billions))
                {
                    parameters = billions * 1e9;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, 0, $"cannot be read: {e.Message}", e);
        }
        if (lines == 0) throw new RunFormatException(path, 0, "the file is empty.");
        if (steps.Count == 0)
            throw new RunFormatException(path, 0, "no MaxText step line ('completed step: K, seconds: ..., total_weights: ..., loss: X') in the file.");

        // The numbering, from the first step line: 0 pre-training (the loss after k updates), 1 post-training (after k - 1).
        int first = steps[0].K;
        int shift = first == 1 ? 1 : 0;
        var log = new TextLog(path, options);
        foreach (var (k, loss, where) in steps)
        {
            if (k < shift) throw new RunFormatException(path, where, $"step {k} after a first step line of 1 (a post-training log counts from 1).");
            log.AddTrain(k - shift, loss, where);
        }
        // Pre-training evaluates after the update of step k (k + 1 updates); post-training's counter k already counts the updates done.
        foreach (var (k, loss, where) in evals) log.AddVal(k + 1 - shift, loss, where);

        var tags = new Dictionary<string, string>
        {
            ["format"] = "maxtext-log",
            ["lossKey"] = lossKey,
            ["stepBase"] = first switch
            {
                0 => "0 (the first step line is step 0: pre-training, the loss after k updates)",
                1 => "1 (the first step line is step 1: a post-training trainer, the loss after k - 1 updates)",
                _ => $"0, guessed (the first step line is step {first}: read as pre-training, the loss after k updates)",
            },
            ["evalLosses"] = evals.Count == 0 ? "none printed" : evals.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (totalWeights is not null) tags["totalWeights"] = totalWeights;
        foreach (string key in ScheduleKeys)
            if (config.TryGetValue(key, out string? v)) tags[key] = v;
        if (parameters is not null) tags[RunNote.SizeSourceTag] = "the log's 'number parameters: N billion' (rounded as printed)";
        int total = steps.Max(s => s.K) - shift + 1;
        var settings = ScheduleKeys.Where(config.ContainsKey).Select(k => $"{k} = {TextLog.Clip(config[k])}").ToList();
        string hint = "MaxText prints no learning rate on the console (it goes to TensorBoard); give the run's schedule: hyperlaws import FILE "
            + "--schedule SPEC --out RUN.csv (MaxText's warmup rises linearly from 0 at the first update"
            + (settings.Count > 0 ? $"; the log's configuration: {string.Join(", ", settings)})." : ").");
        var run = log.Build(Math.Max(total, log.LastLossStep), tags, 0, hint);
        string? optimizer = config.TryGetValue("opt_type", out string? o) && o.Length > 0 ? o.ToLowerInvariant() : null;
        return run with { Metadata = run.Metadata with { Parameters = parameters, Optimizer = optimizer } };
    }
}
