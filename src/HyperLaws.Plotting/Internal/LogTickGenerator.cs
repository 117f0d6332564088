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

        // The first layout with enough labels that fit and cover the axis; failing that, the fitting one that covers the
        // axis with the most labels (one that leaves an end unlabelled only when none covers it).
        ScaleLayout? chosen = null;
        ScaleLayout? fallback = null;
        foreach (ScaleLayout layout in NiceScale.LogTickLayouts(lo, hi))
        {
            if (!LabelsFit(layout, size.Length / (hi - lo), edge.IsHorizontal(), paint, labelStyle))
            {
                continue;
            }

            bool covers = Covers(layout, lo, hi);
            if (layout.Major.Length >= PreferredLabels && covers)
            {
                chosen = layout;
                break;
            }

            if (fallback is null || (covers, layout.Major.Length).CompareTo((Covers(fallback, lo, hi), fallback.Major.Length)) > 0)
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

    /// <summary>
    /// Whether the labels reach both ends of the axis: neither end leaves more than <see cref="MaxBareEnd"/> of the span
    /// unlabelled (evenly spaced values on a log axis bunch up at its high end and can leave the low end bare).
    /// </summary>
    private static bool Covers(ScaleLayout layout, double lo, double hi) =>
        layout.Major.Length > 0 && layout.Major[0] - lo <= MaxBareEnd * (hi - lo) && hi - layout.Major[^1] <= MaxBareEnd * (hi - lo);

    /// <summary>Largest unlabelled stretch at either end of an axis, as a fraction of its span.</summary>
    private const double MaxBareEnd = 0.4;

    /// <summary>Caps the label count so a long axis is not crowded with numbers.</summary>
    private static int MaxLabels(bool horizontal) => horizontal ? 16 : 12;
}
