using System.Globalization;
using System.Text;
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
/// peak/(W + 1) and peak/(S - W + 1) from the spec. From <c>40b54e47</c> (2026-02-06; torchtitan 0.2.2 on) <c>lr_scheduler.total_steps</c>
/// T sets the schedule's length apart from <c>training.steps</c> S (a debug run stopped early on the full run's schedule); the start-up
/// line prints S, not T. The hint's length is T where the log gives it (tag <c>scheduleSteps</c>): torchtitan's warnings <c>Warmup steps
/// (W) exceed total steps (T)</c> and <c>Warmup (W) + decay (D) steps exceed total steps (T). Adjusting decay steps to X.</c> (what it
/// used; <c>total training steps</c> before 40b54e47, then T = S), the config dump of <c>job.print_config</c> / <c>debug.print_config</c>
/// (<c>Running with configs: {JSON}</c> from 755ce8ff, 2025-10-21; <c>Running with args: {Python dict}</c> before) and the launch command
/// echoed in the log (<c>--lr_scheduler.total_steps=T</c>, the user's override); the dump and those overrides give <c>warmup_steps</c>,
/// <c>decay_ratio</c>, <c>decay_type</c>, <c>min_lr_factor</c> (tags <c>decayRatio</c>, <c>decayType</c>, <c>minLrFactor</c>) and
/// <c>optimizer.lr</c> too, and the hint's spec is then the configured schedule (<see cref="NoLrHint"/>). Later sources win: the
/// command, then the dump (the overrides applied), then the warnings. Read for torchtitan 0.1 (2025-06) to b5bcd76c (2026-08-21).</item>
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

    // "exceed total steps (T)"; before pytorch/torchtitan 40b54e47 "exceed total training steps (T)". T is the scheduler's length:
    // lr_scheduler.total_steps where set (from 40b54e47), else training.steps.
    [GeneratedRegex(@" - WARNING - Warmup steps \([0-9]+\) exceed total (?:training )?steps \((?<t>[0-9]+)\)\. Adjusting warmup steps to (?<w>[0-9]+)\.")]
    private static partial Regex WarmupAdjusted();

    // With lr_scheduler.decay_ratio set (from 0da8901b, 2025-03-11; this warning from 785c34c9, 2025-03-18): "Warmup (W) + decay (D)
    // steps exceed total steps (T). Adjusting decay steps to X." ("total training steps" before 40b54e47).
    [GeneratedRegex(@" - WARNING - Warmup \([0-9]+\) \+ decay \([0-9]+\) steps exceed total (?:training )?steps \((?<t>[0-9]+)\)\. Adjusting decay steps to (?<d>[0-9]+)\.")]
    private static partial Regex DecayAdjusted();

    // The job's configuration printed once with job.print_config (debug.print_config from 9810191b, 2026-02-23): "Running with configs:
    // {JSON, indented, one key a line}" from 755ce8ff (2025-10-21, torchtitan 0.2), "Running with args: {Python dict, one line}" before.
    [GeneratedRegex(@" - INFO - Running with (?:configs|args): (?<rest>\{.*)$")]
    private static partial Regex ConfigDump();

    // A line of the dump after its first: torchrun's "[rankN]:" (or "N:") tag, then the text.
    [GeneratedRegex(@"^(?:\[rank(?<rank>[0-9]+)\]:|(?<rank>[0-9]+):)?(?<text>.*)$")]
    private static partial Regex DumpLine();

    // A Python logging line after the rank tag ("[titan] YYYY-MM-DD HH:MM:SS,mmm - LOGGER - LEVEL - "): never a line of the dump (its
    // lines are JSON, indented), so one ends a dump left open.
    [GeneratedRegex(@"^\s*(?:\[titan\]\s*)?[0-9]{4}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9],[0-9]{3} - \S+ - (?:DEBUG|INFO|WARNING|ERROR|CRITICAL) - ")]
    private static partial Regex LoggingHead();

    // The launch command echoed (run_train.sh's "+ torchrun ... -m torchtitan.train ...", a launcher's "Command: ..."): the user's
    // overrides "--lr_scheduler.total_steps=1000" or "--lr_scheduler.total_steps 1000" (likewise warmup_steps, decay_ratio, decay_type,
    // min_lr_factor) and "--optimizer.lr".
    [GeneratedRegex(@"(?:^|\s)--(?<key>lr_scheduler\.(?:total_steps|warmup_steps|decay_ratio|decay_type|min_lr_factor|lr_min)|optimizer\.lr)(?:=|\s+)(?<v>[^\s'""]+)")]
    private static partial Regex Override();

    // "key": value or 'key': value inside the dump (JSON or a Python dict).
    [GeneratedRegex(@"[""'](?<key>[a-z_]+)[""']\s*:\s*(?<v>null|None|true|false|True|False|-?[0-9][0-9.eE+-]*|[""'][^""']*[""'])")]
    private static partial Regex DumpField();

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
        // The scheduler's settings: from the launch command's overrides (the user's), the config dump (the job's, overrides applied),
        // and torchtitan's warnings (what it used); later sources win (SchedulerSettings.Merge).
        var command = new SchedulerSettings();
        SchedulerSettings? config = null;
        int? warnedTotal = null, decayAdjusted = null;
        StringBuilder? dump = null;
        string? dumpRank = null;
        int depth = 0;
        try
        {
            using var r = new StreamReader(path);
            foreach (string raw in BoundedText.Lines(r, path, "a torchtitan log"))
            {
                lines++;
                if (dump is not null && DumpLine().Match(raw) is var dl && dl.Groups["rank"].Value == dumpRank)
                {
                    // A line of the config dump (another rank's lines between them are read as usual).
                    string text = dl.Groups["text"].Value;
                    if (!LoggingHead().IsMatch(Plain(text)))
                    {
                        dump.Append(text).Append('\n');
                        depth += Braces(text);
                        if (depth <= 0 || dump.Length > MaxDump) (config, dump) = (config ?? SchedulerSettings.FromDump(dump.ToString()), null);
                        continue;
                    }
                    // A logging line of the dump's rank (a step line, a warning): the dump ended without closing its braces (cut short,
                    // or an unbalanced brace): what it gave is read, and the line as any other.
                    (config, dump) = (config ?? SchedulerSettings.FromDump(dump.ToString()), null);
                }
                if (raw.Contains("--lr_scheduler.", StringComparison.Ordinal) || raw.Contains("--optimizer.lr", StringComparison.Ordinal))
                    command.ReadOverrides(raw);
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
                else if (WarmupAdjusted().Match(line) is { Success: true } wa)
                    (warmupAdjusted, warnedTotal) = (Int(path, lines, wa.Groups["w"].Value), Int(path, lines, wa.Groups["t"].Value));
                else if (DecayAdjusted().Match(line) is { Success: true } da)
                    (decayAdjusted, warnedTotal) = (Int(path, lines, da.Groups["d"].Value), Int(path, lines, da.Groups["t"].Value));
                else if (config is null && dump is null && ConfigDump().Match(line) is { Success: true } cd)
                {
                    string text = cd.Groups["rest"].Value;
                    depth = Braces(text);
                    if (depth <= 0) config = SchedulerSettings.FromDump(text); // "Running with args: {...}" on one line
                    else (dump, dumpRank) = (new StringBuilder(text).Append('\n'), DumpLine().Match(raw).Groups["rank"].Value);
                }
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

        if (dump is not null) config ??= SchedulerSettings.FromDump(dump.ToString()); // a dump cut short by the end of the file
        var scheduler = SchedulerSettings.Merge(command, config);
        // Where the scheduler's length T comes from (tag scheduleStepsSource, the hint's wording): the warning's T is what torchtitan
        // used (lr_scheduler.total_steps where set, else training.steps; before 40b54e47 always training.steps).
        string? totalSource = config?.TotalSteps is not null ? "the config dump's lr_scheduler.total_steps"
            : command.TotalSteps is not null ? "the launch command's --lr_scheduler.total_steps" : null;
        if (warnedTotal is { } wt)
            (scheduler.TotalSteps, totalSource) = (wt, "torchtitan's warning '... exceed total steps (T)' (lr_scheduler.total_steps, else training.steps)");
        var tags = new Dictionary<string, string> { ["format"] = "torchtitan-log" };
        if (ranks.Count > 1) tags["rank"] = $"{chosen.ToString(CultureInfo.InvariantCulture)} (of {ranks.Count.ToString(CultureInfo.InvariantCulture)} ranks logging steps)";
        if (trainSteps is { } ts) tags["trainSteps"] = ts.ToString(CultureInfo.InvariantCulture);
        int? usedWarmup = warmupAdjusted ?? scheduler.WarmupSteps ?? warmup;
        if (usedWarmup is { } uw) tags["warmupSteps"] = uw.ToString(CultureInfo.InvariantCulture);
        double? size = parameters;
        if (active is { } a && parameters is { } n && a != n)
        {
            // A MoE model: every parameter by default (as Step Law's N), the activated ones per token with MoeSize = Active.
            tags["totalParameters"] = RunAssembly.Fmt(n);
            tags["activeParameters"] = RunAssembly.Fmt(a);
            if (options.MoeSize == MoeParameterCount.Active) size = a;
        }
        peak ??= scheduler.Lr;
        if (peak is { } p) tags["optimizerLr"] = RunAssembly.Fmt(p);
        // The scheduler's length T wherever the log gives it (tag scheduleSteps, equal to trainSteps or not; lr_scheduler.total_steps
        // from 40b54e47 sets it apart from training.steps), and where from (tag scheduleStepsSource).
        if (scheduler.TotalSteps is { } total)
            (tags["scheduleSteps"], tags["scheduleStepsSource"]) = (total.ToString(CultureInfo.InvariantCulture), totalSource!);
        if (scheduler.DecayRatio is { } dr) tags["decayRatio"] = RunAssembly.Fmt(dr);
        if (scheduler.DecayType is { } dt) tags["decayType"] = dt;
        if (scheduler.MinLrFactor is { } mf) tags["minLrFactor"] = RunAssembly.Fmt(mf);
        double? tokens = tokensPerStep ?? (batch is { } bb && seqLen is { } ll ? (double)bb * ll : null);
        tags["tokensPerStepSource"] = tokensPerStep is not null ? "the log's 'T tokens per train step'"
            : tokens is not null ? "the log's global batch size x sequence length"
            : "not stated in the log (no 'Trainer is initialized with ...' line)";
        // The hint's schedule runs the scheduler's T steps: lr_scheduler.total_steps where the log gives it, else the planned S
        // ("total steps S", training.steps): torchtitan logs only at step 1 and every log_freq steps, and a job may stop early, so the
        // last logged step can be short of S (the decay would end too soon, a warmup be clipped). A T shorter than the log (torchtitan
        // then runs its decay past 1) no spec here can give: the logged length.
        int planned = Math.Max(scheduler.TotalSteps ?? trainSteps ?? lastStep, lastStep);
        var run = log.Build(lastStep, tags, 0, NoLrHint(planned, usedWarmup, peak, scheduler, decayAdjusted, totalSource));
        var meta = run.Metadata with { Parameters = size, BatchSize = batch, SequenceLength = seqLen, Optimizer = optimizer };
        if (tokens is { } tps) meta = meta with { TokensPerStep = tps, TotalTokens = tps * run.Steps };
        return run with { Metadata = meta };
    }

    /// <summary>
    /// The hint of a log read without a schedule: torchtitan's scheduler as a spec, with the printed peak, warmup and length T
    /// (the scheduler's where the log gives it: <c>lr_scheduler.total_steps</c> of the launch command or the config dump, or the T of
    /// torchtitan's warnings; else <c>training.steps</c>; the hint names the source). torchtitan's <c>linear_warmup_stable_decay</c>
    /// (torchtitan/components/optimizer/lr_scheduler.py @ b5bcd76c): a linear warmup over W = min(W, T) steps, then, with
    /// <c>decay_ratio</c> R unset, a decay of <c>decay_type</c> over the D = T - W steps after it; with R set, the peak held and the decay
    /// over the last D = round(T R) steps (D = T - W where W + D &gt; T, the value of its warning); the decay from the peak to
    /// <c>min_lr_factor</c> f x peak (eta = peak (f + (1 - f) adjustment)). As a spec: <c>linear(peak,steps=T,warmup=W,floor=f peak)</c>
    /// for the default linear decay with R unset, <c>constant(peak,steps=T,warmup=W)</c> with R set and D = 0 (round(T R) = 0: torchtitan's
    /// stable phase runs to the end), else <c>wsd(peak,steps=T,warmup=W,cooldownSteps=D,shape=decay_type,floor=f peak)</c>
    /// (the same shapes: linear, sqrt 1 - sqrt q, cosine). torchtitan's decay runs one step later than the spec's (eta_t = peak (T - t + 1)/(T - W)
    /// after the warmup against peak (T - t)/(T - W) for the linear one): at most peak/D apart, the warmup identical; for torchtitan from
    /// e7c0cae9 (2025-06-11), older versions within peak/(W + 1) (see the type's summary). Without R known, the wsd form for an R is named.
    /// </summary>
    private static string NoLrHint(int total, int? warmup, double? peak, SchedulerSettings scheduler, int? decayAdjusted, string? totalSource)
    {
        int w = Math.Min(warmup ?? 0, total);
        string lr = peak is { } p ? RunAssembly.Fmt(p) : "LR";
        // f x peak to 12 significant digits (0.1 x 0.0008 is 8.000000000000001e-05 in binary).
        string floor = scheduler.MinLrFactor is { } f && f > 0
            ? $",floor={(peak is { } pk ? (f * pk).ToString("G12", CultureInfo.InvariantCulture).ToLowerInvariant() : $"{RunAssembly.Fmt(f)}*LR")}" : "";
        string head = $"peak={lr},steps={total}{(w > 0 ? $",warmup={w}" : "")}";
        string type = scheduler.DecayType ?? "linear";
        // D: torchtitan's decay steps; Python's round() halves to even, as Math.Round does by default.
        // The decay warning says R is set (and gives D) even where nothing else in the log does.
        bool ratioSet = scheduler.DecayRatio is not null || decayAdjusted is not null;
        int decay = decayAdjusted ?? (scheduler.DecayRatio is { } ratio ? (int)Math.Round(total * ratio) : total - w);
        decay = Math.Min(decay, total - w);
        bool known = ratioSet || scheduler.DecayType is not null;
        // With R set and D = round(T R) = 0 torchtitan holds the peak after the warmup to the end (no decay step): a constant.
        string spec = decay >= 1 && (ratioSet || type != "linear") ? $"wsd({head},cooldownSteps={decay},shape={type}{floor})"
            : ratioSet ? $"constant({head})"
            : $"linear({head}{floor})";
        string source = totalSource is not null ? $"steps: {totalSource}; " : "";
        // The command first: the CLI clips a message at ErrorText.MaxLength characters.
        return $"torchtitan prints no learning rate to its console: hyperlaws import FILE --schedule '{spec}' --out RUN.csv is its "
            + (known ? "scheduler as the log configures it " : "default scheduler ")
            + $"({source}{(peak is null ? "LR: the job's [optimizer] lr" : "peak: the log's optimizer lr")}"
            + (known ? ")" : $"; with [lr_scheduler] decay_ratio R set, wsd({head},cooldown=R,shape=DECAY_TYPE))")
            + ", or read the run's TensorBoard events, which log the LR. "
            + "(torchtitan from e7c0cae9, 2025-06-11; before it the warmup was peak t/(W+1), the decay over S-W+1 steps.)";
    }

    /// <summary>At most this many characters of a config dump are read (a dump is a few thousand; a longer one is cut there).</summary>
    private const int MaxDump = 1_000_000;

    /// <summary>The braces a line of the dump opens minus those it closes, outside its strings (a brace in a value is text).</summary>
    private static int Braces(string text) => BracesOutsideStrings(text).Sum(b => b.Open ? 1 : -1);

    /// <summary>
    /// The braces of <paramref name="text"/> outside its quoted strings ("..." of JSON, '...' or "..." of a Python dict; a backslash
    /// escapes the next character), with their index; a string still open at the end runs to the end.
    /// </summary>
    private static IEnumerable<(int At, bool Open)> BracesOutsideStrings(string text)
    {
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == '\\') i++;
                else if (c == quote) quote = '\0';
            }
            else if (c is '"' or '\'') quote = c;
            else if (c is '{' or '}') yield return (i, c == '{');
        }
    }

    /// <summary>
    /// The scheduler's settings a log gives (null: not given): <c>[lr_scheduler] total_steps, warmup_steps, decay_ratio, decay_type,
    /// min_lr_factor</c> (<c>lr_min</c> before 881f0ca4, 2025-07-31, the same factor) and <c>[optimizer] lr</c>, from the launch command's
    /// overrides or the config dump. <c>total_steps</c> exists from 40b54e47 (2026-02-06; torchtitan 0.2.2 on); null in a dump means
    /// unset (the scheduler then runs <c>training.steps</c>).
    /// </summary>
    private sealed class SchedulerSettings
    {
        public int? TotalSteps { get; set; }

        public int? WarmupSteps { get; set; }

        public double? DecayRatio { get; set; }

        public string? DecayType { get; set; }

        public double? MinLrFactor { get; set; }

        public double? Lr { get; set; }

        /// <summary>The overrides of a launch command line (the last one given wins).</summary>
        public void ReadOverrides(string line)
        {
            foreach (Match m in Override().Matches(line))
                Set(m.Groups["key"].Value.Split('.')[^1], m.Groups["key"].Value.StartsWith("optimizer", StringComparison.Ordinal), m.Groups["v"].Value);
        }

        /// <summary>The settings of a config dump: its <c>lr_scheduler</c> and <c>optimizer</c> objects, JSON or a Python dict.</summary>
        public static SchedulerSettings FromDump(string text)
        {
            var s = new SchedulerSettings();
            foreach (Match m in DumpField().Matches(Section(text, "lr_scheduler"))) s.Set(m.Groups["key"].Value, false, m.Groups["v"].Value);
            foreach (Match m in DumpField().Matches(Section(text, "optimizer"))) if (m.Groups["key"].Value == "lr") s.Set("lr", true, m.Groups["v"].Value);
            return s;
        }

        /// <summary><paramref name="first"/>'s settings, each replaced by <paramref name="then"/>'s where that gives it.</summary>
        public static SchedulerSettings Merge(SchedulerSettings first, SchedulerSettings? then) => then is null ? first : new SchedulerSettings
        {
            TotalSteps = then.TotalSteps ?? first.TotalSteps,
            WarmupSteps = then.WarmupSteps ?? first.WarmupSteps,
            DecayRatio = then.DecayRatio ?? first.DecayRatio,
            DecayType = then.DecayType ?? first.DecayType,
            MinLrFactor = then.MinLrFactor ?? first.MinLrFactor,
            Lr = then.Lr ?? first.Lr,
        };

        /// <summary>The text of the object <c>"name": {...}</c> (or <c>'name': {...}</c>) of <paramref name="text"/>; empty when absent.</summary>
        private static string Section(string text, string name)
        {
            foreach (string key in new[] { $"\"{name}\"", $"'{name}'" })
            {
                // The first occurrence that opens an object ("optimizer" may also be a value elsewhere in the dump).
                for (int at = text.IndexOf(key, StringComparison.Ordinal); at >= 0; at = text.IndexOf(key, at + 1, StringComparison.Ordinal))
                {
                    int i = at + key.Length;
                    while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
                    if (i >= text.Length || text[i] != ':') continue;
                    i++;
                    while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
                    if (i >= text.Length || text[i] != '{') continue;
                    int depth = 1, start = ++i;
                    foreach (var (brace, open) in BracesOutsideStrings(text[start..]))
                        if ((depth += open ? 1 : -1) == 0) return text[start..(start + brace)];
                    return text[start..];
                }
            }
            return "";
        }

        /// <summary>One setting from its text; a value that is not one (null, None, a broken number, an unknown decay type) is not given.</summary>
        private void Set(string key, bool optimizer, string value)
        {
            value = value.Trim('"', '\'');
            bool whole = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0;
            double? number = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x) && x >= 0 ? x : null;
            if (optimizer)
            {
                if (key == "lr" && number > 0) Lr = number;
                return;
            }
            switch (key)
            {
                case "total_steps" when whole: TotalSteps = n; break;
                case "warmup_steps" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int w): WarmupSteps = w; break;
                case "decay_ratio" when number <= 1: DecayRatio = number; break;
                case "decay_type" when value is "linear" or "sqrt" or "cosine": DecayType = value; break;
                case "min_lr_factor" or "lr_min" when number < 1: MinLrFactor = number; break;
            }
        }
    }

    /// <summary>A setting's ASCII digits as an int; a value past int.MaxValue is a corrupt line, refused.</summary>
    private static int Int(string path, int line, string digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v
            : throw new RunFormatException(path, line, $"'{TextLog.Clip(digits)}' is too large a count for this setting.");
}
