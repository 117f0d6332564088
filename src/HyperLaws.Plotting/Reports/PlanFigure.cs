using System.Text;
using HyperLaws.Plotting.Internal;
using HyperLaws.Platform;

namespace HyperLaws.Plotting.Reports;

/// <summary>
/// One figure of a plan report: a line chart or a contour chart, its caption (how to read it), and any extra CSV tables
/// written next to it (e.g. the labelled points of a scaling figure).
/// </summary>
public sealed record PlanFigure
{
    private PlanFigure(string name, string caption, LineChart? line, ContourChart? contour)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(caption);
        if (name.IndexOfAny(['/', '\\', '.']) >= 0 || name.Any(char.IsWhiteSpace))
            throw new ArgumentException($"the figure name '{name}' must be a plain file name without extension.", nameof(name));
        Name = name;
        Caption = caption;
        Line = line;
        Contour = contour;
    }

    /// <summary>A figure drawn as a line chart.</summary>
    public PlanFigure(string name, string caption, LineChart chart) : this(name, caption, chart ?? throw new ArgumentNullException(nameof(chart)), null) { }

    /// <summary>A figure drawn as a filled-contour chart.</summary>
    public PlanFigure(string name, string caption, ContourChart chart) : this(name, caption, null, chart ?? throw new ArgumentNullException(nameof(chart))) { }

    /// <summary>The base file name: <c>Name.png</c>, <c>.svg</c>, <c>.csv</c>, ...</summary>
    public string Name { get; }

    /// <summary>How to read the figure, for the report.</summary>
    public string Caption { get; }

    /// <summary>The chart, when it is a line chart.</summary>
    public LineChart? Line { get; }

    /// <summary>The chart, when it is a contour chart.</summary>
    public ContourChart? Contour { get; }

    /// <summary>The chart's title.</summary>
    public string Title => Line?.Title ?? Contour!.Title;

    /// <summary>More CSV tables written as <c>Name.Suffix</c> (suffix such as "points.csv"), with their text.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tables { get; init; } = [];

    /// <summary>The names of the files <see cref="Write(string, byte[], string)"/> writes, PNG first.</summary>
    public IReadOnlyList<string> FileNames =>
    [
        Name + ".png", Name + ".svg", Name + ".csv",
        .. Contour?.Overlays is { Count: > 0 } ? [Name + ".overlays.csv"] : Array.Empty<string>(),
        .. Tables.Select(t => Name + "." + t.Key),
    ];

    /// <summary>Writes the PNG, SVG and CSV (see <see cref="FigureWriter"/>) and the extra tables, each atomically; returns the paths.</summary>
    /// <param name="png">The PNG already rendered (<see cref="RenderPng"/>); null: rendered here.</param>
    /// <param name="svg">The SVG already rendered (<see cref="RenderSvg"/>); null: rendered here.</param>
    public IReadOnlyList<string> Write(string directory, byte[]? png = null, string? svg = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var paths = new List<string>(Line is not null ? FigureWriter.Write(Line, directory, Name, png, svg) : FigureWriter.Write(Contour!, directory, Name, png, svg));
        foreach (var (suffix, text) in Tables)
        {
            string path = Path.Combine(directory, Name + "." + suffix);
            AtomicFile.Write(path, Encoding.UTF8.GetBytes(text));
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>The chart as PNG bytes.</summary>
    public byte[] RenderPng() => Line is not null ? FigureWriter.RenderPng(Line) : FigureWriter.RenderPng(Contour!);

    /// <summary>The chart as PNG bytes at the given zlib level and row filters (tests and benchmarks compare the levels).</summary>
    internal byte[] RenderPngAt(int zlibLevel, SkiaSharp.SKPngEncoderFilterFlags filters) =>
        Line is not null ? FigureWriter.RenderPngAt(Line, zlibLevel, filters) : FigureWriter.RenderPngAt(Contour!, zlibLevel, filters);

    /// <summary>The chart as an SVG document.</summary>
    public string RenderSvg() => Line is not null ? FigureWriter.RenderSvg(Line) : FigureWriter.RenderSvg(Contour!);
}
