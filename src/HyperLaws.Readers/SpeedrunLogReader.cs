using System.Globalization;
using System.Text.RegularExpressions;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The run logs of the modded-nanogpt speedrun (github.com/KellerJordan/modded-nanogpt, <c>records/**/&lt;uuid&gt;.txt</c>, written
/// by <c>train_gpt*.py</c> to <c>logs/&lt;uuid&gt;.txt</c>): the training script's own code, then free text (PyTorch version,
/// <c>nvidia-smi</c>), then one line per event:
/// <list type="bullet">
/// <item><c>step:k/S val_loss:X train_time:...</c>: printed at the top of loop iteration k (<c>for step in range(S + 1)</c>)
/// before the training section, so X is the validation loss after k updates: a validation observation at step k (k = 0 goes
/// to the tag <c>initialValLoss</c>).</item>
/// <item><c>step:k/S train_loss:X train_time:...</c>: printed as <c>step:{step+1}</c> after the optimizer step of iteration
/// <c>step</c>, with the loss of that iteration's (last micro-)batch, computed before the update: the loss after k - 1 updates,
/// an observation at step k - 1 (k = 1, the untrained model's, goes to the tag <c>initialLoss</c>). Later logs print
/// <c>step:k/S train_time:...</c> without a loss: such lines carry nothing and are skipped.</item>
/// </list>
/// S (the <c>/S</c> of every line, the same on all) is the run's length. Lines not starting with <c>step:</c> and a digit (the
/// code, the banner) are not read; a line that does must be well formed. The log holds no learning rate: the script's
/// <c>get_lr</c> (or <c>set_hparams</c>) in the code at its top has the schedule, to be given as
/// <see cref="RunReadOptions.Schedule"/> (for the 2024 records, <c>wsd(peak=LR,steps=S,warmup=W,cooldownSteps=WD)</c> is their
/// LambdaLR <c>get_lr</c> but for the warmdown, which LambdaLR evaluates one step later: (S - t + 1)/WD at update t against the
/// spec's (S - t)/WD). The script is read for what it states (<see cref="SpeedrunScript"/>): its batch, as
/// <see cref="RunMetadata.TokensPerStep"/> (tag <c>tokensPerStepSource</c> says from what, or that the log does not state it), and its
/// warmup and cooldown (tags <c>scriptWarmupSteps</c>, <c>scriptCooldownSteps</c>, <c>scriptCooldownFraction</c>; the no-LR error
/// spells them as a spec to complete). A step logged twice keeps the later line (tag <c>resumeConflicts</c>). Errors name the file
/// and the 1-based line.
/// <para>
/// The logs of OpenAI's Parameter Golf (github.com/openai/parameter-golf, <c>records/**/train*.log</c>, 2026; its
/// <c>train_gpt.py</c> descends from these scripts and prints the same lines, with <c>val_bpb:</c> beside <c>val_loss:</c>) stop at a
/// wallclock cap before the <c>/S</c> of their lines and say so after the last event: <c>stopping_early: wallclock_cap
/// train_time:Tms step:K/S</c>. The run's length is then K (tags <c>stoppedEarly</c> and <c>plannedSteps</c> keep why and S): the
/// script times its warmdown by the wallclock (<c>lr_mul</c>: the time left over <c>warmdown_iters</c> x the mean step time), so its
/// LR reaches 0 at K, and a schedule of K steps is what it ran. Their settings lines before the first event are read
/// (<see cref="PrintedSettings"/>): <c>model_params:N</c> as <see cref="RunMetadata.Parameters"/> (every parameter, the tied
/// embedding included), <c>train_batch_tokens:B</c> as the batch where the script gives none (B is across all devices), and
/// <c>matrix_lr:</c> (the Muon matrices' LR) as the peak the no-LR hint suggests. A log without a stop line whose events end before S
/// while its settings print <c>max_wallclock_seconds:T</c> with T &gt; 0 (a copy cut short, a run killed) is read as S steps, but its
/// length is unknown: the tag <c>lengthUnknown</c> and the no-LR hint say so (the run may have stopped at its cap).
/// </para>
/// </summary>
public static partial class SpeedrunLogReader
{
    /// <summary>How many lines <see cref="Recognizes"/> reads at most looking for the first event line (the code dump comes first).</summary>
    public const int RecognizeLines = 20_000;

    /// <summary>True when one of the first <see cref="RecognizeLines"/> lines is an event line <c>step:k/S train_loss:</c> or <c>val_loss:</c>.</summary>
    public static bool Recognizes(string path) => BoundedText.AnyOfFirstLines(path, RecognizeLines, Head().IsMatch);

    [GeneratedRegex(@"^step:[0-9]+/[0-9]+\s+(train_loss|val_loss):")]
    private static partial Regex Head();

    [GeneratedRegex(@"^step:([0-9]+)/([0-9]+)(\s+.*)?$")]
    private static partial Regex Event();

    [GeneratedRegex(@"(\w+):(\S*)")]
    private static partial Regex Field();

    // Parameter Golf's stop line (column 0; the code dump prints it inside an indented f-string).
    [GeneratedRegex(@"^stopping_early:\s*(?<why>\w+)\b.*?\bstep:(?<k>[0-9]+)/(?<s>[0-9]+)\s*$")]
    private static partial Regex StopLine();

    // Parameter Golf's settings lines, printed by the run (column 0) after the code and before the first event.
    [GeneratedRegex(@"^model_params:(?<n>[0-9]+)\b")]
    private static partial Regex ModelParams();

    [GeneratedRegex(@"^train_batch_tokens:(?<b>[0-9]+)\s")]
    private static partial Regex BatchTokens();

    [GeneratedRegex(@"^tie_embeddings:\S+\s.*\bmatrix_lr:(?<lr>[0-9][0-9.eE+-]*)(\s|$)")]
    private static partial Regex MatrixLr();

    // On a settings line (column 0), first or after other fields: Parameter Golf prints it after train_batch_tokens:B ... warmup_steps:W.
    [GeneratedRegex(@"^(\w+:\S*\s.*)?\bmax_wallclock_seconds:(?<w>[0-9][0-9.eE+-]*)(\s|$)")]
    private static partial Regex WallclockCap();

    /// <summary>Reads one speedrun log.</summary>
    /// <exception cref="RunFormatException">The file cannot be read or breaks the format; the message names the line.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        var log = new TextLog(path, options);
        int total = -1, lines = 0, events = 0, lastEvent = 0;
        string? totalWhere = null;
        (string Why, double K, int S, int Line)? stop = null;
        var code = new List<string>(); // the lines before the first event: the training script's source, then the banner
        try
        {
            using var r = new StreamReader(path);
            foreach (string raw in BoundedText.Lines(r, path, "a speedrun log"))
            {
                lines++;
                string line = raw.TrimEnd();
                if (!line.StartsWith("step:", StringComparison.Ordinal) || line.Length < 6 || !char.IsAsciiDigit(line[5]))
                {
                    if (events == 0 && code.Count < RecognizeLines) code.Add(line);
                    else if (events > 0 && StopLine().Match(line) is { Success: true } st)
                    {
                        if (stop is not null) throw new RunFormatException(path, lines, $"a second stop line (the first at line {stop.Value.Line}): logs of two runs in one file?");
                        stop = (st.Groups["why"].Value, Parse(st.Groups["k"].Value), (int)Math.Min(Parse(st.Groups["s"].Value), int.MaxValue), lines);
                    }
                    continue;
                }
                string where = lines.ToString(CultureInfo.InvariantCulture);
                var m = Event().Match(line);
                if (!m.Success) throw new RunFormatException(path, lines, $"not a speedrun log line (expected 'step:K/S train_loss:X ...' or 'step:K/S val_loss:X ...'): '{TextLog.Clip(line)}'.");
                int k = RunAssembly.CheckStep(path, where, Parse(m.Groups[1].Value), options.MaxStep, allowZero: true);
                int s = RunAssembly.CheckStep(path, where, Parse(m.Groups[2].Value), options.MaxStep);
                if (total < 0)
                {
                    total = s;
                    totalWhere = where;
                }
                else if (s != total)
                {
                    throw new RunFormatException(path, lines, $"the run's length is {s} here but {total} at line {totalWhere} (logs of two runs in one file?).");
                }
                if (k > total) throw new RunFormatException(path, lines, $"step {k} is beyond the run's {total} steps.");
                events++;
                lastEvent = Math.Max(lastEvent, k);
                foreach (Match f in Field().Matches(m.Groups[3].Value))
                {
                    string key = f.Groups[1].Value, text = f.Groups[2].Value;
                    if (key is not ("train_loss" or "val_loss")) continue; // train_time, step_avg, ...
                    double v = TextLog.Number(text) ?? throw new RunFormatException(path, lines, $"{key} '{TextLog.Clip(text)}' is not a number.");
                    if (key == "val_loss")
                    {
                        log.AddVal(k, v, where);
                    }
                    else
                    {
                        if (k == 0) throw new RunFormatException(path, lines, "a training loss at step:0 (the script logs it as step:{step+1}, from 1).");
                        log.AddTrain(k - 1, v, where);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, 0, $"cannot be read: {e.Message}", e);
        }
        if (lines == 0) throw new RunFormatException(path, 0, "the file is empty.");
        if (events == 0) throw new RunFormatException(path, 0, "no 'step:K/S ...' line: not a modded-nanogpt speedrun log.");
        var tags = new Dictionary<string, string>
        {
            ["format"] = "modded-nanogpt",
            ["lastLoggedStep"] = log.LastLossStep.ToString(CultureInfo.InvariantCulture),
        };
        int length = total;
        if (stop is { } halt)
        {
            if (halt.S != total) throw new RunFormatException(path, halt.Line, $"the stop line's run length is {halt.S} but {total} at line {totalWhere} (logs of two runs in one file?).");
            if (halt.K > total) throw new RunFormatException(path, halt.Line, $"the run stops at step {RunAssembly.Fmt(halt.K)}, beyond its {total} steps.");
            if (halt.K == 0) throw new RunFormatException(path, halt.Line, "a stop at step 0: no update ran.");
            int k = (int)halt.K;
            if (k < lastEvent) throw new RunFormatException(path, halt.Line, $"the run stops at step {k} here but step {lastEvent} is logged.");
            length = k;
            tags[RunNote.StoppedEarlyTag] = $"{halt.Why} at step {k} of {total}";
            tags[RunNote.PlannedStepsTag] = total.ToString(CultureInfo.InvariantCulture);
        }
        var facts = SpeedrunScript.Read(code);
        var printed = PrintedSettings(code);
        string? unknownLength = null;
        if (stop is null && printed.WallclockSeconds is { } cap && lastEvent < total)
        {
            // Parameter Golf without its stop line (a log cut short, or a run killed): it may have stopped at its cap before S.
            unknownLength = $"the run's length is unknown: the log ends at step {lastEvent} of {total} without a stop line and its settings set "
                + $"max_wallclock_seconds:{RunAssembly.Fmt(cap)}, so the run may have stopped at its wallclock cap before step {total} (read as {total} steps)";
            tags[RunNote.LengthUnknownTag] = unknownLength;
        }
        double? tokensPerStep = facts.TokensPerStep ?? printed.BatchTokens;
        tags["tokensPerStepSource"] = facts.TokensPerStep is null && printed.BatchTokens is { } pb
            ? $"the log's settings line: train_batch_tokens:{RunAssembly.Fmt(pb)} (tokens per step across all devices)"
            : facts.BatchSource ?? "not stated in the log (the script at its top gives no batch the reader can read)";
        if (facts.WarmupSteps is { } w) tags["scriptWarmupSteps"] = RunAssembly.Fmt(w);
        if (facts.CooldownSteps is { } wd) tags["scriptCooldownSteps"] = RunAssembly.Fmt(wd);
        if (facts.CooldownFraction is { } cf) tags["scriptCooldownFraction"] = RunAssembly.Fmt(cf);
        if (printed.MatrixLr is { } mlr) tags["loggedMatrixLr"] = RunAssembly.Fmt(mlr);
        if (printed.Parameters is { } np) tags[RunNote.SizeSourceTag] = $"the log's settings line: model_params:{RunAssembly.Fmt(np)} (every parameter, the tied embedding included)";
        var run = log.Build(length, tags, 0, NoLrHint(length, facts, stop is null ? null : tags[RunNote.StoppedEarlyTag], printed.MatrixLr, unknownLength));
        if (stop is not null && run.Steps > length)
        {
            // A schedule longer than the stopped run (its planned S, say): the updates after K never ran; the run is its first K LRs.
            var kept = new Dictionary<string, string>(run.Metadata.Tags) { ["scheduleSteps"] = run.Steps.ToString(CultureInfo.InvariantCulture) };
            run = run with { LearningRates = run.LearningRates[..length], Metadata = run.Metadata with { Tags = kept } };
        }
        if (tokensPerStep is { } b)
            run = run with { Metadata = run.Metadata with { TokensPerStep = b, TotalTokens = b * run.Steps } };
        if (printed.Parameters is { } n)
            run = run with { Metadata = run.Metadata with { Parameters = n } };
        return run;
    }

    /// <summary>Parameter Golf's settings lines (each null where the log prints none): model size, batch, the matrices' LR, the wallclock cap (seconds, positive).</summary>
    internal sealed record Settings(double? Parameters, double? BatchTokens, double? MatrixLr, double? WallclockSeconds);

    /// <summary>
    /// Reads the settings a Parameter Golf run prints before its first event (at column 0, after the code dump, whose
    /// <c>log0(f"...")</c> lines are indented): <c>model_params:N</c>, <c>train_batch_tokens:B train_seq_len:...</c> and
    /// <c>tie_embeddings:... matrix_lr:X ...</c>, and <c>max_wallclock_seconds:T</c> on one of them (the batch's line; 0: no cap); the last
    /// of each wins (the values the run used, after its environment).
    /// </summary>
    internal static Settings PrintedSettings(IReadOnlyList<string> code)
    {
        double? n = null, b = null, lr = null, cap = null;
        foreach (string line in code)
        {
            if (ModelParams().Match(line) is { Success: true } p) n = Positive(p.Groups["n"].Value);
            else if (BatchTokens().Match(line) is { Success: true } t) b = Positive(t.Groups["b"].Value);
            else if (MatrixLr().Match(line) is { Success: true } m) lr = Positive(m.Groups["lr"].Value);
            if (WallclockCap().Match(line) is { Success: true } w) cap = Positive(w.Groups["w"].Value);
        }
        return new Settings(n, b, lr, cap);

        static double? Positive(string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v > 0 ? v : null;
    }

    /// <summary>
    /// The hint of a log read without a schedule: the script's own schedule facts as a spec to complete (the peak is the user's
    /// choice: the scripts give each parameter group its own LR).
    /// </summary>
    private static string NoLrHint(int total, SpeedrunScript.Facts facts, string? stopped = null, double? matrixLr = null, string? unknownLength = null)
    {
        // The command first (the CLI clips a message at ErrorText.MaxLength characters), then a run of unknown length says so.
        string unknown = unknownLength is null ? "" : $" Beware, {unknownLength}.";
        string S(double x) => RunAssembly.Fmt(x);
        // The script's WSD spec: its warmup where it states one, then the cooldown (cooldownSteps=... or cooldown=...).
        string Wsd(string peak, string cooldown) =>
            $"wsd(peak={peak},steps={total}{(facts.WarmupSteps is > 0 ? $",warmup={S(facts.WarmupSteps.Value)}" : "")},{cooldown})";
        if (stopped is not null)
        {
            // Parameter Golf: the warmdown is timed by the wallclock and ends where the run stopped.
            string spec = Wsd(matrixLr is { } p ? S(p) : "LR", $"cooldownSteps={(facts.CooldownSteps is { } c ? S(c) : "WD")}");
            // The command first: the CLI clips a message at ErrorText.MaxLength characters.
            return $"a speedrun log has none; this run stopped early ({stopped}), where a wallclock-timed warmdown (Parameter Golf's lr_mul) "
                + $"ends: hyperlaws import FILE --schedule '{spec}' --out RUN.csv "
                + $"({(matrixLr is null ? "LR: the peak LR of the parameter group to plan for" : "peak: the log's matrix_lr, the Muon matrices' LR")}; "
                + $"{(facts.CooldownSteps is null ? "WD: the run's warmdown_iters, WARMDOWN_ITERS, 1200 by default in that script" : "cooldownSteps: the script's warmdown_iters")}; "
                + "check the script for an LR warmup).";
        }
        const string start = "a speedrun log has none; the schedule is in the training script at the top of the log (get_lr or set_hparams)";
        string? shape = null;
        if (facts.CooldownSteps is { } wd)
            shape = Wsd("LR", $"cooldownSteps={S(wd)}");
        else if (facts.CooldownFraction is { } cf)
            shape = Wsd("LR", $"cooldown={S(cf)}");
        return (shape is null
            ? start + ": hyperlaws import FILE --schedule SPEC --out RUN.csv."
            : start + $", which states {shape} (LR: the peak LR of the parameter group to plan for; check the warmup in the script): hyperlaws import FILE --schedule '{shape}' --out RUN.csv.")
            + unknown;
    }

    private static double Parse(string digits) =>
        double.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out double v) ? v : double.PositiveInfinity;
}
