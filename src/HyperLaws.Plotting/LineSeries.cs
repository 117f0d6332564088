namespace HyperLaws.Plotting;

/// <summary>One polyline of a chart.</summary>
/// <param name="Name">Legend text; empty or null leaves the series out of the legend.</param>
/// <param name="X">X values, same length as <paramref name="Y"/>.</param>
/// <param name="Y">Y values.</param>
/// <param name="Dashed">Draw with a dashed line.</param>
/// <param name="Markers">Draw a marker at each point.</param>
/// <param name="ColorHex">Colour such as "#1f77b4"; null picks the next palette colour.</param>
public sealed record LineSeries(
    string Name,
    double[] X,
    double[] Y,
    bool Dashed = false,
    bool Markers = false,
    string? ColorHex = null);
