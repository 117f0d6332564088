using System.Globalization;
using HyperLaws.Readers.Internal;
using HyperLaws.SizeLaws;

namespace HyperLaws.Readers;

/// <summary>
/// A plain table of finished runs for the size law: one row per run with its model size, training tokens and final loss
/// (columns <c>N</c>/<c>params</c>/<c>parameters</c>, <c>D</c>/<c>tokens</c>, <c>loss</c>, any case, any order, other columns
/// ignored; numbers like <c>1.3e9</c>). Read with Sep (quoting, BOM, CRLF). Every error names the file and line.
/// </summary>
public static class SizeTableReader
{
    private static readonly string[] NNames = ["n", "params", "parameters", "model_size", "model size"];
    private static readonly string[] DNames = ["d", "tokens", "training_tokens", "data"];
    private static readonly string[] LossNames = ["loss", "final_loss", "final loss"];

    /// <summary>Reads the table into size-law points (N parameters, D tokens, final loss), in file order; every value must be positive.</summary>
    /// <exception cref="RunFormatException">The file cannot be read, a column is missing, or a value is not a positive number.</exception>
    public static IReadOnlyList<ScalingPoint> Read(string path)
    {
        using (var reader = ExportedCsvReader.Open(path))
        {
            var header = reader.Header.ColNames.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
            int Find(string[] names, string what)
            {
                int i = Array.FindIndex(header, h => names.Contains(h.ToLowerInvariant()));
                return i >= 0 ? i : throw new RunFormatException(path, 1, $"no {what} column (one of {string.Join(", ", names)}; found {CsvText.ShowHeader(header, ", ", quoted: true)}).");
            }
            int cn = Find(NNames, "model size"), cd = Find(DNames, "token"), cl = Find(LossNames, "loss");
            var points = new List<ScalingPoint>();
            try
            {
                foreach (var row in reader)
                {
                    string where = row.LineNumberFrom.ToString(CultureInfo.InvariantCulture);
                    string n = row[cn].ToString(), d = row[cd].ToString(), loss = row[cl].ToString();
                    points.Add(new ScalingPoint(Positive(path, where, header[cn], n), Positive(path, where, header[cd], d), Positive(path, where, header[cl], loss)));
                }
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException && e is not RunFormatException)
            {
                throw CsvText.MalformedRow(path, e);
            }
            if (points.Count == 0) throw new RunFormatException(path, 2, "the table has a header but no rows.");
            return points;
        }
    }

    private static double Positive(string path, string where, string column, string text)
    {
        text = text.Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v <= 0)
            throw new RunFormatException(path, where, $"column '{column}': '{text}' is not a positive number.");
        return v;
    }
}
