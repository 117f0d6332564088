using ScottPlot;

namespace HyperLaws.Plotting.Internal;

/// <summary>Picks the corner where a legend box covers the least of the drawn lines.</summary>
internal static class LegendPlacement
{
    /// <summary>Corners in order of preference when several are equally empty.</summary>
    private static readonly Alignment[] Preference = [Alignment.UpperRight, Alignment.LowerLeft, Alignment.UpperLeft, Alignment.LowerRight];

    // Rough legend text metrics, in pixels, to estimate the legend box.
    private const double CharWidth = 0.6 * FigureStyle.LegendSize;
    private const double RowHeight = 1.7 * FigureStyle.LegendSize;
    private const double SymbolWidth = 50;
    private const double Padding = 12;

    /// <summary>Clearance around the legend box, as a fraction of the data area.</summary>
    private const double Margin = 0.03;

    public static Alignment Choose(IReadOnlyList<(double X, double Y)[]> lines, AxisLimits limits, IReadOnlyCollection<Alignment> taken, IReadOnlyList<string> names)
    {
        double width = (SymbolWidth + CharWidth * names.Max(name => name.Length)) / FigureStyle.DataAreaWidth + Margin;
        double height = (Padding + RowHeight * names.Count) / FigureStyle.DataAreaHeight + Margin;
        Alignment[] free = [.. Preference.Where(corner => !taken.Contains(corner))];
        if (free.Length == 0)
        {
            free = Preference;
        }

        var covered = free.ToDictionary(corner => corner, _ => 0);
        foreach ((double X, double Y)[] line in lines)
        {
            foreach ((double x, double y) in Sample(line, limits))
            {
                foreach (Alignment corner in free)
                {
                    if (InBox(corner, x, y, width, height))
                    {
                        covered[corner]++;
                    }
                }
            }
        }

        return free.MinBy(corner => covered[corner]);
    }

    /// <summary>Points along the line, in fractions of the axis ranges, about every 0.5% of the figure.</summary>
    private static IEnumerable<(double X, double Y)> Sample((double X, double Y)[] line, AxisLimits limits)
    {
        (double X, double Y) Normalize((double X, double Y) p) =>
            ((p.X - limits.Left) / (limits.Right - limits.Left), (p.Y - limits.Bottom) / (limits.Top - limits.Bottom));

        for (int i = 0; i < line.Length; i++)
        {
            (double X, double Y) b = Normalize(line[i]);
            if (i == 0)
            {
                yield return b;
                continue;
            }

            (double X, double Y) a = Normalize(line[i - 1]);
            int steps = (int)Math.Min(1000, Math.Ceiling(Math.Sqrt(Math.Pow(b.X - a.X, 2) + Math.Pow(b.Y - a.Y, 2)) / 0.005));
            for (int s = 1; s <= steps; s++)
            {
                double t = (double)s / steps;
                yield return (a.X + t * (b.X - a.X), a.Y + t * (b.Y - a.Y));
            }
        }
    }

    private static bool InBox(Alignment corner, double x, double y, double width, double height)
    {
        bool inX = corner is Alignment.UpperLeft or Alignment.LowerLeft ? x >= 0 && x <= width : x <= 1 && x >= 1 - width;
        bool inY = corner is Alignment.LowerLeft or Alignment.LowerRight ? y >= 0 && y <= height : y <= 1 && y >= 1 - height;
        return inX && inY;
    }
}
