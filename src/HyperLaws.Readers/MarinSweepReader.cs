using System.Globalization;
using System.Text.RegularExpressions;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// Marin's optimizer-sweep ablation tables (github.com/marin-community/marin,
/// <c>experiments/optimizer_sweep/Analysis/Phase*/tex/hyperparam_tables_OPT.tex</c>; Wen et al. 2025, "Fantastic Pretraining
/// Optimizers and Where to Find Them", arXiv 2509.02046; Apache-2.0). Each LaTeX table (caption "Hyperparameter ablation for
/// OPT on SIZE on Kx Chinchilla Data") has a header row of hyperparameters, a baseline row (the best configuration the sweep
/// found) and rows that change one hyperparameter from it (<c>--</c>: the baseline's value), each with its final loss
/// (<c>eval/paloma/c4_en/loss</c>, three decimals; <c>&gt;10</c> or <c>NaN</c> for a diverged run, read as +infinity) and the W&amp;B run link. Read here: the baseline and the rows that change the
/// peak LR alone (<c>$\eta$</c>), the runs that vary the peak LR with everything else fixed; the rows that change the warmup, <c>$\eta_{min}$</c> or BSZ alone
/// are read apart (<see cref="ReadSingleChanges"/>). Every optimizer of the sweep has the
/// columns read here (<c>$\eta$</c>, <c>$\eta_{min}$</c>, BSZ, warmup, Loss, Link; Sophia's no <c>$\eta_{min}$</c>: the ratio is read from
/// the run's name, <c>-minlr0-</c>); the optimizers with two LRs (Muon: <c>$\eta$</c> for
/// the hidden matrices, <c>$\eta_{adam}$</c> for embeddings, head and norms) have <c>$\eta$</c> as the LR of the bulk of the
/// non-embedding parameters, and their LR rows change it alone (the other LR stays the baseline's): that is the peak LR here.
/// <para>What the tables do not state is taken from the sweep's code at the same commit (marin/optimizer_sweep): N is
/// <c>utils_simp.expected_params</c> (layers x (hidden x intermediate x 3 + hidden^2 x 4); 130m 134,217,728, 300m 301,989,888,
/// 520m 536,870,912, 1.2b 1,207,959,552); D = K x 20 x N tokens; sequences of 4,096 tokens (<c>models.py</c>); steps =
/// D // (4096 x BSZ) (<c>create_configs</c>); the schedule Levanter's default for AdamConfig (<c>lr_schedule</c> "cosine",
/// <c>decay</c> None): linear warmup over the row's <c>warmup</c> steps, then cosine to <c>$\eta_{min}$</c> x peak at the last step; the
/// same for every optimizer config of <c>marin/optimizer_sweep</c> that leaves <c>decay</c> and <c>lr_schedule</c> at Levanter's defaults
/// (Lion, NAdamW, ...). A table with the columns <c>$\mathrm{Decay (WSD)}$</c> and <c>$\mathrm{Schedule}$</c> (Muon's) states them per
/// run: the peak held until the last fraction of the steps, then a linear or cosine decay (<see cref="SweepPoint.DecayFraction"/>,
/// <see cref="SweepPoint.LinearDecay"/>).</para>
/// </summary>
public static partial class MarinSweepReader
{
    /// <summary>Tokens per sequence in Marin's sweep (<c>marin/optimizer_sweep/models.py</c>: seq_len 4096).</summary>
    public const int SequenceLength = 4096;

    /// <summary>The largest Chinchilla multiple a caption may give (the sweep's are 1 to 16; beyond this a run's token count is not a sweep's).</summary>
    public const int MaxMultiple = 100_000;

