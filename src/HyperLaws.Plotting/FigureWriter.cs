using System.Text;
using HyperLaws.Plotting.Internal;
using HyperLaws.Platform;
using ScottPlot;
using SkiaSharp;

namespace HyperLaws.Plotting;

/// <summary>
/// Renders charts with ScottPlot and writes each as PNG, SVG and CSV (the data behind the figure).
/// Files are written to a temporary sibling and renamed, so a crash never leaves half a figure.
/// </summary>
public static class FigureWriter
{
    /// <summary>Image size in pixels.</summary>
    public const int Width = FigureStyle.Width;

    /// <summary>Image size in pixels.</summary>
    public const int Height = FigureStyle.Height;

    /// <summary>
    /// Writes <c>baseName.png</c>, <c>.svg</c> and <c>.csv</c> (header <c>series,x,y</c>, the raw input
    /// including points a log axis cannot draw) into <paramref name="directory"/>; returns their paths.
    /// </summary>
    /// <param name="png">The PNG already rendered (<see cref="RenderPng(LineChart)"/>); null: rendered here.</param>
    /// <param name="svg">The SVG already rendered (<see cref="RenderSvg(LineChart)"/>); null: rendered here.</param>
    public static IReadOnlyList<string> Write(LineChart chart, string directory, string baseName, byte[]? png = null, string? svg = null) =>
        WriteAll(png is not null && svg is not null ? null : LineChartRenderer.Build(chart), directory, baseName, [("csv", ToCsv(chart))], png, svg);

    /// <summary>
    /// Writes <c>baseName.png</c>, <c>.svg</c>, <c>.csv</c> (header <c>x,y,z</c>, one row per grid point)
    /// and, when there are overlays, <c>baseName.overlays.csv</c> (header <c>series,x,y</c>); returns their paths.
    /// </summary>
    /// <param name="png">The PNG already rendered (<see cref="RenderPng(ContourChart)"/>); null: rendered here.</param>
    /// <param name="svg">The SVG already rendered (<see cref="RenderSvg(ContourChart)"/>); null: rendered here.</param>
    public static IReadOnlyList<string> Write(ContourChart chart, string directory, string baseName, byte[]? png = null, string? svg = null)
    {
        var tables = new List<(string, string)> { ("csv", ToCsv(chart)) };
        if (chart.Overlays is { Count: > 0 })
        {
            tables.Add(("overlays.csv", Csv.Series(chart.Overlays)));
        }

        return WriteAll(png is not null && svg is not null ? null : ContourChartRenderer.Build(chart), directory, baseName, tables, png, svg);
    }

    /// <summary>The chart as PNG bytes, <see cref="Width"/> by <see cref="Height"/> pixels.</summary>
    public static byte[] RenderPng(LineChart chart) => Png(LineChartRenderer.Build(chart));

    /// <summary>The chart as PNG bytes, <see cref="Width"/> by <see cref="Height"/> pixels.</summary>
    public static byte[] RenderPng(ContourChart chart) => Png(ContourChartRenderer.Build(chart));

    /// <summary>The chart as PNG bytes at the given zlib level and row filters (tests and benchmarks compare the levels).</summary>
    internal static byte[] RenderPngAt(LineChart chart, int zlibLevel, SKPngEncoderFilterFlags filters)
    {
        using var plot = LineChartRenderer.Build(chart);
        return EncodePng(plot, zlibLevel, filters);
    }

    /// <summary>The chart as PNG bytes at the given zlib level and row filters (tests and benchmarks compare the levels).</summary>
    internal static byte[] RenderPngAt(ContourChart chart, int zlibLevel, SKPngEncoderFilterFlags filters)
    {
        using var plot = ContourChartRenderer.Build(chart);
        return EncodePng(plot, zlibLevel, filters);
    }

    /// <summary>The chart as an SVG document (text stays text, so it can be searched or embedded in HTML).</summary>
    public static string RenderSvg(LineChart chart) => Svg(LineChartRenderer.Build(chart));

    /// <summary>The chart as an SVG document; the heatmap is an embedded bitmap.</summary>
    public static string RenderSvg(ContourChart chart) => Svg(ContourChartRenderer.Build(chart));

