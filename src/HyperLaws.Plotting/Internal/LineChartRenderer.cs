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
        // Bands first, so the lines are drawn over them.
        foreach (BandSeries band in chart.Bands ?? [])
        {
            Color color = band.ColorHex is null ? FigureStyle.LinePalette.GetColor(0) : Color.FromHex(band.ColorHex);
            List<(double X, double Lower, double Upper)[]> runs = PlotSetup.BandRuns(band, xScale, yScale);
            for (int r = 0; r < runs.Count; r++)
            {
                var run = runs[r];
                ScottPlot.Plottables.FillY fill = plot.Add.FillY([.. run.Select(p => p.X)], [.. run.Select(p => p.Upper)], [.. run.Select(p => p.Lower)]);
                fill.FillColor = color.WithAlpha(0.22);
                fill.LineWidth = 0;
                if (r == 0 && !string.IsNullOrEmpty(band.Name)) fill.LegendText = band.Name;
                lines.Add([.. run.Select(p => (p.X, p.Lower))]);
                lines.Add([.. run.Select(p => (p.X, p.Upper))]);
            }

            if (runs.Count > 0 && !string.IsNullOrEmpty(band.Name)) names.Add(band.Name);
        }

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

        var markers = new List<(double X, string Label)>();
        foreach (VerticalMarker marker in chart.VerticalMarkers ?? [])
        {
            if (xScale.TryMap(marker.X, out double x))
            {
                plot.Add.VerticalLine(x, 1.5f, FigureStyle.MarkerLineColor, LinePattern.Dashed);
                markers.Add((x, marker.Label));
            }
        }

        plot.Axes.AutoScale();
        AxisLimits limits = plot.Axes.GetLimits();
        lines.AddRange(markers.Select(m => new[] { (m.X, limits.Bottom), (m.X, limits.Top) }));
        foreach (var (x, label) in markers)
        {
            // Read upwards along the line, inside the data area, so it never meets the title.
            Text text = plot.Add.Text(label, x, limits.Top);
            text.LabelRotation = -90;
            text.LabelAlignment = Alignment.LowerRight;
            text.LabelFontSize = FigureStyle.TickLabelSize;
            text.LabelFontColor = FigureStyle.MarkerLineColor;
            text.LabelOffsetX = -4;
            text.LabelOffsetY = 6;
            text.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
        }

        HashSet<Alignment> taken = PlotSetup.AddNotes(plot, chart.Notes);
        if (names.Count > 1)
        {
            PlotSetup.ShowLegend(plot, lines, taken, names);
        }

        PlotSetup.ApplyFont(plot);
        return plot;
    }
}
