using System.Globalization;
using System.Text.RegularExpressions;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The training log of Andrej Karpathy's llm.c (<c>-o DIR</c> writes <c>DIR/main.log</c>; <c>llmc/logger.h</c>), and the same
/// format written by llm.c's PyTorch reference <c>train_gpt2.py</c> (<c>--output_dir</c>) and its descendants:
/// one record per line, <c>s:STEP KEY:VALUE ...</c>:
/// <list type="bullet">
/// <item><c>s:k trl:X lr:Y norm:Z</c> (<c>logger_log_train</c>, <c>"s:%d trl:%.4f lr:%.6f norm:%.2f"</c>; the Python script writes
/// <c>s:k trl:X</c> alone): the training loop of <c>train_gpt2.cu</c> runs <c>for (step = 0; step &lt;= train_num_batches; step++)</c>,
/// computes the loss of the batch at the current weights, then updates with <c>get_learning_rate(step)</c>. So X is the loss
/// after k updates (before update k + 1): an observation at step k (k = 0, the untrained model's, goes to the tag
/// <c>initialLoss</c>), and Y is eta_{k+1}, the LR of update k + 1.</item>
/// <item><c>s:k tel:X</c> (<c>logger_log_val</c>): the validation loss evaluated at the top of iteration k, after k updates: a
/// validation observation at step k; the loop's last iteration (k = <c>train_num_batches</c>) only evaluates, so the last
/// <c>tel</c> step is the run's length S.</item>
/// <item><c>s:k eval:X</c> (<c>logger_log_eval</c>, HellaSwag accuracy, not a loss): kept in the tag <c>eval</c> (the last one).</item>
/// </list>
/// S is the largest of the last <c>tel</c> step and the last <c>trl</c> step + 1 (a schedule spec given in
/// <see cref="RunReadOptions.Schedule"/> may make it longer). LRs: llm.c prints them with six decimals (<c>lr:0.000001</c>), so they
/// are used as printed when every step has one; the schedule, when given, is checked against them within 5e-7 (half the
/// last printed digit). A log without LRs (the Python script's) needs <see cref="RunReadOptions.Schedule"/>. A step logged twice
/// (llm.c appends to main.log when it resumes from a checkpoint) keeps the later line, counted in the tag <c>resumeConflicts</c>;
/// <see cref="RunReadOptions.StrictDuplicates"/> makes it an error. The run is named by its file, but a <c>main.log</c> (the name llm.c
/// gives every run's log) by its folder (<see cref="RunName"/>), so a folder of llm.c runs gives distinct names. main.log states no
/// batch and no settings (llm.c prints them to stdout only): <see cref="RunMetadata.TokensPerStep"/> stays unknown. Errors name the
/// file and the 1-based line.
/// </summary>
public static partial class LlmcLogReader
{
    /// <summary>Half the last digit llm.c prints of an LR (<c>%.6f</c>): the absolute tolerance of the check against a schedule.</summary>
    public const double LrPrintTolerance = 5e-7;

    /// <summary>True when the file's first non-blank line (among its first 64) is an llm.c record: <c>s:N trl:</c>, <c>tel:</c> or <c>eval:</c>.</summary>
    public static bool Recognizes(string path)
    {
        try
        {
            using var r = new StreamReader(path);
            for (int i = 0; i < 64 && BoundedText.ReadLine(r, 4096, out _) is { } line; i++)
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                return Head().IsMatch(line);
            }
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\s*s:\d+\s+(trl|tel|eval):")]
    private static partial Regex Head();

    [GeneratedRegex(@"^s:(\S*)\s+(.*)$")]
    private static partial Regex Record();

    [GeneratedRegex(@"(\w+):\s*(\S*)")]
    private static partial Regex Field();

    /// <summary>Reads one llm.c log.</summary>
    /// <exception cref="RunFormatException">The file cannot be read or breaks the format; the message names the line.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        var log = new TextLog(path, options);
        int lastTel = -1, lastTrl = -1, lines = 0;
        string? eval = null;
        try
        {
            using var r = new StreamReader(path);
            foreach (string raw in BoundedText.Lines(r, path, "an llm.c log"))
            {
                lines++;
                string where = lines.ToString(CultureInfo.InvariantCulture);
                string line = raw.Trim();
                if (line.Length == 0) continue;
                var m = Record().Match(line);
                if (!m.Success) throw new RunFormatException(path, lines, $"not an llm.c log record (expected 's:STEP trl:LOSS ...' or 's:STEP tel:LOSS'): '{TextLog.Clip(line)}'.");
                if (!double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double s))
                    throw new RunFormatException(path, lines, $"step '{TextLog.Clip(m.Groups[1].Value)}' is not a number.");
                int step = RunAssembly.CheckStep(path, where, s, options.MaxStep, allowZero: true);
                double? trl = null, lr = null;
                bool any = false;
                foreach (Match f in Field().Matches(m.Groups[2].Value))
                {
                    string key = f.Groups[1].Value, text = f.Groups[2].Value;
                    if (key is not ("trl" or "tel" or "eval" or "lr")) continue; // norm and anything newer
                    any = true;
                    double v = TextLog.Number(text) ?? throw new RunFormatException(path, lines, $"{key} '{TextLog.Clip(text)}' is not a number.");
                    switch (key)
                    {
                        case "trl":
                            trl = v;
                            break;
                        case "tel":
                            log.AddVal(step, v, where);
                            lastTel = Math.Max(lastTel, step);
                            break;
                        case "eval":
                            eval = RunAssembly.Fmt(v);
                            break;
                        default:
                            lr = v;
                            break;
                    }
                }
                if (!any) throw new RunFormatException(path, lines, $"a record with none of trl, tel, eval: '{TextLog.Clip(line)}'.");
                if (lr is not null && trl is null) throw new RunFormatException(path, lines, "a learning rate without a training loss (llm.c logs lr: on its trl: lines).");
                if (trl is { } loss)
                {
                    if (step + 1 > options.MaxStep) throw new RunFormatException(path, lines, $"step {step} is absurdly large (limit {options.MaxStep}).");
                    log.AddTrain(step, loss, where);
                    lastTrl = Math.Max(lastTrl, step);
                    if (lr is { } eta) log.AddLr(step + 1, eta, where);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, 0, $"cannot be read: {e.Message}", e);
        }
        if (lines == 0) throw new RunFormatException(path, 0, "the file is empty.");
        int total = Math.Max(lastTel, lastTrl + 1);
        if (total < 1) throw new RunFormatException(path, 0, "no update is logged (only step 0).");
        var tags = new Dictionary<string, string> { ["format"] = "llm.c" };
        if (eval is not null) tags["eval"] = eval;
        var run = log.Build(total, tags, LrPrintTolerance,
            "this llm.c log has no 'lr:' fields (the PyTorch train_gpt2.py writes 's:k trl:X' alone); give the run's schedule: hyperlaws import FILE --schedule SPEC --out RUN.csv.");
        return RunName(path) is { } name ? run with { Metadata = run.Metadata with { Name = name } } : run;
    }

    /// <summary>
    /// The run's name where the file's own is llm.c's fixed <c>main.log</c> (<c>-o DIR</c> writes <c>DIR/main.log</c>, so every run's
    /// log has that name): the folder's name, which is what tells runs apart; null (the file's name) otherwise.
    /// </summary>
    internal static string? RunName(string path)
    {
        if (!string.Equals(Path.GetFileNameWithoutExtension(path), "main", StringComparison.Ordinal)) return null;
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        string folder = dir is null ? "" : Path.GetFileName(dir);
        return folder.Length > 0 ? folder : null;
    }
}
