using System.Globalization;
using System.Text.RegularExpressions;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The console log of PyTorch's torchtitan (github.com/pytorch/torchtitan, <c>torchtitan.train</c>; what <c>run_train.sh</c> prints,
/// often kept with <c>torchrun --tee</c> or a Slurm <c>.out</c>): Python <c>logging</c> lines
/// <c>[rank0]:[titan] 2026-05-20 05:51:03,512 - root - INFO - MESSAGE</c> (the rank tag from <c>torchrun</c>, <c>[titan]</c> from 2025;
/// 2024 logs start at the timestamp), where every <c>metrics.log_freq</c> steps MESSAGE is
/// <code>step: 10  loss:  5.55888  grad_norm: 35.5000  memory: 169.10GiB(94.81%)  tps: 10,468  tflops: 881.99  mfu: 39.20%</code>
/// (2024: <c>loss: {:7.4f}</c>, <c>wps:</c>, no <c>grad_norm</c>), and after a validation <c>validate step: 100  loss: 3.1234  ...</c>.
/// The fields are coloured with ANSI escapes by default (<c>[31mstep:  1  [32mloss: ...</c>): they are removed before reading.
/// Conventions, from <c>torchtitan/trainer.py</c> and <c>torchtitan/components/metrics.py</c> (pytorch/torchtitan @ <c>b5bcd76c</c>):
/// <list type="bullet">
/// <item><c>train()</c> does <c>self.step += 1</c>, then <c>train_step</c>: forward and backward on the step's batch at the current
/// weights, <c>optimizers.step()</c>, <c>lr_schedulers.step()</c>, then, where <c>should_log(step)</c> (<c>step == 1 or step %
/// log_freq == 0</c>), <c>metrics_processor.log(step, global_avg_loss, ...)</c>. So the loss printed at <c>step: k</c> is the loss of
/// batch k alone (averaged over its tokens on all ranks, not over the log interval) computed after k - 1 updates: an observation at
/// step k - 1 (k = 1, the untrained model's, goes to the tag <c>initialLoss</c>); the divergence rule is the trailing median, as for
/// the other per-batch logs.</item>
/// <item><c>validator.validate(model, step)</c> runs after <c>train_step</c> of step k: <c>validate step: k  loss: X</c> is the validation
/// loss after k updates, a validation observation at step k.</item>
/// <item>The console prints no learning rate (torchtitan sends it to TensorBoard / W&amp;B only): the run needs
/// <see cref="RunReadOptions.Schedule"/>. The no-LR error gives torchtitan's default scheduler as a spec with the printed peak and
/// warmup: <c>linear(peak,steps=S,warmup=W)</c> (<c>lr_scheduler.decay_ratio</c> unset: a linear warmup eta_t = peak t/W, then a
/// linear decay to <c>min_lr_factor</c> 0; torchtitan's decay runs one step later than the spec's, eta_t = peak (S - t + 1)/(S - W),
/// at most peak/(S - W) apart), and the <c>wsd</c> form for a <c>decay_ratio</c>. That holds for torchtitan from pytorch/torchtitan
/// <c>e7c0cae9</c> (2025-06-11); before it the warmup was peak t/(W + 1) and the decay peak (S - t + 1)/(S - W + 1), at most
/// peak/(W + 1) and peak/(S - W + 1) from the spec. From <c>40b54e47</c> (2026-02-06) <c>lr_scheduler.total_steps</c> can set a
/// schedule longer than the run, which the console does not print.</item>
/// <item>The settings the trainer prints once: <c>Model NAME FLAVOR size: 14,768,307,200 total parameters</c> (every parameter;
/// <see cref="RunMetadata.Parameters"/>; MoE models print <c>Total parameter count: dense D, sparse S, [vision V,] active A</c>
/// before it: tags <c>totalParameters</c>, <c>activeParameters</c>, and A as the size with <see cref="RunReadOptions.MoeSize"/> =
/// <see cref="MoeParameterCount.Active"/>); torchtitan 0.2's <c>Optimizer AdamW (model_part=0): ... {..., 'lr': 0.0008, ...}</c> (the
/// peak LR, tag <c>optimizerLr</c>; the optimizer's name as <see cref="RunMetadata.Optimizer"/>); <c>Trainer is initialized with local batch size b, global batch size B, gradient accumulation steps G,
/// sequence length L, total steps S (warmup W)</c> (2024: <c>Training starts at step 1, with local batch size ...</c>; newest:
/// <c>... with X tokens per DP rank, T tokens per train step, ..., maximum context length L, total steps S (warmup W)</c>): the tokens
/// per step are T, else B x L (<see cref="RunMetadata.TokensPerStep"/>, <see cref="RunMetadata.BatchSize"/>,
/// <see cref="RunMetadata.SequenceLength"/>), S the planned length (tag <c>trainSteps</c>), W the warmup (tag <c>warmupSteps</c>;
/// where W &gt; S torchtitan warns <c>Warmup steps (W) exceed total steps (S). Adjusting warmup steps to S.</c> and uses S).</item>
/// </list>
/// Without <c>torchrun --local-ranks-filter</c> (run_train.sh's <c>LOG_RANK</c>) every rank prints each step: one rank's lines are
/// read, the lowest whose losses are not all -1.0 (under pipeline parallelism the ranks without the last stage print loss -1.0; a
/// -1.0 read is refused naming <c>LOG_RANK</c>), the tag <c>rank</c> says which.
/// The run as logged has S = the last step with a loss (a schedule spec may make it longer). A step logged twice (a resumed run
/// appending to the same file) keeps the later line (tag <c>resumeConflicts</c>). Lines that are not a step line (the launcher's,
/// warnings, tracebacks) are read only for the settings above; a step line must be well formed. Errors name the file and the
/// 1-based line.
/// </summary>
public static partial class TorchtitanLogReader
{
    /// <summary>How many lines <see cref="Recognizes"/> reads at most looking for the first step line (the launcher's output comes first).</summary>
    public const int RecognizeLines = 20_000;