    /// <summary>Non-embedding parameters per model tag (<c>marin/optimizer_sweep/utils_simp.py</c>, <c>expected_params</c>).</summary>
    public static readonly IReadOnlyDictionary<string, double> Parameters = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["130m"] = 134_217_728, ["300m"] = 301_989_888, ["520m"] = 536_870_912, ["1.2b"] = 1_207_959_552,
    };

    [GeneratedRegex(@"\\caption\{Hyperparameter ablation for (?<opt>.+?) on (?<size>[0-9.]+[mb]) on (?<mult>[0-9]+)x Chinchilla Data\}", RegexOptions.CultureInvariant)]
    private static partial Regex Caption();

    [GeneratedRegex(@"\\href\{[^}]*/runs/(?<name>[^}]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Link();

    /// <summary>The final-LR ratio in a sweep run's name (<c>-minlr0-</c>), for tables without an <c>$\eta_{min}$</c> column (Sophia's).</summary>
    [GeneratedRegex(@"-minlr(?<ratio>[0-9.]+(?:e-?[0-9]+)?)-", RegexOptions.CultureInvariant)]
    private static partial Regex MinLrInName();

    /// <summary>True for a <c>.tex</c> file whose text has one of the sweep's table captions.</summary>
    public static bool Recognizes(string path) =>
        string.Equals(Path.GetExtension(path), ".tex", StringComparison.OrdinalIgnoreCase) && File.Exists(path) && Caption().IsMatch(File.ReadAllText(path));

    /// <summary>
    /// The baseline and LR-only rows of every table in <paramref name="paths"/> as final-loss points: N, D, peak LR, batch
    /// (sequences and tokens), steps, loss, the run's warmup and final-LR ratio, its W&amp;B name, and the optimizer as the point's
    /// configuration (so tables of two optimizers never share a cell). A table whose (optimizer, size, multiple) another
    /// table already gave is an error, as is a row whose LR repeats one of its table.
    /// </summary>
    /// <exception cref="RunFormatException">A caption, header or row does not have the sweep's layout, a value is not a positive number, or a table is repeated.</exception>
    public static SweepTable Read(IEnumerable<string> paths) => Read(paths, null);

    /// <summary>
    /// The rows of every table in <paramref name="paths"/> that change the warmup, the final-LR ratio (<c>$\eta_{min}$</c>) or the batch
    /// (BSZ, at the table's N and D: the steps change with it) alone from the table's baseline, each with the baseline's point and its own
    /// (its warmup, ratio, batch, steps and loss; the rest the baseline's), in the tables' order. <see cref="Read(IEnumerable{string})"/> reads
    /// neither these rows nor any other: its points are unchanged by them.
    /// </summary>
    /// <exception cref="RunFormatException">As <see cref="Read(IEnumerable{string})"/>, and a single-change row's value is not a number the reader takes.</exception>
    public static IReadOnlyList<MarinSingleChange> ReadSingleChanges(IEnumerable<string> paths)
    {
        var singles = new List<MarinSingleChange>();
        Read(paths, singles);
        return singles;
    }

    private static SweepTable Read(IEnumerable<string> paths, List<MarinSingleChange>? singles)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var points = new List<SweepPoint>();
        var tables = new Dictionary<(string, string, int), string>();
        foreach (var path in paths)
        {
            var lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                var m = Caption().Match(lines[i]);
                if (!m.Success) continue;
                string opt = m.Groups["opt"].Value, size = m.Groups["size"].Value;
                if (!int.TryParse(m.Groups["mult"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int mult) || mult < 1 || mult > MaxMultiple)
                    throw new RunFormatException(path, i + 1, $"the Chinchilla multiple '{m.Groups["mult"].Value}x' is not a whole number from 1 to {MaxMultiple}.");
                if (!Parameters.TryGetValue(size, out double n))
                    throw new RunFormatException(path, i + 1, $"model size '{size}' is not one of the sweep's ({string.Join(", ", Parameters.Keys)}).");
                var key = (opt.ToLowerInvariant(), size, mult);
                if (tables.TryGetValue(key, out string? where))
                    throw new RunFormatException(path, i + 1, $"the table of {opt} on {size} at {mult}x is repeated (first at {where}).");
                tables[key] = $"{path}:{(i + 1).ToString(CultureInfo.InvariantCulture)}";
                i = ReadTable(path, lines, i, key.Item1, n, mult, points, singles);
            }
        }
        if (points.Count == 0) throw new RunFormatException(paths.FirstOrDefault() ?? "", 1, "no sweep table (caption 'Hyperparameter ablation for OPT on SIZE on Kx Chinchilla Data') found.");
        return new SweepTable(points);
    }

    /// <summary>Reads the table whose caption is on line <paramref name="caption"/>; returns the index of its last line.</summary>
    private static int ReadTable(string path, string[] lines, int caption, string opt, double n, int mult, List<SweepPoint> points, List<MarinSingleChange>? singles)
    {
        int i = caption + 1;
        while (i < lines.Length && !lines[i].StartsWith("\\toprule", StringComparison.Ordinal)) i++;
        if (i + 2 >= lines.Length) throw new RunFormatException(path, caption + 1, "the table has no header after \\toprule.");
        var header = Cells(lines[++i]);
        int Col(string name)
        {
            int c = header.IndexOf(name);
            return c >= 0 ? c : throw new RunFormatException(path, i + 1, $"the header has no column {name}.");
        }
        int cLr = Col("$\\eta$"), cMin = header.IndexOf("$\\eta_{min}$"), cBatch = Col("$\\mathrm{BSZ}$"), cWarmup = Col("$\\mathrm{warmup}$"), cLoss = Col("Loss"), cLink = Col("Link");
        // Optional (Muon's tables): the WSD decay fraction and the decay's shape.
        int cDecay = header.IndexOf("$\\mathrm{Decay (WSD)}$"), cShape = header.IndexOf("$\\mathrm{Schedule}$");
        if (lines[++i] != "\\midrule") throw new RunFormatException(path, i + 1, "expected \\midrule after the header.");
        List<string>? baseline = null;
        SweepPoint? baselinePoint = null;
        int baselineLine = 0;
        var seen = new HashSet<double>();
        for (i++; i < lines.Length && !lines[i].StartsWith("\\bottomrule", StringComparison.Ordinal); i++)
        {
            if (lines[i] == "\\midrule") continue;
            var row = Cells(lines[i]);
            if (row.Count != header.Count) throw new RunFormatException(path, i + 1, $"{row.Count} cells, the header has {header.Count}.");
            // The single-change kind of a row other than the baseline: the one column it states besides loss and link (null: several or none).
            MarinChange? change = null;
            if (baseline is null) { baseline = row; baselineLine = i + 1; }
            else if (!Enumerable.Range(0, row.Count).All(c => c == cLr || c == cLoss || c == cLink || row[c] == "--") || row[cLr] == "--")
            {
                var stated = Enumerable.Range(0, row.Count).Where(c => c != cLoss && c != cLink && row[c] != "--").ToList();
                change = stated.Count != 1 ? null : stated[0] == cWarmup ? MarinChange.Warmup : stated[0] == cMin ? MarinChange.MinLr : stated[0] == cBatch ? MarinChange.Batch : null;
                if (singles is null || change is null || baselinePoint is null) continue;
            }
            double Value(int c, string what)
            {
                string text = row[c] == "--" ? baseline[c] : row[c];
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x) || x < 0)
                    throw new RunFormatException(path, i + 1, $"{what} '{text}' is not a non-negative number.");
                return x;
            }
            // The tables print a loss above 10 (a diverged run) as ">10", and a run that ended in NaN as "NaN": both read as +infinity, never a fitted loss.
            double loss = row[cLoss] is ">10" or "NaN" ? double.PositiveInfinity : Value(cLoss, "the loss");
            double lr = Value(cLr, "the peak LR"), batch = Value(cBatch, "the batch size"), warmup = Value(cWarmup, "the warmup");
            if (lr <= 0 || batch <= 0 || loss <= 0 || batch != Math.Floor(batch) || warmup != Math.Floor(warmup))
                throw new RunFormatException(path, i + 1, "the peak LR, batch size and loss must be positive, the batch size and warmup whole numbers.");
            if (warmup > int.MaxValue) throw new RunFormatException(path, i + 1, $"the warmup {row[cWarmup]} exceeds {int.MaxValue} steps.");
            double? decay = cDecay < 0 ? null : Value(cDecay, "the decay fraction");
            if (decay > 1) throw new RunFormatException(path, i + 1, $"the decay fraction {(row[cDecay] == "--" ? baseline[cDecay] : row[cDecay])} is not a fraction from 0 to 1.");
            bool linear = cShape >= 0 && (row[cShape] == "--" ? baseline[cShape] : row[cShape]) switch
            {
                "linear" => true,
                "cosine" => false,
                var other => throw new RunFormatException(path, i + 1, $"the schedule '{other}' is not one read here (linear or cosine)."),
            };
            if (change is null && !seen.Add(lr)) throw new RunFormatException(path, i + 1, $"the peak LR {row[cLr]} repeats one of this table's rows (the baseline on line {baselineLine} included).");
            double d = mult * 20.0 * n, tokens = batch * SequenceLength;
            if (d / tokens > int.MaxValue) throw new RunFormatException(path, i + 1, $"the run's steps (D / batch tokens = {d / tokens:G3}) exceed {int.MaxValue}.");
            if (d / tokens < 1) throw new RunFormatException(path, i + 1, $"the run has no step (D / batch tokens = {d / tokens:G3}): the batch {(row[cBatch] == "--" ? baseline[cBatch] : row[cBatch])} exceeds the table's {d:G3} tokens.");
            var link = Link().Match(row[cLink]);
            // Sophia's tables have no eta_min column: its runs' names state the ratio (sweep-...-minlr0-...).
            double minRatio = cMin >= 0 ? Value(cMin, "the final LR ratio")
                : link.Success && MinLrInName().Match(link.Groups["name"].Value) is { Success: true } mr && double.TryParse(mr.Groups["ratio"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double ratio) && ratio <= 1 ? ratio
                : throw new RunFormatException(path, i + 1, "the header has no column $\\eta_{min}$ and the run's name states no final LR ratio (-minlrX-).");
            var point = new SweepPoint(n, d, lr, batch, tokens, (int)Math.Floor(d / tokens), loss, double.NaN, link.Success ? link.Groups["name"].Value : change is null ? $"{opt}-{mult}x-lr{row[cLr]}" : FormattableString.Invariant($"{opt}-{mult}x-{change}-line{i + 1}"))
            {
                Configuration = opt,
                WarmupSteps = (int)warmup,
                MinLrRatio = minRatio,
                DecayFraction = decay,
                LinearDecay = linear,
                Source = $"{path}:{(i + 1).ToString(CultureInfo.InvariantCulture)}",
            };
            if (change is { } kind) { singles!.Add(new MarinSingleChange(kind, baselinePoint!, point)); continue; }
            baselinePoint ??= point;
            points.Add(point);
        }
        if (baseline is null) throw new RunFormatException(path, caption + 1, "the table has no baseline row.");
        return i;
    }

    /// <summary>The cells of a table row (<c>a &amp; b &amp; ... \\</c>), trimmed.</summary>
    private static List<string> Cells(string line)
    {
        string body = line.TrimEnd();
        if (body.EndsWith("\\\\", StringComparison.Ordinal)) body = body[..^2];
        return [.. body.Split('&').Select(c => c.Trim())];
    }
}
