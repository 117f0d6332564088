using System.Globalization;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The Step Law sweep table (<c>dense_lr_bs_loss.csv</c>: <c>h,ffnh,numh,numl,lr,bs,ti,loss,smooth loss,exp_name,D,N,D/N</c>):
/// final losses of dense LLM runs; bs counts sequences of 2,048 tokens, N is non-embedding parameters,
/// D tokens. Rows are checked (positive sizes, finite losses, duplicates of one (N, D, lr, bs) point).
/// The MoE table (<c>moe_lr_bs_loss.csv</c>: the same columns plus <c>Na</c>, the activated parameters, <c>N</c> the
/// total, and <c>moe_name</c>, the configuration, e.g. <c>2in88</c>) needs <see cref="RunReadOptions.MoeSize"/>: N is
/// then <c>Na</c> or <c>N</c>, and a point's configuration keeps configurations that share N in cells of their own.
/// The tables have no licence: read them from the shared data folder, never copy them into the repository.
/// </summary>
public static class SteplawReader
{
    /// <summary>Tokens per sequence in the Step Law runs: the table's batch size bs counts sequences of this length.</summary>
    public const int SequenceLength = 2048;

    /// <summary>True for a <c>.csv</c> whose header has the Step Law columns <c>smooth loss</c> and <c>exp_name</c>.</summary>
    public static bool Recognizes(string path)
    {
        if (!string.Equals(Path.GetExtension(path), ".csv", StringComparison.OrdinalIgnoreCase)) return false;
        string? h = BoundedText.FirstLine(path);
        return h is not null && h.Contains("smooth loss", StringComparison.Ordinal) && h.Contains("exp_name", StringComparison.Ordinal);
    }

    /// <summary>Reads the sweep table (dense, or MoE with <see cref="RunReadOptions.MoeSize"/> set) into final-loss points.</summary>
    /// <exception cref="RunFormatException">A column is missing, a value is not positive, a point is duplicated, or the MoE size choice does not fit the table.</exception>
    public static SweepTable Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        if (Path.GetExtension(path).Equals(".tex", StringComparison.OrdinalIgnoreCase))
            throw new RunFormatException(path, "0", RunReader.MarinTableIsNoRun);
        var csv = CsvText.Read(path, allowComments: false);
        var c = csv.Require("lr", "bs", "ti", "loss", "smooth loss", "exp_name", "D", "N");
        int ch = csv.Column("h"), cf = csv.Column("ffnh"), cnh = csv.Column("numh"), cnl = csv.Column("numl");
        if (csv.Rows.Count == 0) throw new RunFormatException(path, 2, "the table has a header but no rows.");
        int cActive = csv.Column("Na"), cConfig = csv.Column("moe_name");
        bool moe = cActive >= 0 && cConfig >= 0;
        if (moe && options.MoeSize is null)
            throw new RunFormatException(path, 1, "a MoE table (columns Na and moe_name): say whether N is the activated or the total parameter count (--size active or --size total).");
        if (!moe && options.MoeSize is not null)
            throw new RunFormatException(path, 1, "--size applies to MoE tables (columns Na and moe_name); this table is dense.");
        var points = new List<SweepPoint>(csv.Rows.Count);
        var seen = new Dictionary<(string?, double, double, double, double), int>();
        foreach (var (line, f) in csv.Rows)
        {
            double Positive(int col, string what)
            {
                double x = csv.Number(line, f, col, what);
                if (!double.IsFinite(x) || x <= 0) throw new RunFormatException(path, line, $"{what} must be a positive number, found {f[col]}.");
                return x;
            }
            int? OptInt(int col, string what) => col < 0 ? null : (int)Positive(col, what);
            double lr = Positive(c[0], "lr");
            double bs = Positive(c[1], "bs");
            double ti = Positive(c[2], "ti (iterations)");
            if (ti != Math.Floor(ti) || ti > options.MaxStep) throw new RunFormatException(path, line, $"ti (iterations) {f[c[2]]} is not a sane whole number of steps.");
            double loss = csv.Number(line, f, c[3], "loss");
            double smooth = csv.Number(line, f, c[4], "smooth loss");
            if (!double.IsFinite(loss) || loss <= 0) throw new RunFormatException(path, line, $"loss is {f[c[3]]} (must be a positive finite number).");
            if (!double.IsFinite(smooth) || smooth <= 0) throw new RunFormatException(path, line, $"smooth loss is {f[c[4]]} (must be a positive finite number).");
            double d = Positive(c[6], "D (tokens)");
            double n = moe && options.MoeSize == MoeParameterCount.Active ? Positive(cActive, "Na (activated parameters)") : Positive(c[7], "N (parameters)");
            string? configuration = moe ? f[cConfig] : null;
            if (moe && configuration!.Length == 0) throw new RunFormatException(path, line, "moe_name (the configuration) is empty.");
            if (seen.TryGetValue((configuration, n, d, lr, bs), out int other))
                throw new RunFormatException(path, line, $"duplicate of line {other}: the same ({(moe ? "configuration, " : "")}N, D, lr, bs) point.");
            seen[(configuration, n, d, lr, bs)] = line;
            points.Add(new SweepPoint(n, d, lr, bs, bs * SequenceLength, (int)ti, loss, smooth, f[c[5]])
            {
                Hidden = OptInt(ch, "h"),
                FfnHidden = OptInt(cf, "ffnh"),
                Heads = OptInt(cnh, "numh"),
                Layers = OptInt(cnl, "numl"),
                Configuration = configuration,
                Source = $"{path}:{line.ToString(CultureInfo.InvariantCulture)}",
            });
        }
        return new SweepTable(points);
    }
}
