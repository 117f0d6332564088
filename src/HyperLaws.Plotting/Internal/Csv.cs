using System.Globalization;
using System.Text;

namespace HyperLaws.Plotting.Internal;

/// <summary>
/// The data behind a figure as CSV: invariant culture, round-trip number formatting, and the raw
/// input values (points a log axis cannot draw are kept here).
/// </summary>
internal static class Csv
{
    /// <summary>Long format: header "series,x,y", one row per point of each series.</summary>
    public static string Series(IEnumerable<LineSeries> series)
    {
        var text = new StringBuilder("series,x,y\n");
        foreach (LineSeries line in series)
        {
            string name = Quote(line.Name ?? "");
            for (int i = 0; i < line.X.Length; i++)
            {
                text.Append(name).Append(',').Append(Number(line.X[i])).Append(',').Append(Number(line.Y[i])).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Header "x,y,z", one row per grid point, x varying fastest.</summary>
    public static string Grid(double[] x, double[] y, double[,] z)
    {
        var text = new StringBuilder("x,y,z\n");
        for (int r = 0; r < y.Length; r++)
        {
            for (int c = 0; c < x.Length; c++)
            {
                text.Append(Number(x[c])).Append(',').Append(Number(y[r])).Append(',').Append(Number(z[r, c])).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 quoting for a field holding a comma, quote or line break.</summary>
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
