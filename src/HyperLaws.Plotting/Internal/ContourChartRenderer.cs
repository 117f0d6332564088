using ScottPlot;
using ScottPlot.Plottables;

namespace HyperLaws.Plotting.Internal;

/// <summary>Turns a <see cref="ContourChart"/> into a ScottPlot plot: heatmap, colour bar, labelled contours, overlays.</summary>
internal static class ContourChartRenderer
{
    /// <summary>Shortest contour that gets a level label, as a fraction of the data area's width.</summary>
    private const double MinLabelledLength = 0.12;

    /// <summary>Where along a contour (fraction of its length) a label may go, in order of preference.</summary>
    private static readonly double[] LabelPositions = [0.5, 0.35, 0.65, 0.2, 0.8];

    public static Plot Build(ContourChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var xScale = new AxisScale(chart.LogX);
        var yScale = new AxisScale(chart.LogY);
        var zScale = new AxisScale(chart.LogZ);
        double[] x = MapGridAxis(chart.X, xScale, nameof(chart.X));
        double[] y = MapGridAxis(chart.Y, yScale, nameof(chart.Y));
        if (chart.Z.GetLength(0) != y.Length || chart.Z.GetLength(1) != x.Length)
        {
            throw new ArgumentException($"Z is {chart.Z.GetLength(0)}x{chart.Z.GetLength(1)} but Y has {y.Length} and X has {x.Length} values.", nameof(chart));
        }

        double[,] z = new double[y.Length, x.Length];
        for (int r = 0; r < y.Length; r++)
        {
            for (int c = 0; c < x.Length; c++)
            {
                z[r, c] = zScale.TryMap(chart.Z[r, c], out double mapped) ? mapped : double.NaN;
            }
        }

        Plot plot = PlotSetup.Create(chart.Title, chart.XLabel, chart.YLabel, chart.LogX, chart.LogY);
        plot.HideGrid();
        Heatmap heatmap = AddHeatmap(plot, x, y, z);
        ScottPlot.Panels.ColorBar colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = chart.ZLabel;
        colorBar.LabelStyle.FontSize = FigureStyle.AxisLabelSize;
        PlotSetup.ConfigureAxis(colorBar.Axis, chart.LogZ);
        CoordinateRect extent = heatmap.GetAlignedExtent();

        IReadOnlyList<LineSeries> overlaySeries = chart.Overlays ?? [];
        double[] finite = [.. z.Cast<double>().Where(double.IsFinite)];
        if (finite.Length > 0 && finite.Max() > finite.Min())
        {
            ScaleLayout levels = NiceScale.ContourLevels(finite.Min(), finite.Max(), chart.Levels, chart.LogZ);
            var avoid = overlaySeries.SelectMany(series => PlotSetup.Runs(series, xScale, yScale)).ToList();
            AddContours(plot, x, y, z, levels, new LabelSpace(extent, avoid));
        }

        var overlays = new List<(double X, double Y)[]>();
        var names = new List<string>();
        for (int i = 0; i < overlaySeries.Count; i++)
        {
            LineSeries series = overlaySeries[i];
            Color color = series.ColorHex is null ? FigureStyle.OverlayColors[i % FigureStyle.OverlayColors.Length] : Color.FromHex(series.ColorHex);
            List<(double X, double Y)[]> runs = PlotSetup.AddSeries(plot, series, xScale, yScale, color, FigureStyle.LineWidth + 0.5f);
            overlays.AddRange(runs);
            if (runs.Count > 0 && !string.IsNullOrEmpty(series.Name))
            {
                names.Add(series.Name);
            }
        }

        // Autoscaling would pad the heatmap; overlays outside the grid are clipped.
        plot.Axes.SetLimits(extent.Left, extent.Right, extent.Bottom, extent.Top);
        if (names.Count > 0)
        {
            PlotSetup.ShowLegend(plot, overlays, [], names);
        }

        PlotSetup.ApplyFont(plot);
        return plot;
    }

