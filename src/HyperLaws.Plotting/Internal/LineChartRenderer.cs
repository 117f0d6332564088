using ScottPlot;
using ScottPlot.Plottables;

namespace HyperLaws.Plotting.Internal;

/// <summary>Turns a <see cref="LineChart"/> into a ScottPlot plot.</summary>
internal static class LineChartRenderer
{
    public static Plot Build(LineChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        Plot plot = PlotSetup.Create(chart.Title, chart.XLabel, chart.YLabel, chart.LogX, chart.LogY);
        var xScale = new AxisScale(chart.LogX);
        var yScale = new AxisScale(chart.LogY);

        var lines = new List<(double X, double Y)[]>();
        var names = new List<string>();
        for (int i = 0; i < chart.Series.Count; i++)
        {
            LineSeries series = chart.Series[i];
            Color color = series.ColorHex is null ? FigureStyle.LinePalette.GetColor(i) : Color.FromHex(series.ColorHex);
            List<(double X, double Y)[]> runs = PlotSetup.AddSeries(plot, series, xScale, yScale, color, FigureStyle.LineWidth);
            lines.AddRange(runs);
            if (runs.Count > 0 && !string.IsNullOrEmpty(series.Name))
            {
                names.Add(series.Name);
            }
        }

        var markers = new List<double>();
        foreach (VerticalMarker marker in chart.VerticalMarkers ?? [])
        {
            if (xScale.TryMap(marker.X, out double x))
            {
                VerticalLine line = plot.Add.VerticalLine(x, 1.5f, FigureStyle.MarkerLineColor, LinePattern.Dashed);
                line.Text = marker.Label;
                line.LabelOppositeAxis = true;
                line.LabelFontSize = FigureStyle.TickLabelSize;
                markers.Add(x);
            }
        }

        plot.Axes.AutoScale();
        AxisLimits limits = plot.Axes.GetLimits();
        lines.AddRange(markers.Select(x => new[] { (x, limits.Bottom), (x, limits.Top) }));

        HashSet<Alignment> taken = PlotSetup.AddNotes(plot, chart.Notes);
        if (names.Count > 1)
        {
            PlotSetup.ShowLegend(plot, lines, taken, names);
        }

        PlotSetup.ApplyFont(plot);
        return plot;
    }
}
