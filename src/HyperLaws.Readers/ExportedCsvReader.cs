using System.Globalization;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;
using nietras.SeparatedValues;

namespace HyperLaws.Readers;

/// <summary>
/// The CSV tables users export from their trackers, read with Sep (quoting, a UTF-8 BOM and CRLF line ends):
/// <list type="bullet">
/// <item>the W&amp;B UI "Download CSV" of a chart: <c>"Step","RUN - train/loss","RUN - train/loss__MIN","RUN - train/loss__MAX"</c>,
/// one <c>RUN - METRIC</c> column per run and metric (the <c>__MIN</c>/<c>__MAX</c> columns of a smoothed chart are ignored);</item>
/// <item>a <c>run.history()</c> DataFrame saved with <c>to_csv</c>: an unnamed index column first, then <c>_step</c> and the
/// logged keys (<c>,_step,train/loss,lr,_runtime,...</c>), empty cells where a key was not logged at that row;</item>
/// <item>a generic <c>step,loss[,lr]</c> table whose header is quoted;</item>
/// <item>a tab-separated table (<c>.tsv</c>, or any of <see cref="RunReader"/>'s CSV extensions whose header has tabs and no comma): a
/// W&amp;B history saved with <c>sep="\t"</c> such as the PolyPythias curves of github.com/EleutherAI/pythia
/// (<c>train/lm_loss&lt;TAB&gt;step</c>), read as any table with a header;</item>
/// <item>any CSV with a header, when the step and loss columns are named (<see cref="RunReadOptions.StepColumn"/>,
/// <see cref="RunReadOptions.LossColumn"/>, <see cref="RunReadOptions.LrColumn"/>).</item>
/// </list>
/// Semantics as in the generic format: the loss at step s is after s updates and the LR at step s is the LR of update s;
/// a row at step 0 (the loss before training) is skipped. Missing LRs come from a schedule (<see cref="RunReadOptions.Schedule"/>)
/// or are interpolated between the logged ones (<see cref="RunReadOptions.InterpolateLr"/>). Every error names the file
/// and its line.
/// </summary>
public static class ExportedCsvReader
{
    /// <summary>Loss columns tried in order when none is named (the metric part, for W&amp;B UI exports).</summary>
    public static readonly IReadOnlyList<string> LossNames = MetricNames.TrainLoss;

    /// <summary>
    /// GPT-NeoX's W&amp;B training loss (<c>megatron/training.py</c>: <c>tb_wandb_log(f"train/{key}", ..., iteration)</c> after
    /// <c>train_step</c> and <c>iteration += 1</c>): logged at step k, it was computed before update k, so it is the observation at
    /// step k - 1 (k = 1: the tag <c>initialLoss</c>), and the LR logged with it (<c>train/learning_rate</c>, the scheduler's after
    /// k steps) is eta_{k+1}. A loss column of this name is read with these conventions (tag <c>stepConvention=gpt-neox</c>).
    /// </summary>
    public const string NeoxLossKey = "train/lm_loss";

    /// <summary>LR columns tried in order when none is named.</summary>
    public static readonly IReadOnlyList<string> LrNames = MetricNames.Lr;

    /// <summary>Which export a file is, by its header; null when it is none of them.</summary>
    public static string? Recognize(string path)
    {
        string? header = BoundedText.FirstLine(path);
        if (header is null) return null;
        // Tab-separated (a W&B history saved with sep="\t", e.g. GPT-NeoX's train/lm_loss<TAB>step): read as any table with a header.
        if (IsTabSeparated(header)) return "tsv";
        var names = header.Split(',').Select(Unquote).ToArray();
        if (names.Length >= 2 && names[0] == "Step" && names.Skip(1).Any(n => n.Contains(" - ", StringComparison.Ordinal))) return "wandb-ui";
        if (names.Length >= 2 && names[0].Length == 0 && names.Contains("_step")) return "wandb-history";
        // A generic step,loss[,lr] table written with quotes (spreadsheets, pandas with quoting).
        if (header.Contains('"', StringComparison.Ordinal)) return "csv-quoted";
        return null;
    }