    /// <summary>True when one of the first <see cref="RecognizeLines"/> lines is a torchtitan step line (<c>... - root - INFO - step: K  loss: X</c>).</summary>
    public static bool Recognizes(string path) =>
        BoundedText.AnyOfFirstLines(path, RecognizeLines, line => line.Contains("step:", StringComparison.Ordinal) && Step().IsMatch(Plain(line)));

    // [0-9], not \d: \d matches every Unicode digit, which the invariant-culture parsers refuse.
    // The logging head (rank tag, [titan], "YYYY-MM-DD HH:MM:SS,mmm - root - INFO - "), then "step: K  loss: X" or "validate step: K  loss: X".
    // torchtitan logs through the root logger (torchtitan/tools/logging.py: logging.getLogger()): another logger's "step: K  loss: X"
    // (a script's own logging.getLogger(__name__)) is not torchtitan's.
    [GeneratedRegex(@"^(?:\[rank(?<rank>[0-9]+)\]:|(?<rank>[0-9]+):)?\s*(?:\[titan\]\s*)?[0-9]{4}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9],[0-9]{3} - root - INFO - (?<val>validate )?step:\s*(?<k>[0-9]+)\s+loss:\s*(?<loss>\S+)(?:\s+\w+:.*)?$")]
    private static partial Regex Step();

    // A line that starts as a step line: checked against Step() and refused when it is not one (a line cut short, a broken number).
    [GeneratedRegex(@" - root - INFO - (?:validate )?step:\s*[0-9]")]
    private static partial Regex StepLike();

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Ansi();

    [GeneratedRegex(@" - INFO - Model .* size: (?<n>[0-9][0-9,]*) total parameters")]
    private static partial Regex ModelSize();

    // "dense D, sparse S, active A"; torchtitan 0.2 adds "vision V" before "active".
    [GeneratedRegex(@" - INFO - Total parameter count: dense [0-9,]+, .*\bactive (?<a>[0-9][0-9,]*)")]
    private static partial Regex ParameterCount();

    // "Optimizer AdamW (model_part=0): 83 params [.*] {'fused': True, ..., 'lr': 0.0008, ...}" (torchtitan 0.2).
    [GeneratedRegex(@" - INFO - Optimizer (?<name>\w+) \(model_part=0\):.*'lr': (?<lr>[0-9][0-9.eE+-]*)[,}]")]
    private static partial Regex OptimizerLine();

    [GeneratedRegex(@" - INFO - (?:Trainer is initialized with|Training starts at step [0-9]+, with) (?<rest>.*)$")]
    private static partial Regex Settings();

    [GeneratedRegex(@"\bglobal batch size (?<b>[0-9]+)")]
    private static partial Regex GlobalBatch();

    // "sequence length L"; the newest trainer.py prints "maximum context length L".
    [GeneratedRegex(@"\b(?:sequence length|maximum context length) (?<l>[0-9]+)")]
    private static partial Regex SequenceLength();

    [GeneratedRegex(@"\b(?<t>[0-9]+) tokens per train step")]
    private static partial Regex TokensPerStep();

    [GeneratedRegex(@"\btotal steps (?<s>[0-9]+)")]
    private static partial Regex TotalSteps();

    [GeneratedRegex(@"\(warmup (?<w>[0-9]+)\)")]
    private static partial Regex Warmup();

