using ScottPlot;
using ScottPlot.Plottables;

namespace HyperLaws.Plotting.Internal;

/// <summary>What every figure shares: titles, axes, fonts, series drawing and notes.</summary>
internal static class PlotSetup
{
    /// <summary>Least space per linear tick label, in pixels: ScottPlot's default crowds a figure of this size.</summary>
    private const float LinearTickSpacing = 45;

    /// <summary>A plot with title, axis labels, sizes and (log) tick generators set.</summary>
    public static Plot Create(string title, string xLabel, string yLabel, bool logX, bool logY)
    {
        var plot = new Plot();
        plot.Title(title, FigureStyle.TitleSize);
        plot.XLabel(xLabel, FigureStyle.AxisLabelSize);
        plot.YLabel(yLabel, FigureStyle.AxisLabelSize);
        ConfigureAxis(plot.Axes.Bottom, logX);
        ConfigureAxis(plot.Axes.Left, logY);
        plot.Grid.MajorLineColor = FigureStyle.GridColor;
        return plot;
    }

    /// <summary>Sets tick sizes and the tick generator: log ticks, or thinned linear ones.</summary>
    public static void ConfigureAxis(IAxis axis, bool log)
    {
        axis.TickLabelStyle.FontSize = FigureStyle.TickLabelSize;
        axis.MajorTickStyle.Length = 6;
        axis.MinorTickStyle.Length = 3.5f;
        axis.TickGenerator = log ? new LogTickGenerator() : new ScottPlot.TickGenerators.NumericAutomatic { MinimumTickSpacing = LinearTickSpacing };
    }

    /// <summary>
    /// Draws a series in plot coordinates, breaking the line where a point cannot be drawn.
    /// Returns the drawn runs (for legend placement).
    /// </summary>
    public static List<(double X, double Y)[]> AddSeries(Plot plot, LineSeries series, AxisScale xScale, AxisScale yScale, Color color, float width)
    {
        List<(double X, double Y)[]> runs = Runs(series, xScale, yScale);
        for (int r = 0; r < runs.Count; r++)
        {
            (double X, double Y)[] points = runs[r];
            Scatter scatter = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), color);
            scatter.LineWidth = width;
            scatter.LinePattern = series.Dashed ? LinePattern.Dashed : LinePattern.Solid;
            // A lone point has no line to show, so it always gets a marker.
            scatter.MarkerSize = series.Markers || points.Length == 1 ? FigureStyle.MarkerSize : 0;
            scatter.MarkerShape = MarkerShape.FilledCircle;
            if (r == 0 && !string.IsNullOrEmpty(series.Name))
            {
                scatter.LegendText = series.Name;
            }
        }

        return runs;
    }

    /// <summary>The series in plot coordinates, split into runs of drawable points.</summary>
    public static List<(double X, double Y)[]> Runs(LineSeries series, AxisScale xScale, AxisScale yScale)
    {
        if (series.X.Length != series.Y.Length)
        {
            throw new ArgumentException($"Series '{series.Name}' has {series.X.Length} x values but {series.Y.Length} y values.");
        }

        var runs = new List<(double X, double Y)[]>();
        var run = new List<(double X, double Y)>();
        for (int i = 0; i <= series.X.Length; i++)
        {
            if (i < series.X.Length && xScale.TryMap(series.X[i], out double x) && yScale.TryMap(series.Y[i], out double y))
            {
                run.Add((x, y));
            }
            else if (run.Count > 0)
            {
                runs.Add([.. run]);
                run.Clear();
            }
        }

        return runs;
    }

    /// <summary>The band in plot coordinates, split into runs of points whose x and both edges can be drawn.</summary>
    public static List<(double X, double Lower, double Upper)[]> BandRuns(BandSeries band, AxisScale xScale, AxisScale yScale)
    {
        _ = band.Edges().ToList(); // checks the lengths
        var runs = new List<(double X, double Lower, double Upper)[]>();
        var run = new List<(double X, double Lower, double Upper)>();
        for (int i = 0; i <= band.X.Length; i++)
        {
            if (i < band.X.Length && xScale.TryMap(band.X[i], out double x) && yScale.TryMap(band.Lower[i], out double lo) && yScale.TryMap(band.Upper[i], out double hi))
            {
                run.Add((x, lo, hi));
            }
            else if (run.Count > 0)
            {
                runs.Add([.. run]);
                run.Clear();
            }
        }

        return runs;
    }

    /// <summary>Places the notes, one text box per corner; returns the corners used.</summary>
    public static HashSet<Alignment> AddNotes(Plot plot, IReadOnlyList<Annotation>? notes)
    {
        var used = new HashSet<Alignment>();
        foreach (IGrouping<Corner, Annotation> group in (notes ?? []).GroupBy(note => note.Corner))
        {
            Alignment alignment = ToAlignment(group.Key);
            ScottPlot.Plottables.Annotation box = plot.Add.Annotation(string.Join("\n", group.Select(note => note.Text)), alignment);
            box.LabelFontSize = FigureStyle.NoteSize;
            box.LabelBackgroundColor = Colors.White.WithAlpha(0.85);
            box.LabelBorderColor = Colors.Gray;
            box.LabelShadowColor = Colors.Transparent;
            used.Add(alignment);
        }

        return used;
    }

    /// <summary>Shows the legend in the emptiest free corner.</summary>
    public static void ShowLegend(Plot plot, IReadOnlyList<(double X, double Y)[]> lines, IReadOnlyCollection<Alignment> taken, IReadOnlyList<string> names)
    {
        Alignment corner = LegendPlacement.Choose(lines, plot.Axes.GetLimits(), taken, names);
        Legend legend = plot.ShowLegend(corner);
        legend.FontSize = FigureStyle.LegendSize;
        legend.BackgroundColor = Colors.White.WithAlpha(0.85);
        legend.ShadowColor = Colors.Transparent;
    }

    /// <summary>Gives every text element the figure font; call once everything is added.</summary>
    public static void ApplyFont(Plot plot)
    {
        plot.Font.Set(FigureStyle.FontName);
        plot.Legend.FontName = FigureStyle.FontName;
        foreach (LabelStyleProperties labelled in plot.GetPlottables().OfType<LabelStyleProperties>())
        {
            labelled.LabelFontName = FigureStyle.FontName;
        }

        foreach (ScottPlot.Panels.ColorBar colorBar in plot.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>())
        {
            colorBar.LabelStyle.FontName = FigureStyle.FontName;
            colorBar.Axis.Label.FontName = FigureStyle.FontName;
            colorBar.Axis.TickLabelStyle.FontName = FigureStyle.FontName;
        }
    }

    private static Alignment ToAlignment(Corner corner) => corner switch
    {
        Corner.UpperLeft => Alignment.UpperLeft,
        Corner.UpperRight => Alignment.UpperRight,
        Corner.LowerLeft => Alignment.LowerLeft,
        Corner.LowerRight => Alignment.LowerRight,
        _ => throw new ArgumentOutOfRangeException(nameof(corner), corner, null),
    };
}
