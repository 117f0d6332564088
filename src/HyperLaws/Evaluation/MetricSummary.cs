namespace HyperLaws.Evaluation;

/// <summary>
/// Metrics over several test curves, the way the MPL paper reports them: each metric per curve, then
/// the mean over curves; MaxE is the largest relative error over all points of all curves.
/// </summary>
public sealed record MetricSummary(int Curves, double PredE, double WorstE, double MaxE, double RSquared, double Mae, double Rmse)
{
    /// <summary>The summary of per-curve metrics (means over curves; MaxE the largest WorstE).</summary>
    public static MetricSummary Of(IReadOnlyList<CurveMetrics> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0) throw new ArgumentException("no curves to summarise.");
        return new MetricSummary(
            curves.Count,
            curves.Average(c => c.PredE),
            curves.Average(c => c.WorstE),
            curves.Max(c => c.WorstE),
            curves.Average(c => c.RSquared),
            curves.Average(c => c.Mae),
            curves.Average(c => c.Rmse));
    }
}
