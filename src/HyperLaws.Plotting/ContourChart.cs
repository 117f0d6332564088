namespace HyperLaws.Plotting;

/// <summary>
/// A renderer-neutral filled-contour chart of a field sampled on a rectangular grid.
/// </summary>
/// <param name="X">Grid column coordinates, strictly increasing (positive on a log axis).</param>
/// <param name="Y">Grid row coordinates, strictly increasing (positive on a log axis).</param>
/// <param name="Z">Field values indexed [row (y), column (x)]; NaN cells (and non-positive ones when
/// <paramref name="LogZ"/>) are left blank.</param>
/// <param name="LogZ">Colour by log10 z; contour levels are labelled with the real value.</param>
/// <param name="Levels">About how many contour levels to draw.</param>
/// <param name="Overlays">Lines drawn on top, e.g. a ridge line.</param>
public sealed record ContourChart(
    string Title,
    string XLabel,
    string YLabel,
    string ZLabel,
    double[] X,
    double[] Y,
    double[,] Z,
    bool LogX,
    bool LogY,
    bool LogZ,
    int Levels = 10,
    IReadOnlyList<LineSeries>? Overlays = null);
