using ScottPlot;

namespace HyperLaws.Plotting.Internal;

/// <summary>
/// Ticks for an axis whose coordinates are log10 of the data (ScottPlot 5 has no log axis):
/// majors at round values labelled with the real value, minors at the other mantissas.
/// </summary>
internal sealed class LogTickGenerator : ITickGenerator
{
    /// <summary>Minimum free space between neighbouring tick labels, in pixels.</summary>
    private const float LabelGap = 14;

    /// <summary>Fewest labels a layout should give before a denser one is tried.</summary>
    private const int PreferredLabels = 4;

    public Tick[] Ticks { get; set; } = [];

    /// <summary>Part of the interface; the layouts never come near it.</summary>
    public int MaxTickCount { get; set; } = 1000;

    public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle)
    {
        double lo = Math.Min(range.Min, range.Max);
        double hi = Math.Max(range.Min, range.Max);
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || hi <= lo || size.Length <= 0)
        {
            Ticks = [];
            return;
        }

        // The first layout with enough labels that fit; failing that, the fitting one with the most labels.
        ScaleLayout? chosen = null;
        ScaleLayout? fallback = null;
        foreach (ScaleLayout layout in NiceScale.LogTickLayouts(lo, hi))
        {
            if (!LabelsFit(layout, size.Length / (hi - lo), edge.IsHorizontal(), paint, labelStyle))
            {
                continue;
            }

            if (layout.Major.Length >= PreferredLabels)
            {
                chosen = layout;
                break;
            }

            if (fallback is null || layout.Major.Length > fallback.Major.Length)
            {
                fallback = layout;
            }
        }

        chosen ??= fallback;
        Ticks = chosen is null
            ? []
            : [.. chosen.Major.Select((position, i) => Tick.Major(position, chosen.Labels[i])),
               .. chosen.Minor.Select(Tick.Minor)];
    }

    /// <summary>Whether neighbouring labels are at least a label's extent plus a gap apart.</summary>
    private static bool LabelsFit(ScaleLayout layout, double pixelsPerUnit, bool horizontal, Paint paint, LabelStyle labelStyle)
    {
        if (layout.Major.Length > MaxLabels(horizontal))
        {
            return false;
        }

        float extent = 0;
        foreach (string label in layout.Labels)
        {
            MeasuredText measured = labelStyle.Measure(label, paint);
            extent = Math.Max(extent, horizontal ? measured.Width : measured.Height);
        }

        for (int i = 1; i < layout.Major.Length; i++)
        {
            if ((layout.Major[i] - layout.Major[i - 1]) * pixelsPerUnit < extent + LabelGap)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Caps the label count so a long axis is not crowded with numbers.</summary>
    private static int MaxLabels(bool horizontal) => horizontal ? 16 : 12;
}
