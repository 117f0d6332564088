using System.Globalization;
using System.Text.RegularExpressions;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The stdout of Andrej Karpathy's nanoGPT <c>train.py</c> (github.com/karpathy/nanoGPT, and its many forks; often kept with
/// <c>nohup</c> or <c>| tee train.log</c>): the configurator's echo of the config file (<c>Overriding config with config/X.py:</c> and the
/// file's lines) and of command-line overrides (<c>Overriding: key = value</c>), <c>tokens per iteration will be: 262,144</c>,
/// <c>number of parameters: 50.93M</c>, then the loop's lines
/// <code>step 250: train loss 2.6231, val loss 2.6300
/// iter 250: loss 2.6033, time 11731.74ms, mfu 41.64%</code>
/// Conventions, from <c>train.py</c> (karpathy/nanoGPT @ <c>3adf61e1</c>; the bundled log's fork has the same loop):
/// <list type="bullet">
/// <item>Iteration <c>iter_num</c> = k (k updates done) computes <c>lr = get_lr(k)</c>; every <c>eval_interval</c> it prints
/// <c>step k: train loss A, val loss B</c> (<c>estimate_loss</c> at the current weights), then runs forward and backward on its
/// batch, steps the optimizer (update k + 1 at <c>get_lr(k)</c>), prints every <c>log_interval</c> <c>iter k: loss X</c> (X = the last
/// micro-batch's loss times the accumulation steps, computed before the update), and stops after the iteration with k =
/// <c>max_iters</c>. So X is the loss after k updates (an observation at step k; k = 0 goes to the tag <c>initialLoss</c>) and B the
/// validation loss after k updates (at step k; the tag <c>initialValLoss</c> for k = 0). A (the training split's estimate at the same
/// weights) is not read: the step has its batch loss already. S = the last <c>iter</c> line's k + 1 (its update was made), or the
/// last <c>step</c> line's k if later.</item>
/// <item>The log prints no learning rate. nanoGPT's <c>get_lr(it)</c> is <c>peak (it + 1)/(W + 1)</c> for it &lt; W (from
/// karpathy/nanoGPT <c>dc81cb36</c>, 2024-12-09; before it, and in forks of older train.py, <c>peak it/W</c>: the spec below is then
/// off by at most peak/(W + 1) in the warmup, at t = 1, and exact after it)
/// (<c>warmup_iters</c>), then a cosine from peak to <c>min_lr</c> over it = W..<c>lr_decay_iters</c>: with update t = it + 1 that is
/// exactly <c>cosine(peak=learning_rate,warmup=W+1,steps=max_iters+1,floor=min_lr)</c> when <c>lr_decay_iters = max_iters</c>
/// (<c>constant(peak,steps)</c> with <c>decay_lr = False</c>). The no-LR error gives that spec with the values the log's config echo
/// states (tags <c>learningRate</c>, <c>warmupIters</c>, <c>lrDecayIters</c>, <c>minLr</c>, <c>maxIters</c>, <c>decayLr</c>; the last
/// echo of a key wins, as the configurator applies them in order; a value that is no plain number, an expression such as
/// <c>learning_rate / 10</c> or <c>600_000</c>, keeps its placeholder); train.py's defaults are not assumed (forks change them).</item>
/// <item><c>tokens per iteration will be: N</c> (accumulation x processes x batch x block size) is
/// <see cref="RunMetadata.TokensPerStep"/>; the echoed <c>block_size</c> the <see cref="RunMetadata.SequenceLength"/> (and N over it
/// the <see cref="RunMetadata.BatchSize"/>); <c>number of parameters: 50.93M</c> (<c>get_num_params()</c>: without the position
/// embeddings, printed to 10k) is <see cref="RunMetadata.Parameters"/>; <c>using fused AdamW: True/False</c>
/// (<c>configure_optimizers</c>) makes <see cref="RunMetadata.Optimizer"/> <c>adamw</c>.</item>
/// </list>
/// Karpathy's lecture script <c>gpt.py</c> (ng-video-lecture) prints the same <c>step k: train loss A, val loss B</c> lines alone, with
/// the same order (evaluate, then update): read the same way. A step logged twice (<c>init_from = 'resume'</c> appending to the same
/// file) keeps the later line (tag <c>resumeConflicts</c>). Other lines are not read; a line starting as an <c>iter</c> or
/// <c>step</c> line must be one. Errors name the file and the 1-based line.
/// </summary>
public static partial class NanoGptLogReader
{
    /// <summary>How many lines <see cref="Recognizes"/> reads at most looking for the first loop line (the config echo comes first).</summary>
    public const int RecognizeLines = 20_000;