    /// <summary>Reads one run from an export (the kind recognised from the header, or the named columns of any CSV).</summary>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        string kind = Recognize(path) ?? "csv";
        using (var reader = Open(path, kind == "tsv" ? '\t' : ','))
        {
            var header = reader.Header.ColNames.Select(Unquote).ToArray();
            if (header.Length == 0) throw new RunFormatException(path, 1, "the file is empty (no header).");
            var (step, loss, lr, runName) = Columns(path, header, kind, options);
            string lossMetric = kind == "wandb-ui" && header[loss].LastIndexOf(" - ", StringComparison.Ordinal) is >= 0 and int dash
                ? header[loss][(dash + 3)..] : header[loss];
            bool neox = lossMetric == NeoxLossKey;
            var rows = new List<GenericRunReader.Row>();
            var meta = new List<(string Key, string Value, string Where)> { ("name", runName, "1"), ("format", kind, "1") };
            try
            {
                int previous = -1;
                foreach (var row in reader)
                {
                    string where = row.LineNumberFrom.ToString(CultureInfo.InvariantCulture);
                    string stepText = row[step].ToString().Trim();
                    if (stepText.Length == 0) throw new RunFormatException(path, where, $"no step in column '{header[step]}'.");
                    double? lossValue = Cell(path, where, row[loss].ToString(), header[loss]);
                    double? lrValue = lr >= 0 ? Cell(path, where, row[lr].ToString(), header[lr]) : null;
                    if (lossValue is null && lrValue is null) continue;
                    int s = RunAssembly.CheckStep(path, where, Number(path, where, stepText, header[step]), options.MaxStep, allowZero: true);
                    if (!neox)
                    {
                        if (s == 0) continue;   // the loss before the first update: no step of the run
                        rows.Add(new GenericRunReader.Row(s, lossValue, lrValue, LossSplit.Train, where));
                        continue;
                    }
                    // GPT-NeoX: W&B step s is the iteration after update s; its loss was computed before it (after s - 1 updates),
                    // its LR is the scheduler's after s steps (eta_{s+1}).
                    if (s < previous) throw new RunFormatException(path, where, $"steps are not sorted ({s} after {previous}).");
                    previous = s;
                    if (lossValue is { } x && s == 1) meta.Add(("initialLoss", RunAssembly.Fmt(x), where));
                    else if (lossValue is not null && s > 1) rows.Add(new GenericRunReader.Row(s - 1, lossValue, null, LossSplit.Train, where));
                    if (lrValue is not null && s + 1L <= options.MaxStep) rows.Add(new GenericRunReader.Row(s + 1, null, lrValue, LossSplit.Train, where));
                }
                if (neox)
                {
                    // The LR printed after the last update is that of an update beyond the run; the shifted rows are put back in step order.
                    int last = previous;
                    rows = [.. rows.Where(r => r.Loss is not null || r.Step <= last).OrderBy(r => r.Step)];
                    meta.Add(("stepConvention", "gpt-neox", "1"));
                }
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException && e is not RunFormatException)
            {
                throw CsvText.MalformedRow(path, e);
            }
            return GenericRunReader.Assemble(path, meta, rows, options, "line");
        }
    }

    private static (int Step, int Loss, int Lr, string Run) Columns(string path, string[] header, string kind, RunReadOptions options)
    {
        string fileName = Path.GetFileNameWithoutExtension(path);
        if (kind == "wandb-ui")
        {
            // "RUN - METRIC" columns; one run per file (a chart of several runs: name the column).
            var metricColumns = header.Select((n, i) => (Name: n, Index: i))
                .Where(c => c.Index > 0 && c.Name.Contains(" - ", StringComparison.Ordinal) && !c.Name.EndsWith("__MIN", StringComparison.Ordinal) && !c.Name.EndsWith("__MAX", StringComparison.Ordinal))
                .ToList();
            string Metric(string n) => n[(n.LastIndexOf(" - ", StringComparison.Ordinal) + 3)..];
            string Run(string n) => n[..n.LastIndexOf(" - ", StringComparison.Ordinal)];
            int Find(string? named, IReadOnlyList<string> defaults, string what, bool required)
            {
                if (named is not null)
                {
                    var hits = metricColumns.Where(c => c.Name == named || Metric(c.Name) == named).ToList();
                    if (hits.Count == 1) return hits[0].Index;
                    if (hits.Count > 1) throw new RunFormatException(path, 1, $"--{what}-column '{named}' matches {hits.Count} columns ({string.Join(", ", hits.Select(h => $"'{h.Name}'"))}): name one in full.");
                    throw new RunFormatException(path, 1, $"no column '{named}' (columns: {CsvText.ShowHeader(header, ", ", quoted: true)}).");
                }
                foreach (string d in defaults)
                {
                    var hits = metricColumns.Where(c => Metric(c.Name) == d).ToList();
                    if (hits.Count == 1) return hits[0].Index;
                    if (hits.Count > 1) throw new RunFormatException(path, 1, $"{hits.Count} runs have a '{d}' column ({string.Join(", ", hits.Select(h => $"'{Run(h.Name)}'"))}): name the run's column with --{what}-column.");
                }
                if (!required) return -1;
                throw new RunFormatException(path, 1, $"no {what} column among {CsvText.ShowHeader(header, ", ", quoted: true)}: name it with --{what}-column.");
            }
            int stepIndex = options.StepColumn is { } sc ? Index(path, header, sc, "step") : 0;
            int lossIndex = Find(options.LossColumn, LossNames, "loss", true);
            int lrIndex = Find(options.LrColumn, LrNames, "lr", false);
            if (lrIndex >= 0 && Run(header[lrIndex]) != Run(header[lossIndex]))
                throw new RunFormatException(path, 1, $"the loss column '{header[lossIndex]}' and the lr column '{header[lrIndex]}' belong to different runs.");
            return (stepIndex, lossIndex, lrIndex, Run(header[lossIndex]));
        }
        int step = options.StepColumn is { } s ? Index(path, header, s, "step") : First(header, MetricNames.Steps);
        if (step < 0) throw new RunFormatException(path, 1, $"no step column among {CsvText.ShowHeader(header, ", ", quoted: true)}: name it with --step-column.");
        int loss = options.LossColumn is { } l ? Index(path, header, l, "loss") : First(header, LossNames);
        if (loss < 0) throw new RunFormatException(path, 1, $"no loss column among {CsvText.ShowHeader(header, ", ", quoted: true)}: name it with --loss-column.");
        int lr = options.LrColumn is { } r ? Index(path, header, r, "lr") : First(header, LrNames);
        return (step, loss, lr, fileName);
    }

    private static int Index(string path, string[] header, string name, string what)
    {
        int i = Array.IndexOf(header, name);
        return i >= 0 ? i : throw new RunFormatException(path, 1, $"--{what}-column: no column '{name}' (columns: {CsvText.ShowHeader(header, ", ", quoted: true)}).");
    }

    /// <summary>
    /// A header line that separates its names with tabs and has no comma: a tab-separated table (a comma-separated header
    /// with a tab inside a name stays a CSV).
    /// </summary>
    internal static bool IsTabSeparated(string header) =>
        header.Contains('\t', StringComparison.Ordinal) && !header.Contains(',', StringComparison.Ordinal) && !header.TrimStart().StartsWith('#');

    /// <summary>
    /// A table with a header separated by <paramref name="separator"/> (a comma, or a tab), opened for reading; an unreadable file or
    /// one that is not such a table is a <see cref="RunFormatException"/>.
    /// </summary>
    internal static SepReader Open(string path, char separator = ',')
    {
        try
        {
            return Sep.New(separator).Reader(o => o with { Unescape = true, HasHeader = true, DisableColCountCheck = false }).FromFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, 0, $"cannot read the file: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or NotSupportedException)
        {
            // Sep refuses a header with a repeated column name (ArgumentException) while opening: a bad table, not an internal error.
            throw new RunFormatException(path, 1, $"not a CSV table: {CsvText.LibraryProblem(e.Message)}", e);
        }
    }

    internal static int First(string[] header, IEnumerable<string> names)
    {
        foreach (string n in names)
        {
            int i = Array.IndexOf(header, n);
            if (i >= 0) return i;
        }
        return -1;
    }

    /// <summary>A numeric cell; empty (or pandas' NaN of a key not logged at that row) is null.</summary>
    internal static double? Cell(string path, string where, string text, string column)
    {
        text = text.Trim();
        if (text.Length == 0) return null;
        return Number(path, where, text, column);
    }

    /// <summary>The step cell of a row (column <paramref name="column"/>): a number, an error when empty or not a number.</summary>
    internal static double StepCell(string path, string where, string text, string column)
    {
        text = text.Trim();
        if (text.Length == 0) throw new RunFormatException(path, where, $"no step in column '{column}'.");
        return Number(path, where, text, column);
    }

    /// <summary>
    /// A CSV run's name: <c>PARENT-FOLDER</c> when the file's folder's name starts with <paramref name="folderPrefix"/> (Lightning's
    /// <c>lightning_logs/version_N/metrics.csv</c>, AlgoPerf's <c>WORKLOAD/trial_N/eval_measurements.csv</c>), else the file's name.
    /// </summary>
    internal static string RunName(string path, string folderPrefix)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        string folder = dir is null ? "" : Path.GetFileName(dir);
        if (!folder.StartsWith(folderPrefix, StringComparison.Ordinal)) return Path.GetFileNameWithoutExtension(path);
        string parent = Path.GetFileName(Path.GetDirectoryName(dir!) ?? "");
        return parent.Length > 0 ? $"{parent}-{folder}" : folder;
    }

    private static double Number(string path, string where, string text, string column)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v;
        throw new RunFormatException(path, where, $"column '{column}': '{text}' is not a number.");
    }

    private static string Unquote(string s)
    {
        s = s.Trim().TrimStart('\uFEFF');
        return s.Length >= 2 && s[0] == '"' && s[^1] == '"' ? s[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : s;
    }
}
