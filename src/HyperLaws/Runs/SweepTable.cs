namespace HyperLaws.Runs;

/// <summary>The runs of one (N, D) cell of a sweep: a grid over learning rate and batch size.</summary>
public sealed record SweepCell(double N, double D, IReadOnlyList<SweepPoint> Points)
{
    /// <summary>The run with the lowest final loss.</summary>
    public SweepPoint Best => Points.MinBy(p => p.Loss)!;

    /// <summary>Tokens per parameter.</summary>
    public double TokensPerParameter => D / N;
}

/// <summary>A sweep of final losses, grouped into (N, D) cells (ordered by N, then D).</summary>
public sealed class SweepTable
{
    public SweepTable(IReadOnlyList<SweepPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        Points = points;
        Cells = points.GroupBy(p => (p.N, p.D))
            .OrderBy(g => g.Key.N).ThenBy(g => g.Key.D)
            .Select(g => new SweepCell(g.Key.N, g.Key.D, g.ToList()))
            .ToList();
    }

    public IReadOnlyList<SweepPoint> Points { get; }

    public IReadOnlyList<SweepCell> Cells { get; }

    /// <summary>The cell of (N, D), or null.</summary>
    public SweepCell? Cell(double n, double d) => Cells.FirstOrDefault(c => c.N == n && c.D == d);
}
