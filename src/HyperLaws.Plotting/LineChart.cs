namespace HyperLaws.Plotting;

/// <summary>
/// A renderer-neutral line chart. On a log axis, points with non-positive, NaN or infinite
/// coordinates are left out of the drawing (the line breaks there); the CSV still holds them. <see cref="Bands"/> are
/// filled under the lines (e.g. a prediction interval).
/// </summary>
public sealed record LineChart(
    string Title,
    string XLabel,
    string YLabel,
    bool LogX,
    bool LogY,
    IReadOnlyList<LineSeries> Series,
    IReadOnlyList<Annotation>? Notes = null,
    IReadOnlyList<VerticalMarker>? VerticalMarkers = null,
    IReadOnlyList<BandSeries>? Bands = null);
