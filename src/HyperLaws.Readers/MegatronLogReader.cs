using System.Globalization;
using System.Text.RegularExpressions;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The stdout training log of Megatron-LM and its forks (Megatron-DeepSpeed, and the launchers that print Megatron's
/// <c>training_log</c>): free text (the launcher, the argument dump), then every <c>--log-interval</c> iterations a line
/// <code> iteration      100/  500000 | consumed samples: 51200 | ... | learning rate: 6.000E-05 | global batch size: 512 | lm loss: 7.95E+00 | loss scale: ... |</code>
/// (newer versions put <c>[YYYY-MM-DD HH:MM:SS]</c> before <c>iteration</c>; <c>torchrun --tee</c> a rank tag such as <c>3:</c> or
/// <c>[default0]:</c>) and every <c>--eval-interval</c> a line <c> validation loss at iteration 100 | lm loss value: 9.08E+00 | lm loss PPL: ... |</c>.
/// Conventions, from <c>megatron/training.py</c> (microsoft/Megatron-DeepSpeed @ <c>2f2b49f3</c>, the commit of the bundled log;
/// NVIDIA/Megatron-LM's <c>train</c>/<c>training_log</c> have the same structure):
/// <list type="bullet">
/// <item><c>train()</c> runs <c>train_step</c> (forward and backward on the batch at the current weights, <c>optimizer.step()</c>,
/// then <c>lr_scheduler.step(increment)</c>), then <c>iteration += 1</c>, then <c>training_log(..., optimizer.param_groups[0]['lr'],
/// iteration, ...)</c>. So the iteration k printed is the number of updates done, and the learning rate printed with it is the
/// scheduler's after k steps: the LR of update k + 1, eta_{k+1} (as the Hugging Face Trainer's). It is printed with
/// <c>{:.3E}</c> (four significant digits; newer Megatron-LM <c>{:.6E}</c>): the LRs of the steps between two log lines are
/// interpolated linearly (tag <c>lr</c>); a schedule given in <see cref="RunReadOptions.Schedule"/> is used instead and checked
/// against every printed LR within half the last printed digit.</item>
/// <item><c>training_log</c> adds each iteration's loss to <c>total_loss_dict</c> and, on a log line, prints the sum divided by the
/// number of iterations advanced (not skipped) since the previous log line, then resets it: the <c>lm loss</c> printed at k is
/// the mean over updates p + 1..k (p the previous log line's iteration) of the batch loss computed before each update, i.e.
/// after j = p..k - 1 updates. As for <see cref="TrainerStateReader"/>, it becomes the observation at step
/// floor((p + k - 1) / 2), the middle of the window rounded down. For the first line p is k minus the gap to the second line
/// (the log interval), so 0 for a run logged from its start. A window whose iterations were all skipped (fp16 overflow)
/// prints no <c>lm loss</c>: that line gives its LR only. The loss key is <c>lm loss</c> unless
/// <see cref="RunReadOptions.LossColumn"/> names another key of the line.</item>
/// <item><c>evaluate_and_print_results</c> runs after <c>training_log</c> when <c>iteration % eval_interval == 0</c>: the
/// <c>lm loss value</c> of <c>validation loss at iteration k</c> is the validation loss after k updates, an observation at step k.</item>
/// <item>The <c>/N</c> of the iteration lines is <c>train_iters</c>, the planned length (tag <c>trainIters</c>); the run as logged
/// has S = the last logged iteration (a schedule spec may make it longer). <c>global batch size</c> (the last printed) goes to the
/// tag <c>globalBatchSize</c> (sequences per update, not tokens: the sequence length is in the argument dump), the summed
/// <c>number of skipped iterations</c> and <c>number of nan iterations</c> to tags of those names.</item>
/// <item>An iteration logged twice (a resumed run appending to the same file) keeps the later line (tag <c>resumeConflicts</c>;
/// <see cref="RunReadOptions.StrictDuplicates"/> makes it an error); after a jump back, the window of the next line starts one
/// log interval earlier. The logged losses are means over a log interval of minibatch losses: divergence uses the trailing
/// median of the training losses as for the other text logs, the plain rule on the validation losses.</item>
/// </list>
/// Lines that are neither kind (the launcher's, DeepSpeed's, tracebacks) are not read; a line that is one must be well formed and
/// end with <c>|</c> (a line cut short, say by copying a log being written, would otherwise give a truncated LR or loss).
/// Errors name the file and the 1-based line.
/// </summary>
public static partial class MegatronLogReader
{
    /// <summary>How many lines <see cref="Recognizes"/> reads at most looking for the first iteration line (the argument dump comes first).</summary>
    public const int RecognizeLines = 20_000;

    /// <summary>The loss key read by default: Megatron's GPT loss.</summary>
    public const string DefaultLossKey = "lm loss";

    /// <summary>True when one of the first <see cref="RecognizeLines"/> lines is a Megatron iteration line with a learning rate.</summary>
    public static bool Recognizes(string path) =>
        BoundedText.AnyOfFirstLines(path, RecognizeLines, line => Iteration().Match(line) is { Success: true } m && Prefix().IsMatch(m.Groups["pre"].Value)
            && line.Contains("learning rate:", StringComparison.Ordinal));

    // "iteration K/ N |", with what precedes it captured (checked by Prefix: nothing, a rank tag, a timestamp).
    [GeneratedRegex(@"^(?<pre>.*?)\biteration\s+(?<k>\d+)\s*/\s*(?<n>\d+)\s*\|(?<rest>.*)$")]
    private static partial Regex Iteration();

    [GeneratedRegex(@"^\s*(?:(?:\d+|\[\w+\]):)?\s*(?:\[[^\]]*\])?\s*$")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"^(?<pre>.*?)\bvalidation loss at iteration\s+(?<k>\d+)(?:\s+on validation set)?\s*\|(?<rest>.*)$")]
    private static partial Regex Validation();

    /// <summary>Reads one Megatron training log.</summary>
    /// <exception cref="RunFormatException">The file cannot be read or breaks the format; the message names the line.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        string lossKey = options.LossColumn ?? DefaultLossKey;
        string valKey = lossKey + " value";
        var log = new TextLog(path, options);
        // Iteration lines in file order: (iteration, loss or null, line); the windows need the previous line's iteration.
        var iters = new List<(int K, double? Loss, string Where)>();
        long trainIters = -1;
        int lines = 0, skipped = 0, nans = 0, expDecimals = int.MaxValue, fixedDecimals = int.MaxValue;
        string? batch = null;
        var keysSeen = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            using var r = new StreamReader(path);
            foreach (string raw in BoundedText.Lines(r, path, "a Megatron log"))
            {
                lines++;
                if (raw.Length == 0 || raw.IndexOf("iteration", StringComparison.Ordinal) < 0) continue;
                string line = raw.TrimEnd();
                string where = lines.ToString(CultureInfo.InvariantCulture);
                if (Validation().Match(line) is { Success: true } v && Prefix().IsMatch(v.Groups["pre"].Value))
                {
                    CutShort(path, lines, line);
                    int vk = TextLog.Step(path, lines, v.Groups["k"].Value, options);
                    var vf = Fields(path, lines, v.Groups["rest"].Value);
                    if (vf.TryGetValue(valKey, out string? vtext))
                        log.AddVal(vk, TextLog.Number(path, lines, valKey, vtext), where);
                    continue;
                }
                var m = Iteration().Match(line);
                if (!m.Success || !Prefix().IsMatch(m.Groups["pre"].Value)) continue; // a traceback's "iteration = train(...)", prose
                CutShort(path, lines, line);
                int k = TextLog.Step(path, lines, m.Groups["k"].Value, options);
                if (k == 0) throw new RunFormatException(path, lines, "iteration 0 is logged (Megatron logs after the first update: iterations count from 1).");
                long n = long.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long nn) ? nn : long.MaxValue;
                if (n > options.MaxStep) throw new RunFormatException(path, lines, $"train_iters {TextLog.Clip(m.Groups["n"].Value)} is absurdly large (limit {options.MaxStep}).");
                if (trainIters >= 0 && n != trainIters)
                    throw new RunFormatException(path, lines, $"iteration {k}/{n}: an earlier line has /{trainIters} (two runs in one file?).");
                trainIters = n;
                var f = Fields(path, lines, m.Groups["rest"].Value);
                foreach (string key in f.Keys) keysSeen.Add(key);
                if (!f.TryGetValue("learning rate", out string? lrText))
                    throw new RunFormatException(path, lines, $"iteration {k} has no 'learning rate:' field: '{TextLog.Clip(line.Trim())}'.");
                double lr = TextLog.Number(path, lines, "learning rate", lrText);
                var (dec, exp) = Decimals(lrText);
                if (exp) expDecimals = Math.Min(expDecimals, dec);
                else fixedDecimals = Math.Min(fixedDecimals, dec);
                if (k + 1L > options.MaxStep) throw new RunFormatException(path, lines, $"iteration {k} is absurdly large (limit {options.MaxStep}).");
                log.AddLr(k + 1, lr, where); // printed after update k and its scheduler step: the LR of update k + 1
                double? loss = f.TryGetValue(lossKey, out string? lossText) ? TextLog.Number(path, lines, lossKey, lossText) : null;
                if (f.TryGetValue("global batch size", out string? gbs)) batch = gbs.Trim();
                skipped += Count(path, lines, f, "number of skipped iterations");
                nans += Count(path, lines, f, "number of nan iterations");
                iters.Add((k, loss, where));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, 0, $"cannot be read: {e.Message}", e);
        }
        if (lines == 0) throw new RunFormatException(path, 0, "the file is empty.");
        if (iters.Count == 0)
            throw new RunFormatException(path, 0, "no Megatron iteration line (' iteration K/ N | ... | learning rate: X | ... | lm loss: Y |') in the file.");

        // Training losses: the mean over the window (p, k] at the window's middle, floor((p + k - 1) / 2).
        int losses = log.AddWindowMeans(iters);
        if (losses == 0 && log.ValCount == 0)
            throw new RunFormatException(path, iters[0].Where,
                $"no '{lossKey}' is logged (keys of the iteration lines: {string.Join(", ", keysSeen)}); name the loss key with --loss-column.");

        int total = Math.Max(iters.Max(t => t.K), log.LastLossStep);
        var tags = new Dictionary<string, string>
        {
            ["format"] = "megatron-log",
            ["lossKey"] = lossKey,
            ["trainIters"] = trainIters.ToString(CultureInfo.InvariantCulture),
            ["skippedIterations"] = skipped.ToString(CultureInfo.InvariantCulture),
            ["nanIterations"] = nans.ToString(CultureInfo.InvariantCulture),
        };
        if (batch is not null) tags["globalBatchSize"] = batch;
        // Half the last printed digit of the LR: relative to its value in E notation ({:.3E}: 5e-4), absolute in fixed notation.
        double printRel = expDecimals < 20 ? 0.5 * Math.Pow(10, -expDecimals) : 0;
        double printAbs = fixedDecimals is > 0 and < 20 ? 0.5 * Math.Pow(10, -fixedDecimals) : 0;
        return log.Build(total, tags, printAbs,
            "this Megatron log prints no learning rate; give the run's schedule: hyperlaws import FILE --schedule SPEC --out RUN.csv.", printRel);
    }

    /// <summary>The "key: value" fields of the part of a line after its head, split at '|'.</summary>
    private static Dictionary<string, string> Fields(string path, int line, string rest)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in rest.Split('|'))
        {
            int c = part.LastIndexOf(':');
            if (c <= 0) continue; // empty tail after the last '|', or a field without a value
            string key = part[..c].Trim();
            if (key.Length == 0) continue;
            if (!fields.TryAdd(key, part[(c + 1)..].Trim()))
                throw new RunFormatException(path, line, $"field '{TextLog.Clip(key)}' appears twice on the line.");
        }
        return fields;
    }

    /// <summary>Megatron ends every field with '|': a line that does not end so was cut (a log copied while being written).</summary>
    private static void CutShort(string path, int line, string text)
    {
        if (!text.EndsWith('|'))
            throw new RunFormatException(path, line, $"the line is cut short (Megatron ends every field with '|'): '{TextLog.Clip(text.Trim())}'.");
    }

    private static int Count(string path, int line, Dictionary<string, string> f, string key)
    {
        if (!f.TryGetValue(key, out string? text)) return 0;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int c))
            throw new RunFormatException(path, line, $"{key} '{TextLog.Clip(text)}' is not a count.");
        return c;
    }

    /// <summary>
    /// Digits printed after the point (<c>6.000E-05</c>: 3, in E notation; <c>0.0003</c>: 4, fixed); 0 when there is no point.
    /// </summary>
    private static (int Decimals, bool Exponent) Decimals(string text)
    {
        int e = text.IndexOfAny(['e', 'E']);
        string mantissa = e < 0 ? text : text[..e];
        int dot = mantissa.IndexOf('.');
        return (dot < 0 ? 0 : mantissa.Length - dot - 1, e >= 0);
    }
}
