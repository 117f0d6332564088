using ScottPlot;

namespace HyperLaws.Plotting.Internal;

/// <summary>Sizes, fonts and colours shared by every figure.</summary>
internal static class FigureStyle
{
    /// <summary>The one font used for all text (ScottPlot's own default resolves to a serif face).</summary>
    public const string FontName = "DejaVu Sans";

    public const int Width = 1000;
    public const int Height = 650;

    // The data area left inside the axes, title and colour bar, roughly: for layout estimates made before rendering.
    public const double DataAreaWidth = Width - 170;
    public const double DataAreaHeight = Height - 140;

    public const float TitleSize = 18;
    public const float AxisLabelSize = 15;
    public const float TickLabelSize = 13;
    public const float LegendSize = 13;
    public const float NoteSize = 13;
    public const float ContourLabelSize = 11;
    public const float LineWidth = 2;
    public const float MarkerSize = 6;

    /// <summary>Colours for line charts, in order.</summary>
    public static readonly IPalette LinePalette = new ScottPlot.Palettes.Category10();

    /// <summary>Colours for overlays on a heatmap: they must stand out against viridis.</summary>
    public static readonly Color[] OverlayColors =
    [
        Color.FromHex("#E41A1C"),
        Color.FromHex("#FFFFFF"),
        Color.FromHex("#FF7F00"),
        Color.FromHex("#F781BF"),
    ];

    public static readonly Color MarkerLineColor = Color.FromHex("#555555");
    public static readonly Color GridColor = Colors.Black.WithAlpha(0.12);
    public static readonly Color ContourLineColor = Colors.White.WithAlpha(0.85);
}
