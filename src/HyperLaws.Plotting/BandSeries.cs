namespace HyperLaws.Plotting;

/// <summary>
/// A filled band between two curves over the same x values, e.g. a prediction interval around a loss curve. Drawn under the
/// lines, translucent; in the figure's CSV as two series, <c>Name [lower]</c> and <c>Name [upper]</c>.
/// </summary>
/// <param name="Name">Legend text; empty leaves the band out of the legend.</param>
/// <param name="X">X values, same length as <paramref name="Lower"/> and <paramref name="Upper"/>.</param>
/// <param name="Lower">The band's lower edge.</param>
/// <param name="Upper">The band's upper edge.</param>
/// <param name="ColorHex">Colour such as "#1f77b4" (drawn translucent); null picks the palette's first colour.</param>
public sealed record BandSeries(string Name, double[] X, double[] Lower, double[] Upper, string? ColorHex = null)
{
    /// <summary>The band's edges as two plain series, as the CSV holds them.</summary>
    public IEnumerable<LineSeries> Edges()
    {
        if (X.Length != Lower.Length || X.Length != Upper.Length)
            throw new ArgumentException($"Band '{Name}' has {X.Length} x values but {Lower.Length} lower and {Upper.Length} upper values.");
        yield return new LineSeries(Name + " [lower]", X, Lower, ColorHex: ColorHex);
        yield return new LineSeries(Name + " [upper]", X, Upper, ColorHex: ColorHex);
    }
}