    /// <summary>
    /// The data behind a line chart: <c>series,x,y</c>, every input point, round-trip formatted; each band's edges follow the
    /// lines as series <c>NAME [lower]</c> and <c>NAME [upper]</c>.
    /// </summary>
    public static string ToCsv(LineChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return Csv.Series(chart.Series.Concat((chart.Bands ?? []).SelectMany(band => band.Edges())));
    }

    /// <summary>The data behind a contour chart: <c>x,y,z</c>, one row per grid point, x varying fastest.</summary>
    public static string ToCsv(ContourChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return Csv.Grid(chart.X, chart.Y, chart.Z);
    }

    /// <summary>
    /// The zlib level of the PNGs written: 1, the fastest, where Skia's default (ScottPlot's <c>GetImageBytes</c>) is 6.
    /// </summary>
    /// <remarks>
    /// With <see cref="PngFilters"/> this halves a line chart's PNG time (drawing included; <c>stages</c> benchmark). Both
    /// change only how the pixels are compressed (how hard zlib searches for repeats, which row filter precedes it), not
    /// the pixels: a PNG decoder reads the same pixels as from Skia's default encoding (tested).
    /// </remarks>
    internal const int PngZLibLevel = 1;

    /// <summary>
    /// The PNG row filter: Up only (each byte less the one a row above), where Skia's default tries all five filters on
    /// every row and keeps the best. Choosing among the five was most of a line chart's encoding time; at level 1, Up alone
    /// is as fast as Sub alone and compresses these charts (flat areas, thin lines, the contour's vertical colour bands)
    /// better (the contour's PNG 211 kB against Sub's 385 kB and the default's 165 kB; the line charts 3-21% above the
    /// default's size). Measured with the <c>stages</c> benchmark, which times and sizes each variant.
    /// </summary>
    internal const SKPngEncoderFilterFlags PngFilters = SKPngEncoderFilterFlags.Up;

    private static byte[] Png(Plot plot)
    {
        using (plot)
        {
            return EncodePng(plot, PngZLibLevel, PngFilters);
        }
    }

    /// <summary>
    /// Renders the plot the way ScottPlot's <c>Plot.GetImage</c> does (an RGBA 8888 premultiplied raster surface of
    /// <see cref="Width"/> x <see cref="Height"/>, <c>Plot.Render(canvas, width, height)</c>) and encodes its pixels as PNG
    /// with the given zlib level and row filters (<c>GetImageBytes</c>: level 6, all filters).
    /// </summary>
    internal static byte[] EncodePng(Plot plot, int zlibLevel, SKPngEncoderFilterFlags filters)
    {
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("Skia could not create a raster surface.");
        plot.Render(surface.Canvas, Width, Height);
        using var pixels = surface.PeekPixels();
        using var data = pixels.Encode(new SKPngEncoderOptions(filters, zlibLevel)) ?? throw new InvalidOperationException("Skia could not encode the PNG.");
        return data.ToArray();
    }

    private static string Svg(Plot plot)
    {
        using (plot)
        {
            return plot.GetSvgXml(Width, Height);
        }
    }

    /// <summary>Renders everything in memory first, then writes each file atomically.</summary>
    /// <remarks>The plot is built only when a PNG or SVG is not given (<paramref name="plot"/> null: both given).</remarks>
    private static List<string> WriteAll(Plot? plot, string directory, string baseName, IEnumerable<(string Extension, string Text)> tables, byte[]? png, string? svg)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseName);
        var files = new List<(string Path, byte[] Content)>();
        using (plot)
        {
            files.Add((Path.Combine(directory, baseName + ".png"), png ?? EncodePng(plot!, PngZLibLevel, PngFilters)));
            files.Add((Path.Combine(directory, baseName + ".svg"), Encoding.UTF8.GetBytes(svg ?? plot!.GetSvgXml(Width, Height))));
        }

        files.AddRange(tables.Select(table => (Path.Combine(directory, baseName + "." + table.Extension), Encoding.UTF8.GetBytes(table.Text))));
        Directory.CreateDirectory(directory);
        foreach ((string path, byte[] content) in files)
        {
            AtomicFile.Write(path, content);
        }

        return [.. files.Select(file => file.Path)];
    }
}
