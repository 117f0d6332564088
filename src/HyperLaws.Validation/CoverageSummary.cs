namespace HyperLaws.Validation;

/// <summary>
/// Coverage over several curves: the fraction of all points inside the interval, below it and above it;
/// the fraction of final losses inside; and the mean relative width over all points.
/// </summary>
public sealed record CoverageSummary(int Points, double Inside, double Below, double Above, int Finals, double FinalsInside, double MeanRelativeWidth)
{
    /// <summary>Pools the curves: point fractions weighted by each curve's point count, one final point per curve.</summary>
    /// <exception cref="ArgumentException">No curves.</exception>
    public static CoverageSummary Of(IReadOnlyList<CurveCalibration> curves)
    {
        if (curves.Count == 0) throw new ArgumentException("No curves to summarise.");
        double points = curves.Sum(c => c.Points);
        return new CoverageSummary(curves.Sum(c => c.Points), curves.Sum(c => c.Inside) / points, curves.Sum(c => c.Below) / points, curves.Sum(c => c.Above) / points,
            curves.Count, curves.Count(c => c.FinalInside) / (double)curves.Count, curves.Sum(c => c.MeanRelativeWidth * c.Points) / points);
    }
}