    // "exceed total steps (S)"; before pytorch/torchtitan 40b54e47 "exceed total training steps (S)".
    [GeneratedRegex(@" - WARNING - Warmup steps \([0-9]+\) exceed total (?:training )?steps \([0-9]+\)\. Adjusting warmup steps to (?<w>[0-9]+)\.")]
    private static partial Regex WarmupAdjusted();

    /// <summary>The line without its ANSI colour escapes (torchtitan colours its fields unless <c>--metrics.disable_color_printing</c>).</summary>
    private static string Plain(string line) => line.Contains('\x1b') ? Ansi().Replace(line, "") : line;

    /// <summary>Reads one torchtitan console log.</summary>
    /// <exception cref="RunFormatException">The file cannot be read or breaks the format; the message names the line.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        var log = new TextLog(path, options);
        int lines = 0, lastStep = 0;
        // Every step line with its rank (-1: no rank tag): without torchrun's --local-ranks-filter every rank prints each step.
        var stepLines = new List<(int Rank, bool Val, int K, double Loss, string Where)>();
        double? parameters = null, active = null, tokensPerStep = null, peak = null;
        string? optimizer = null;
        int? batch = null, seqLen = null, trainSteps = null, warmup = null, warmupAdjusted = null;
        try
        {
            using var r = new StreamReader(path);
            foreach (string raw in BoundedText.Lines(r, path, "a torchtitan log"))
            {
                lines++;
                if (raw.IndexOf(" - ", StringComparison.Ordinal) < 0) continue; // not a logging line (the launcher's, a traceback)
                string line = Plain(raw).TrimEnd();
                if (StepLike().IsMatch(line))
                {
                    var m = Step().Match(line);
                    if (!m.Success) throw new RunFormatException(path, lines, $"a torchtitan step line not of the form '... - root - INFO - step: K  loss: X  ...': '{TextLog.Clip(line.Trim())}'.");
                    string where = lines.ToString(CultureInfo.InvariantCulture);
                    int k = TextLog.Step(path, lines, m.Groups["k"].Value, options, allowZero: false);
                    double loss = TextLog.Number(path, lines, "loss", m.Groups["loss"].Value);
                    int rank = m.Groups["rank"].Success && int.TryParse(m.Groups["rank"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int rk) ? rk : -1;
                    stepLines.Add((rank, m.Groups["val"].Success, k, loss, where));
                    continue;
                }
                if (ModelSize().Match(line) is { Success: true } ms) parameters = TextLog.Count(ms.Groups["n"].Value);
                else if (ParameterCount().Match(line) is { Success: true } pc) active = TextLog.Count(pc.Groups["a"].Value);
                else if (WarmupAdjusted().Match(line) is { Success: true } wa) warmupAdjusted = Int(path, lines, wa.Groups["w"].Value);
                else if (OptimizerLine().Match(line) is { Success: true } ol)
                {
                    optimizer = ol.Groups["name"].Value.ToLowerInvariant();
                    peak = TextLog.Number(ol.Groups["lr"].Value) is { } v && double.IsFinite(v) && v > 0 ? v : null;
                }
                else if (Settings().Match(line) is { Success: true } st)
                {
                    string rest = st.Groups["rest"].Value;
                    if (GlobalBatch().Match(rest) is { Success: true } b) batch = Int(path, lines, b.Groups["b"].Value);
                    if (SequenceLength().Match(rest) is { Success: true } l) seqLen = Int(path, lines, l.Groups["l"].Value);
                    if (TokensPerStep().Match(rest) is { Success: true } t) tokensPerStep = TextLog.Count(t.Groups["t"].Value);
                    if (TotalSteps().Match(rest) is { Success: true } s) trainSteps = Int(path, lines, s.Groups["s"].Value);
                    if (Warmup().Match(rest) is { Success: true } w) warmup = Int(path, lines, w.Groups["w"].Value);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, 0, $"cannot be read: {e.Message}", e);
        }
        if (lines == 0) throw new RunFormatException(path, 0, "the file is empty.");
        if (stepLines.Count == 0) throw new RunFormatException(path, 0, "no torchtitan step line ('... - root - INFO - step: K  loss: X  ...') in the file.");
        // One rank's lines: every rank prints the same all-reduced loss, except under pipeline parallelism, where the ranks without
        // the last stage print -1.0 (trainer.py); so the lowest rank with a loss other than -1, else the lowest rank.
        var ranks = stepLines.Select(l => l.Rank).Distinct().Order().ToList();
        int chosen = ranks.Cast<int?>().FirstOrDefault(rk => stepLines.Any(l => l.Rank == rk && l.Loss != -1.0)) ?? ranks[0];
        foreach (var (rank, val, k, loss, where) in stepLines)
        {
            if (rank != chosen) continue;
            if (!val && loss == -1.0)
                throw new RunFormatException(path, where, $"loss -1 at step {k}: torchtitan prints -1.0 on the ranks without the last pipeline-parallel stage; "
                    + "log the last stage's rank (LOG_RANK=R ./run_train.sh, or torchrun --local-ranks-filter R).");
            if (val)
                log.AddVal(k, loss, where);
            else
                log.AddTrain(k - 1, loss, where); // the loss of batch k, computed after k - 1 updates
            lastStep = Math.Max(lastStep, k);
        }

        var tags = new Dictionary<string, string> { ["format"] = "torchtitan-log" };
        if (ranks.Count > 1) tags["rank"] = $"{chosen.ToString(CultureInfo.InvariantCulture)} (of {ranks.Count.ToString(CultureInfo.InvariantCulture)} ranks logging steps)";
        if (trainSteps is { } ts) tags["trainSteps"] = ts.ToString(CultureInfo.InvariantCulture);
        int? usedWarmup = warmupAdjusted ?? warmup;
        if (usedWarmup is { } uw) tags["warmupSteps"] = uw.ToString(CultureInfo.InvariantCulture);
        double? size = parameters;
        if (active is { } a && parameters is { } n && a != n)
        {
            // A MoE model: every parameter by default (as Step Law's N), the activated ones per token with MoeSize = Active.
            tags["totalParameters"] = RunAssembly.Fmt(n);
            tags["activeParameters"] = RunAssembly.Fmt(a);
            if (options.MoeSize == MoeParameterCount.Active) size = a;
        }
        if (peak is { } p) tags["optimizerLr"] = RunAssembly.Fmt(p);
        double? tokens = tokensPerStep ?? (batch is { } bb && seqLen is { } ll ? (double)bb * ll : null);
        tags["tokensPerStepSource"] = tokensPerStep is not null ? "the log's 'T tokens per train step'"
            : tokens is not null ? "the log's global batch size x sequence length"
            : "not stated in the log (no 'Trainer is initialized with ...' line)";
        // The hint's schedule runs the planned S steps ("total steps S"): torchtitan logs only at step 1 and every log_freq steps,
        // and a job may stop early, so the last logged step can be short of S (the decay would end too soon, a warmup be clipped).
        int planned = Math.Max(trainSteps ?? lastStep, lastStep);
        var run = log.Build(lastStep, tags, 0, NoLrHint(planned, usedWarmup, peak));
        var meta = run.Metadata with { Parameters = size, BatchSize = batch, SequenceLength = seqLen, Optimizer = optimizer };
        if (tokens is { } tps) meta = meta with { TokensPerStep = tps, TotalTokens = tps * run.Steps };
        return run with { Metadata = meta };
    }

    /// <summary>
    /// The hint of a log read without a schedule: torchtitan's default scheduler as a spec (<c>lr_scheduler.decay_ratio</c> unset:
    /// the linear warmup, then a linear decay to <c>min_lr_factor</c> 0 over the rest of the run), with the printed peak and warmup.
    /// torchtitan's decay runs one step later than the spec's (eta_t = peak (S - t + 1)/(S - W) after the warmup against
    /// peak (S - t)/(S - W)): at most peak/(S - W) apart, the warmup identical; for torchtitan from e7c0cae9 (2025-06-11), older
    /// versions within peak/(W + 1) (see the type's summary).
    /// </summary>
    private static string NoLrHint(int total, int? warmup, double? peak)
    {
        int w = Math.Min(warmup ?? 0, total);
        string lr = peak is { } p ? RunAssembly.Fmt(p) : "LR";
        string spec = $"linear(peak={lr},steps={total}{(w > 0 ? $",warmup={w}" : "")})";
        // The command first: the CLI clips a message at ErrorText.MaxLength characters.
        return $"torchtitan prints no learning rate to its console: hyperlaws import FILE --schedule '{spec}' --out RUN.csv is its default "
            + $"scheduler ({(peak is null ? "LR: the job's [optimizer] lr; " : "peak: the log's optimizer lr; ")}with [lr_scheduler] decay_ratio R set, "
            + $"wsd(peak={lr},steps={total}{(w > 0 ? $",warmup={w}" : "")},cooldown=R,shape=DECAY_TYPE)), or read the run's TensorBoard events, which log the LR. "
            + "(torchtitan from e7c0cae9, 2025-06-11; before it the warmup was peak t/(W+1), the decay over S-W+1 steps.)";
    }

    /// <summary>A setting's ASCII digits as an int; a value past int.MaxValue is a corrupt line, refused.</summary>
    private static int Int(string path, int line, string digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v
            : throw new RunFormatException(path, line, $"'{TextLog.Clip(digits)}' is too large a count for this setting.");
}