    /// <summary>True when one of the first <see cref="RecognizeLines"/> lines is a nanoGPT <c>iter k: loss X, time ...</c> or <c>step k: train loss A, val loss B</c> line.</summary>
    public static bool Recognizes(string path) =>
        BoundedText.AnyOfFirstLines(path, RecognizeLines, line => Iter().IsMatch(line) || Eval().IsMatch(line));

    [GeneratedRegex(@"^iter (?<k>[0-9]+): loss (?<loss>[^,\s]+), time [0-9.]+ms(?:, mfu -?[0-9.]+%)?\s*$")]
    private static partial Regex Iter();

    [GeneratedRegex(@"^step (?<k>[0-9]+): train loss (?<train>[^,\s]+), val loss (?<val>\S+)\s*$")]
    private static partial Regex Eval();

    // The start of a loop line, checked against Iter()/Eval() and refused when it is not one (a line cut short, a broken number).
    [GeneratedRegex(@"^(?:iter [0-9]+:|step [0-9]+: train loss)")]
    private static partial Regex LoopLike();

    // The configurator's echo: a config file's "key = value  # comment" lines, and "Overriding: key = value".
    [GeneratedRegex(@"^(?:Overriding: )?(?<key>[a-z_]+)\s*=\s*(?<value>[^#]*?)\s*(?:#.*)?$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^tokens per iteration will be: (?<n>[0-9][0-9,]*)\s*$")]
    private static partial Regex TokensPerIter();

    [GeneratedRegex(@"^number of parameters: (?<n>[0-9.]+)M\s*$")]
    private static partial Regex ParameterCount();

    private static readonly string[] ConfigKeys = ["learning_rate", "max_iters", "lr_decay_iters", "min_lr", "warmup_iters", "decay_lr", "block_size"];

