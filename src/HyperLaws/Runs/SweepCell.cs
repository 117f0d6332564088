namespace HyperLaws.Runs;

/// <summary>The runs of one (N, D) cell of a sweep: a grid over learning rate and batch size.</summary>
public sealed record SweepCell(double N, double D, IReadOnlyList<SweepPoint> Points)
{
    /// <summary>The configuration of the cell's points (<see cref="SweepPoint.Configuration"/>; null for a dense sweep).</summary>
    public string? Configuration => Points.Count > 0 ? Points[0].Configuration : null;

    /// <summary>The run with the lowest final loss.</summary>
    public SweepPoint Best => Points.MinBy(p => p.Loss)!;

    /// <summary>Tokens per parameter.</summary>
    public double TokensPerParameter => D / N;
}
