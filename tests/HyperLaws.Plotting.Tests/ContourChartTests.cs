using HyperLaws.Plotting.Internal;
using HyperLaws.Tests;
using ScottPlot.Plottables;
using Xunit;

namespace HyperLaws.Plotting.Tests;

public sealed class ContourChartTests
{
    [Fact]
    public void Csv_HasOneRowPerGridPoint()
    {
        ContourChart chart = Samples.Field(n: 7);

        List<string[]> rows = CsvReader.Rows(FigureWriter.ToCsv(chart));

        Assert.Equal(["x", "y", "z"], rows[0]);
        Assert.Equal(49, rows.Count - 1);
        int i = 1;
        for (int r = 0; r < chart.Y.Length; r++)
        {
            for (int c = 0; c < chart.X.Length; c++, i++)
            {
                Assert.Equal(chart.X[c], CsvReader.Number(rows[i][0]));
                Assert.Equal(chart.Y[r], CsvReader.Number(rows[i][1]));
                Assert.Equal(chart.Z[r, c], CsvReader.Number(rows[i][2]));
            }
        }
    }

    [Fact]
    public void Svg_ShowsLabelsColourBarAndLevelValues()
    {
        string[] labels = LineChartTests.Texts(FigureWriter.RenderSvg(Samples.Field()));

        Assert.Contains("Proxy field", labels);
        Assert.Contains("batch size b", labels);
        Assert.Contains("iterations k", labels);
        Assert.Contains("proxy P", labels);
        Assert.Contains("10⁶", labels);
        Assert.Contains("10⁸", labels);
        // z spans about 2.3e-4…0.66: levels at 1-2-5 values, labelled with the real value.
        Assert.Contains("0.01", labels);
        Assert.Contains("0.1", labels);
    }

    [Fact]
    public void Heatmap_CellCentresSitOnTheGrid_LowestRowAtTheBottom()
    {
        ContourChart chart = Samples.Field(n: 12);
        using ScottPlot.Plot plot = ContourChartRenderer.Build(chart);
        Heatmap heatmap = plot.GetPlottables<Heatmap>().Single();

        ScottPlot.CoordinateRect extent = heatmap.GetAlignedExtent();
        double dx = (Math.Log10(chart.X[^1]) - Math.Log10(chart.X[0])) / (chart.X.Length - 1);
        double dy = (Math.Log10(chart.Y[^1]) - Math.Log10(chart.Y[0])) / (chart.Y.Length - 1);
        Assert.Equal(Math.Log10(chart.X[0]) - dx / 2, extent.Left, 9);
        Assert.Equal(Math.Log10(chart.X[^1]) + dx / 2, extent.Right, 9);
        Assert.Equal(Math.Log10(chart.Y[0]) - dy / 2, extent.Bottom, 9);
        Assert.Equal(Math.Log10(chart.Y[^1]) + dy / 2, extent.Top, 9);
        // ScottPlot's row 0 is drawn at the top, so it must hold the highest y.
        Assert.Equal(Math.Log10(chart.Z[chart.Y.Length - 1, 3]), heatmap.Intensities[0, 3], 12);
        Assert.Equal(Math.Log10(chart.Z[0, 3]), heatmap.Intensities[heatmap.Intensities.GetLength(0) - 1, 3], 12);
    }

    [Fact]
    public void NonPositiveValues_WithLogZ_RenderAsBlanks()
    {
        var z = new double[,] { { 1, 2, 3 }, { 0, -1, double.NaN }, { 4, 5, 6 } };
        var chart = new ContourChart("holes", "x", "y", "z", [1, 10, 100], [1, 2, 3], z, true, false, true);

        Assert.Contains("holes", FigureWriter.RenderSvg(chart));
        Assert.Equal(10, CsvReader.Rows(FigureWriter.ToCsv(chart)).Count);
    }

    [Fact]
    public void UnevenGrid_IsResampledForTheHeatmap()
    {
        double[] x = [0, 1, 3, 7];
        double[] y = [0, 1, 2];
        var z = new double[3, 4];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                z[r, c] = x[c] + 10 * y[r];
            }
        }

        using ScottPlot.Plot plot = ContourChartRenderer.Build(new ContourChart("uneven", "x", "y", "z", x, y, z, false, false, false));
        Heatmap heatmap = plot.GetPlottables<Heatmap>().Single();

        // A linear field survives linear resampling exactly: column k sits at x = 7k/(n-1).
        int columns = heatmap.Intensities.GetLength(1);
        Assert.True(columns > x.Length);
        Assert.Equal(7.0 * 5 / (columns - 1) + 20, heatmap.Intensities[0, 5], 9);
    }

    [Fact]
    public void BadGrids_Throw()
    {
        var z = new double[2, 3];
        Assert.Throws<ArgumentException>(() => FigureWriter.RenderSvg(new ContourChart("t", "x", "y", "z", [1, 2], [1, 2, 3], z, false, false, false)));
        Assert.Throws<ArgumentException>(() => FigureWriter.RenderSvg(new ContourChart("t", "x", "y", "z", [0, 1, 2], [1, 2], z, true, false, false)));
        Assert.Throws<ArgumentException>(() => FigureWriter.RenderSvg(new ContourChart("t", "x", "y", "z", [1, 3, 2], [1, 2], z, false, false, false)));
    }

    [Fact]
    public void Write_WithOverlays_AddsTheirCsv()
    {
        using var tmp = new TempDir();
        string directory = tmp.Path;
        var ridge = new LineSeries("ridge", [1, 10, 100], [1e3, 1e4, 1e5], Dashed: true);

        IReadOnlyList<string> paths = FigureWriter.Write(Samples.Field(overlays: [ridge]), directory, "contour");

        Assert.Equal([.. new[] { "contour.png", "contour.svg", "contour.csv", "contour.overlays.csv" }.Select(f => Path.Combine(directory, f))], paths);
        Assert.Equal(paths.Order(), Directory.GetFiles(directory).Order());
        List<string[]> rows = CsvReader.Rows(File.ReadAllText(paths[3]));
        Assert.Equal(["series", "x", "y"], rows[0]);
        Assert.Equal(["ridge", "100", "100000"], rows[^1]);
        Assert.Contains("ridge", File.ReadAllText(paths[1]));
    }
}