    /// <summary>Reads one nanoGPT stdout log.</summary>
    /// <exception cref="RunFormatException">The file cannot be read or breaks the format; the message names the line.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        var log = new TextLog(path, options);
        int lines = 0, events = 0, lastIter = -1, lastEval = -1;
        double? tokens = null, parameters = null;
        string? optimizer = null;
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var r = new StreamReader(path);
            foreach (string raw in BoundedText.Lines(r, path, "a nanoGPT log"))
            {
                lines++;
                string line = raw.TrimEnd();
                if (!LoopLike().IsMatch(line))
                {
                    // Settings and the config echo come before the loop (a resumed run echoes them again: the last wins).
                    if (TokensPerIter().Match(line) is { Success: true } t) tokens = TextLog.Count(t.Groups["n"].Value);
                    else if (line.StartsWith("using fused AdamW: ", StringComparison.Ordinal)) optimizer = "adamw";
                    else if (ParameterCount().Match(line) is { Success: true } p && double.TryParse(p.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double m)) parameters = m * 1e6;
                    else if (Assignment().Match(line) is { Success: true } a && ConfigKeys.Contains(a.Groups["key"].Value)) config[a.Groups["key"].Value] = a.Groups["value"].Value.Trim('\'', '"');
                    continue;
                }
                string where = lines.ToString(CultureInfo.InvariantCulture);
                if (Iter().Match(line) is { Success: true } it)
                {
                    int k = Step(path, lines, it.Groups["k"].Value, options);
                    log.AddTrain(k, TextLog.Number(path, lines, "loss", it.Groups["loss"].Value), where);
                    lastIter = Math.Max(lastIter, k);
                }
                else if (Eval().Match(line) is { Success: true } ev)
                {
                    int k = Step(path, lines, ev.Groups["k"].Value, options);
                    TextLog.Number(path, lines, "train loss", ev.Groups["train"].Value);
                    log.AddVal(k, TextLog.Number(path, lines, "val loss", ev.Groups["val"].Value), where);
                    lastEval = Math.Max(lastEval, k);
                }
                else
                {
                    throw new RunFormatException(path, lines, $"a nanoGPT loop line not of the form 'iter K: loss X, time Tms, mfu M%' or 'step K: train loss A, val loss B': '{TextLog.Clip(line.Trim())}'.");
                }
                events++;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, 0, $"cannot be read: {e.Message}", e);
        }
        if (lines == 0) throw new RunFormatException(path, 0, "the file is empty.");
        if (events == 0) throw new RunFormatException(path, 0, "no nanoGPT loop line ('iter K: loss X, time Tms, ...' or 'step K: train loss A, val loss B') in the file.");
        int total = Math.Max(lastIter + 1, lastEval);
        if (total < 1) throw new RunFormatException(path, 0, "no update is logged (only step 0).");

        var tags = new Dictionary<string, string> { ["format"] = "nanogpt-log" };
        void Tag(string key, string tag)
        {
            if (config.TryGetValue(key, out string? v)) tags[tag] = v;
        }
        Tag("learning_rate", "learningRate");
        Tag("warmup_iters", "warmupIters");
        Tag("lr_decay_iters", "lrDecayIters");
        Tag("min_lr", "minLr");
        Tag("max_iters", "maxIters");
        Tag("decay_lr", "decayLr");
        if (parameters is not null) tags[RunNote.SizeSourceTag] = "the log's 'number of parameters: ...M' (nanoGPT's get_num_params: without the position embeddings, printed to 10k)";
        var run = log.Build(total, tags, 0, NoLrHint(config, total));
        int? seqLen = config.TryGetValue("block_size", out string? bs) && int.TryParse(bs, NumberStyles.None, CultureInfo.InvariantCulture, out int b) && b > 0 ? b : null;
        var meta = run.Metadata with { Parameters = parameters, SequenceLength = seqLen, Optimizer = optimizer };
        if (tokens is { } n)
        {
            meta = meta with { TokensPerStep = n, TotalTokens = n * run.Steps };
            if (seqLen is { } l && n % l == 0) meta = meta with { BatchSize = (int)Math.Min(n / l, int.MaxValue) };
        }
        return run with { Metadata = meta };
    }

    /// <summary>
    /// The hint of a log read without a schedule: nanoGPT's <c>get_lr</c> as a spec (see the type's summary) with the values the
    /// config echo states, placeholders for the others.
    /// </summary>
    private static string NoLrHint(Dictionary<string, string> config, int total)
    {
        // A value goes into the spec only when it is a plain number: the echo shows the config file's Python text, which may be an
        // expression (min_lr = learning_rate / 10) or use digit separators (max_iters = 600_000); those keep the placeholder.
        var unread = new List<string>();
        double? Num(string key)
        {
            if (!config.TryGetValue(key, out string? v) || v.Length == 0) return null;
            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)) return x;
            unread.Add($"{key} = {TextLog.Clip(v)}");
            return null;
        }
        string Value(string key, string placeholder) => Num(key) is not null ? config[key] : placeholder;
        int? Whole(string key) => Num(key) is { } x && x >= 0 && x < int.MaxValue && x == Math.Floor(x) ? (int)x : null;
        bool constant = config.TryGetValue("decay_lr", out string? d) && d == "False";
        string lr = Value("learning_rate", "LR");
        int? maxIters = Whole("max_iters");
        string steps = maxIters is { } m ? (m + 1).ToString(CultureInfo.InvariantCulture) : total.ToString(CultureInfo.InvariantCulture);
        string spec;
        double? decayIters = null;
        if (constant)
        {
            spec = $"constant(peak={lr},steps={steps})";
        }
        else
        {
            string warmup = Whole("warmup_iters") is { } w ? (w + 1).ToString(CultureInfo.InvariantCulture) : "W+1";
            spec = $"cosine(peak={lr},warmup={warmup},steps={steps},floor={Value("min_lr", "MIN_LR")})";
            decayIters = Num("lr_decay_iters");
        }
        // get_lr decays over warmup_iters..lr_decay_iters, the spec over the run (max_iters + 1 updates): compared as numbers (6000 = 6e3).
        string decay = decayIters is { } di && maxIters is { } mi && di != mi
            ? di < mi
                ? $"; beware, lr_decay_iters ({RunAssembly.Fmt(di)}) is below max_iters ({mi}): the LR stays at min_lr after lr_decay_iters, which the spec does not"
                : $"; beware, lr_decay_iters ({RunAssembly.Fmt(di)}) exceeds max_iters ({mi}): the run stopped before its cosine reached min_lr, but the spec's reaches it at step max_iters + 1"
            : "";
        // The command first: the CLI clips a message at ErrorText.MaxLength characters.
        return $"nanoGPT prints no learning rate: hyperlaws import FILE --schedule '{spec}' --out RUN.csv is train.py's get_lr"
            + (constant ? " with decay_lr = False" : " (warmup W = warmup_iters, steps = max_iters + 1; train.py from dc81cb36, 2024-12-09: before it the warmup was peak it/W)")
            + decay
            + (unread.Count > 0 ? $"; not plain numbers, left as placeholders: {string.Join(", ", unread)}" : "")
            + (config.Count == 0 ? "; the log echoes no config: take the values from the run's config file and train.py's defaults." : ".");
    }

    /// <summary><see cref="TextLog.Step"/>, and k + 1 within the limit too (the iteration with k makes update k + 1).</summary>
    private static int Step(string path, int line, string digits, RunReadOptions options)
    {
        int step = TextLog.Step(path, line, digits, options);
        if (step + 1L > options.MaxStep) throw new RunFormatException(path, line, $"step {step} is absurdly large (limit {options.MaxStep}).");
        return step;
    }
}
