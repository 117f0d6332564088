using System.Globalization;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The Step Law sweep table (<c>dense_lr_bs_loss.csv</c>: <c>h,ffnh,numh,numl,lr,bs,ti,loss,smooth loss,exp_name,D,N,D/N</c>):
/// final losses of dense LLM runs; bs counts sequences of 2,048 tokens, N is non-embedding parameters,
/// D tokens. Rows are checked (positive sizes, finite losses, duplicates of one (N, D, lr, bs) point).
/// The table has no licence: read it from the shared data folder, never copy it into the repository.
/// </summary>
public static class SteplawReader
{
    public const int SequenceLength = 2048;

    public static bool Recognizes(string path)
    {
        if (!string.Equals(Path.GetExtension(path), ".csv", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            using var r = new StreamReader(path);
            string? h = r.ReadLine();
            return h is not null && h.Contains("smooth loss", StringComparison.Ordinal) && h.Contains("exp_name", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static SweepTable Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        var csv = CsvText.Read(path, allowComments: false);
        var c = csv.Require("lr", "bs", "ti", "loss", "smooth loss", "exp_name", "D", "N");
        int ch = csv.Column("h"), cf = csv.Column("ffnh"), cnh = csv.Column("numh"), cnl = csv.Column("numl");
        if (csv.Rows.Count == 0) throw new RunFormatException(path, 2, "the table has a header but no rows.");
        var points = new List<SweepPoint>(csv.Rows.Count);
        var seen = new Dictionary<(double, double, double, double), int>();
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
            double n = Positive(c[7], "N (parameters)");
            if (seen.TryGetValue((n, d, lr, bs), out int other))
                throw new RunFormatException(path, line, $"duplicate of line {other}: the same (N, D, lr, bs) point.");
            seen[(n, d, lr, bs)] = line;
            points.Add(new SweepPoint(n, d, lr, bs, bs * SequenceLength, (int)ti, loss, smooth, f[c[5]])
            {
                Hidden = OptInt(ch, "h"),
                FfnHidden = OptInt(cf, "ffnh"),
                Heads = OptInt(cnh, "numh"),
                Layers = OptInt(cnl, "numl"),
                Source = $"{path}:{line.ToString(CultureInfo.InvariantCulture)}",
            });
        }
        return new SweepTable(points);
    }
}
