namespace HyperLaws.Plotting.Internal;

/// <summary>
/// Keeps contour labels apart from each other and off overlay lines. Works in "unit" coordinates:
/// fractions of the data area, with y scaled by its rough aspect ratio so distances and angles
/// look as they will on the page.
/// </summary>
internal sealed class LabelSpace
{
    /// <summary>Height over width of the data area, roughly.</summary>
    private const double Aspect = FigureStyle.DataAreaHeight / FigureStyle.DataAreaWidth;

    /// <summary>Half the room a label needs, in unit coordinates (labels are wider than tall).</summary>
    private const double HalfWidth = 0.05;
    private const double HalfHeight = 0.03;

    private readonly ScottPlot.CoordinateRect _extent;
    private readonly List<(double X, double Y)> _labels = [];
    private readonly List<(double X, double Y)> _obstacles = [];

    /// <param name="extent">The data area in plot coordinates.</param>
    /// <param name="avoid">Lines (plot coordinates) that labels must not cover.</param>
    public LabelSpace(ScottPlot.CoordinateRect extent, IEnumerable<(double X, double Y)[]> avoid)
    {
        _extent = extent;
        foreach ((double X, double Y)[] line in avoid)
        {
            for (int i = 0; i < line.Length; i++)
            {
                (double X, double Y) b = ToUnit(line[i]);
                (double X, double Y) a = i == 0 ? b : ToUnit(line[i - 1]);
                int steps = (int)Math.Clamp(Math.Ceiling(Math.Max(Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y)) / 0.01), 1, 1000);
                for (int s = 1; s <= steps; s++)
                {
                    _obstacles.Add((a.X + (b.X - a.X) * s / steps, a.Y + (b.Y - a.Y) * s / steps));
                }
            }
        }
    }

    public (double X, double Y) ToUnit((double X, double Y) p) =>
        ((p.X - _extent.Left) / _extent.Width, (p.Y - _extent.Bottom) / _extent.Height * Aspect);

    public (double X, double Y) FromUnit((double X, double Y) p) =>
        (_extent.Left + p.X * _extent.Width, _extent.Bottom + p.Y / Aspect * _extent.Height);

    /// <summary>Reserves room for a label centred at <paramref name="at"/> (unit coordinates) if it is free.</summary>
    public bool TryClaim((double X, double Y) at)
    {
        bool Near((double X, double Y) p, double scale) =>
            Math.Abs(p.X - at.X) < HalfWidth * scale && Math.Abs(p.Y - at.Y) < HalfHeight * scale;

        if (_labels.Any(p => Near(p, 2)) || _obstacles.Any(p => Near(p, 1)))
        {
            return false;
        }

        _labels.Add(at);
        return true;
    }
}
