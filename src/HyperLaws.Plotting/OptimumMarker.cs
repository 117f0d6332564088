namespace HyperLaws.Plotting;

/// <summary>
/// Marks an optimum on a contour chart: the point with its label in the legend, and dashed cross-hairs through it across
/// the whole grid, so it stays visible even on the grid's edge or over a busy heatmap.
/// </summary>
public static class OptimumMarker
{
    /// <summary>The marker's default colour (red: it stands out against viridis).</summary>
    public const string Color = "#d62728";

    /// <summary>
    /// The overlays for an optimum at (<paramref name="x"/>, <paramref name="y"/>): a labelled point, then a horizontal and a
    /// vertical dashed line spanning <paramref name="xAxis"/> and <paramref name="yAxis"/> (first to last value).
    /// </summary>
    public static IReadOnlyList<LineSeries> Overlays(string label, double x, double y, IReadOnlyList<double> xAxis, IReadOnlyList<double> yAxis, string color = Color)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(xAxis);
        ArgumentNullException.ThrowIfNull(yAxis);
        if (xAxis.Count == 0 || yAxis.Count == 0) throw new ArgumentException("the grid axes must not be empty.");
        return
        [
            new LineSeries(label, [x], [y], Markers: true, ColorHex: color),
            new LineSeries("", [xAxis[0], xAxis[^1]], [y, y], Dashed: true, ColorHex: color),
            new LineSeries("", [x, x], [yAxis[0], yAxis[^1]], Dashed: true, ColorHex: color),
        ];
    }
}
