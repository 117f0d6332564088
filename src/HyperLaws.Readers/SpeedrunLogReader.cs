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

    /// <summary>Reads one speedrun log.</summary>
    /// <exception cref="RunFormatException">The file cannot be read or breaks the format; the message names the line.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        var log = new TextLog(path, options);
        int total = -1, lines = 0, events = 0;
        string? totalWhere = null;
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
        var facts = SpeedrunScript.Read(code);
        tags["tokensPerStepSource"] = facts.BatchSource ?? "not stated in the log (the script at its top gives no batch the reader can read)";
        if (facts.WarmupSteps is { } w) tags["scriptWarmupSteps"] = RunAssembly.Fmt(w);
        if (facts.CooldownSteps is { } wd) tags["scriptCooldownSteps"] = RunAssembly.Fmt(wd);
        if (facts.CooldownFraction is { } cf) tags["scriptCooldownFraction"] = RunAssembly.Fmt(cf);
        var run = log.Build(total, tags, 0, NoLrHint(total, facts));
        if (facts.TokensPerStep is { } b)
            run = run with { Metadata = run.Metadata with { TokensPerStep = b, TotalTokens = b * run.Steps } };
        return run;
    }

    /// <summary>
    /// The hint of a log read without a schedule: the script's own schedule facts as a spec to complete (the peak is the user's
    /// choice: the scripts give each parameter group its own LR).
    /// </summary>
    private static string NoLrHint(int total, SpeedrunScript.Facts facts)
    {
        const string start = "a speedrun log has none; the schedule is in the training script at the top of the log (get_lr or set_hparams)";
        string? shape = null;
        string S(double x) => RunAssembly.Fmt(x);
        if (facts.CooldownSteps is { } wd)
            shape = $"wsd(peak=LR,steps={total}{(facts.WarmupSteps is > 0 ? $",warmup={S(facts.WarmupSteps.Value)}" : "")},cooldownSteps={S(wd)})";
        else if (facts.CooldownFraction is { } cf)
            shape = $"wsd(peak=LR,steps={total}{(facts.WarmupSteps is > 0 ? $",warmup={S(facts.WarmupSteps.Value)}" : "")},cooldown={S(cf)})";
        return shape is null
            ? start + ": hyperlaws import FILE --schedule SPEC --out RUN.csv."
            : start + $", which states {shape} (LR: the peak LR of the parameter group to plan for; check the warmup in the script): hyperlaws import FILE --schedule '{shape}' --out RUN.csv.";
    }

    private static double Parse(string digits) =>
        double.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out double v) ? v : double.PositiveInfinity;
}
