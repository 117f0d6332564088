namespace HyperLaws.Runs;

/// <summary>A sweep of final losses, grouped into (N, D) cells, one per configuration (ordered by N, then D, then configuration).</summary>
public sealed class SweepTable
{
    /// <summary>Groups <paramref name="points"/> into cells.</summary>
    public SweepTable(IReadOnlyList<SweepPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        Points = points;
        Cells = points.GroupBy(p => (p.N, p.D, p.Configuration))
            .OrderBy(g => g.Key.N).ThenBy(g => g.Key.D).ThenBy(g => g.Key.Configuration, StringComparer.Ordinal)
            .Select(g => new SweepCell(g.Key.N, g.Key.D, g.ToList()))
            .ToList();
    }

    /// <summary>Every point, as given.</summary>
    public IReadOnlyList<SweepPoint> Points { get; }

    /// <summary>The (N, D, configuration) cells, ordered by N, then D, then configuration.</summary>
    public IReadOnlyList<SweepCell> Cells { get; }

    /// <summary>The cell of (N, D), or null.</summary>
    public SweepCell? Cell(double n, double d) => Cells.FirstOrDefault(c => c.N == n && c.D == d);
}