    /// <summary>Grid coordinates in plot units; they must all be drawable and strictly increasing.</summary>
    private static double[] MapGridAxis(double[] values, AxisScale scale, string name)
    {
        if (values.Length < 2)
        {
            throw new ArgumentException($"{name} needs at least two grid values.", name);
        }

        var mapped = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (!scale.TryMap(values[i], out mapped[i]) || (i > 0 && mapped[i] <= mapped[i - 1]))
            {
                throw new ArgumentException($"{name} must be finite, strictly increasing{(scale.Log ? " and positive" : "")}; {name}[{i}] = {values[i]}.", name);
            }
        }

        return mapped;
    }

    /// <summary>A viridis heatmap whose cell centres sit on the grid points.</summary>
    private static Heatmap AddHeatmap(Plot plot, double[] x, double[] y, double[,] z)
    {
        double[,] even = UniformGrid.Resample(x, y, z);
        int rows = even.GetLength(0);
        int columns = even.GetLength(1);
        // ScottPlot draws row 0 at the top; the chart's row 0 is the lowest y.
        var intensities = new double[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                intensities[rows - 1 - r, c] = even[r, c];
            }
        }

        Heatmap heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.Transparent;
        heatmap.Smooth = true;
        heatmap.Extent = new CoordinateRect(x[0], x[^1], y[0], y[^1]);
        return heatmap;
    }

    /// <summary>Contour lines at each level, with the level's value written on the longer ones.</summary>
    private static void AddContours(Plot plot, double[] x, double[] y, double[,] z, ScaleLayout levels, LabelSpace space)
    {
        for (int i = 0; i < levels.Major.Length; i++)
        {
            foreach ((double X, double Y)[] line in MarchingSquares.Trace(x, y, z, levels.Major[i]))
            {
                Scatter scatter = plot.Add.ScatterLine(line.Select(p => p.X).ToArray(), line.Select(p => p.Y).ToArray(), FigureStyle.ContourLineColor);
                scatter.LineWidth = 1.2f;
                scatter.MarkerSize = 0;
                AddLevelLabel(plot, line, levels.Labels[i], space);
            }
        }
    }

    /// <summary>Writes the level on the contour, turned along it, clear of other labels and overlays.</summary>
    private static void AddLevelLabel(Plot plot, (double X, double Y)[] line, string label, LabelSpace space)
    {
        (double X, double Y)[] unit = [.. line.Select(space.ToUnit)];
        double[] cumulative = new double[unit.Length];
        for (int i = 1; i < unit.Length; i++)
        {
            cumulative[i] = cumulative[i - 1] + Math.Sqrt(Math.Pow(unit[i].X - unit[i - 1].X, 2) + Math.Pow(unit[i].Y - unit[i - 1].Y, 2));
        }

        double length = cumulative[^1];
        if (length < MinLabelledLength)
        {
            return;
        }

        foreach (double fraction in LabelPositions)
        {
            int i = Math.Max(1, Array.FindIndex(cumulative, s => s >= fraction * length));
            double t = (fraction * length - cumulative[i - 1]) / Math.Max(cumulative[i] - cumulative[i - 1], 1e-12);
            (double X, double Y) at = (unit[i - 1].X + t * (unit[i].X - unit[i - 1].X), unit[i - 1].Y + t * (unit[i].Y - unit[i - 1].Y));
            if (!space.TryClaim(at))
            {
                continue;
            }

            double angle = Math.Atan2(unit[i].Y - unit[i - 1].Y, unit[i].X - unit[i - 1].X) * 180 / Math.PI;
            angle = angle > 90 ? angle - 180 : angle < -90 ? angle + 180 : angle;
            (double x, double y) = space.FromUnit(at);
            Text text = plot.Add.Text(label, x, y);
            text.Alignment = Alignment.MiddleCenter;
            text.LabelFontSize = FigureStyle.ContourLabelSize;
            text.LabelFontColor = Colors.Black;
            text.LabelBackgroundColor = Colors.White.WithAlpha(0.75);
            text.LabelBorderRadius = 3;
            text.LabelPadding = 2;
            text.LabelRotation = (float)-angle;
            return;
        }
    }
}
