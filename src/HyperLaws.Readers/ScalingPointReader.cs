using HyperLaws.Readers.Internal;
using HyperLaws.SizeLaws;

namespace HyperLaws.Readers;

/// <summary>
/// Readers for size-law data: the Chinchilla runs extracted from Hoffmann et al. 2022's Fig. 4 SVG by
/// Besiroglu et al. 2024 (<c>svg_extracted_data.csv</c>) and the Porian et al. 2024 iso-FLOP points and
/// optima. Every error is a <see cref="RunFormatException"/> naming the file and line.
/// </summary>
public static class ScalingPointReader
{
    /// <summary>
    /// Reads <c>svg_extracted_data.csv</c> (columns <c>Model Size</c>, <c>Training FLOP</c>, <c>loss</c>); D = C / (6 N).
    /// </summary>
    public static IReadOnlyList<ScalingPoint> ReadChinchillaSvg(string file)
    {
        var csv = CsvText.Read(file, allowComments: false);
        var c = csv.Require("Model Size", "Training FLOP", "loss");
        var points = new List<ScalingPoint>();
        foreach (var (line, f) in csv.Rows)
        {
            double n = Positive(csv, line, f, c[0], "Model Size");
            double flops = Positive(csv, line, f, c[1], "Training FLOP");
            double loss = Positive(csv, line, f, c[2], "loss");
            points.Add(new ScalingPoint(n, flops / (6 * n), loss));
        }
        if (points.Count == 0) throw new RunFormatException(file, 1, "no data rows after the header.");
        return points;
    }

    /// <summary>Reads <c>porian2024_isoflop_points.csv</c>.</summary>
    public static IReadOnlyList<PorianPoint> ReadPorianPoints(string file)
    {
        var csv = CsvText.Read(file, allowComments: false);
        var c = csv.Require("source_file", "dataset", "hparams", "warmup", "decay", "param_count", "loss_split", "flops", "n_params", "tokens", "loss");
        var points = new List<PorianPoint>();
        foreach (var (line, f) in csv.Rows)
        {
            for (int k = 0; k < 7; k++)
                if (f[c[k]].Length == 0) throw new RunFormatException(file, line, $"{csv.Header[c[k]]} is empty.");
            double flops = Positive(csv, line, f, c[7], "flops");
            var p = new ScalingPoint(Positive(csv, line, f, c[8], "n_params"), Positive(csv, line, f, c[9], "tokens"), Positive(csv, line, f, c[10], "loss"));
            points.Add(new PorianPoint(f[c[0]], f[c[1]], f[c[2]], f[c[3]], f[c[4]], f[c[5]], f[c[6]], flops, p));
        }
        if (points.Count == 0) throw new RunFormatException(file, 1, "no data rows after the header.");
        return points;
    }

    /// <summary>
    /// Reads <c>porian2024_isoflop_optima.csv</c>. A row whose n_opt, tokens_opt and loss_opt are all empty is a
    /// budget where the authors found no interior optimum (4 rows in the published file) and is skipped.
    /// </summary>
    public static IReadOnlyList<PorianOptimum> ReadPorianOptima(string file)
    {
        var csv = CsvText.Read(file, allowComments: false);
        var c = csv.Require("dataset", "hparams", "warmup", "decay", "param_count", "loss_split", "flops", "n_opt", "tokens_opt", "loss_opt");
        var optima = new List<PorianOptimum>();
        foreach (var (line, f) in csv.Rows)
        {
            string config = string.Join('/', Enumerable.Range(0, 6).Select(k => f[c[k]]));
            if (f[c[7]].Length == 0 && f[c[8]].Length == 0 && f[c[9]].Length == 0) continue;
            optima.Add(new PorianOptimum(config, Positive(csv, line, f, c[6], "flops"), Positive(csv, line, f, c[7], "n_opt"), Positive(csv, line, f, c[8], "tokens_opt"), Positive(csv, line, f, c[9], "loss_opt")));
        }
        if (optima.Count == 0) throw new RunFormatException(file, 1, "no data rows after the header.");
        return optima;
    }

    private static double Positive(CsvText csv, int line, string[] f, int col, string what)
    {
        double x = csv.Number(line, f, col, what);
        if (!(x > 0) || double.IsInfinity(x)) throw new RunFormatException(csv.File, line, $"{what} must be a positive finite number (found {f[col]}).");
        return x;
    }
}
