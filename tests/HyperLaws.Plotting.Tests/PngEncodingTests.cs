using HyperLaws.Plotting.Internal;
using HyperLaws.Plotting.Reports;
using HyperLaws.Plotting.Tests.Reports;
using HyperLaws.Tests;
using ScottPlot;
using SkiaSharp;
using Xunit;

namespace HyperLaws.Plotting.Tests;

/// <summary>
/// The PNGs are encoded at zlib level 1 with the Up row filter (<see cref="FigureWriter.PngZLibLevel"/>,
/// <see cref="FigureWriter.PngFilters"/>) instead of ScottPlot's <c>GetImageBytes</c> (Skia's default: level 6, all filters):
/// other bytes, the same pixels.
/// </summary>
public sealed class PngEncodingTests(Xunit.ITestOutputHelper output)
{
    private static LineChart Line()
    {
        double[] x = [.. Enumerable.Range(1, 200).Select(i => i * 50.0)];
        double[] y = [.. x.Select(v => 2 + 3 * Math.Pow(v, -0.3))];
        double[] y2 = [.. x.Select(v => 2.1 + 3 * Math.Pow(v, -0.32))];
        var band = new BandSeries("interval", x, [.. y.Select(v => v - 0.02)], [.. y.Select(v => v + 0.02)], "#1f77b4");
        return new LineChart("loss against step", "step", "loss", true, false,
            [new LineSeries("law", x, y, ColorHex: "#1f77b4"), new LineSeries("runs", x[..40], y2[..40], Dashed: true, Markers: true)],
            Notes: [new Annotation("a note", Corner.UpperRight)], Bands: [band]);
    }

    private static ContourChart Contour()
    {
        double[] x = [.. Enumerable.Range(0, 12).Select(i => Math.Pow(10, -4 + 0.2 * i))];
        double[] y = [.. Enumerable.Range(0, 9).Select(j => 1e3 * Math.Pow(2, j))];
        var z = new double[y.Length, x.Length];
        for (int j = 0; j < y.Length; j++)
            for (int i = 0; i < x.Length; i++)
                z[j, i] = 2 + Math.Pow(Math.Log10(x[i]) + 3, 2) + 1e-3 * j;
        return new ContourChart("loss over peak LR and steps", "peak LR", "steps", "loss", x, y, z, true, true, false,
            Overlays: [new LineSeries("optimum", [1e-3, 2e-3], [2e3, 1e5], Dashed: true)]);
    }

    /// <summary>Each pixel's four bytes as a decoder reads them (RGBA, unpremultiplied).</summary>
    private static byte[] Pixels(byte[] png)
    {
        using var decoded = SKBitmap.Decode(png);
        Assert.NotNull(decoded);
        Assert.Equal((FigureWriter.Width, FigureWriter.Height), (decoded.Width, decoded.Height));
        using var rgba = new SKBitmap(new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Assert.True(decoded.CopyTo(rgba, SKColorType.Rgba8888));
        return rgba.GetPixelSpan().ToArray();
    }

    private static void AssertSamePixels(byte[] expected, byte[] actual)
    {
        byte[] a = Pixels(expected);
        byte[] b = Pixels(actual);
        Assert.Equal(a.Length, b.Length);
        int firstDifferent = a.AsSpan().CommonPrefixLength(b);
        Assert.True(firstDifferent == a.Length, $"pixel byte {firstDifferent} of {a.Length} differs");
    }

    [Fact]
    public void LineChart_SamePixelsAsScottPlotsDefaultEncoding()
    {
        byte[] written = FigureWriter.RenderPng(Line());
        byte[] scottPlot;
        using (Plot plot = LineChartRenderer.Build(Line()))
        {
            scottPlot = plot.GetImageBytes(FigureWriter.Width, FigureWriter.Height, ImageFormat.Png);
        }

        Assert.NotEqual(scottPlot, written); // other bytes (else the test would not be testing the new encoding) ...
        AssertSamePixels(scottPlot, written); // ... the same pixels
        Assert.True(Pixels(written).Distinct().Count() > 2, "the chart drew something");
    }

    [Fact]
    public void ContourChart_SamePixelsAsScottPlotsDefaultEncoding()
    {
        byte[] written = FigureWriter.RenderPng(Contour());
        byte[] scottPlot;
        using (Plot plot = ContourChartRenderer.Build(Contour()))
        {
            scottPlot = plot.GetImageBytes(FigureWriter.Width, FigureWriter.Height, ImageFormat.Png);
        }

        Assert.NotEqual(scottPlot, written);
        AssertSamePixels(scottPlot, written);
    }

    [Theory]
    [InlineData(0, SKPngEncoderFilterFlags.NoFilters)]
    [InlineData(1, SKPngEncoderFilterFlags.AllFilters)]
    [InlineData(1, SKPngEncoderFilterFlags.Sub)]
    [InlineData(9, SKPngEncoderFilterFlags.Paeth)]
    public void EveryLevelAndFilter_SamePixels(int level, SKPngEncoderFilterFlags filters)
    {
        AssertSamePixels(FigureWriter.RenderPngAt(Line(), 6, SKPngEncoderFilterFlags.AllFilters), FigureWriter.RenderPngAt(Line(), level, filters));
    }

    /// <summary>
    /// Figures of a plan report as <see cref="PlanFigures"/> builds them (the sample plan's contour, its heatmap and overlays, and
    /// its loss curves with bands and markers): the written PNG against Skia's default encoding (zlib 6, all filters), decoded.
    /// </summary>
    [Theory]
    [InlineData(PlanFigures.Contour)]
    [InlineData(PlanFigures.LossCurves)]
    public void PlanFigure_SamePixelsAsSkiasDefaultEncoding(string name)
    {
        PlanFigure figure = PlanFigures.Build(SamplePlan.Create(), SamplePlan.Data()).Figures.Single(f => f.Name == name);
        byte[] written = figure.RenderPng();
        byte[] skiaDefault = figure.RenderPngAt(6, SKPngEncoderFilterFlags.AllFilters);
        Assert.NotEqual(skiaDefault, written);
        AssertSamePixels(skiaDefault, written);
        Assert.True(Pixels(written).Distinct().Count() > 2, "the figure drew something");
        output.WriteLine($"{name}: written {written.Length} bytes, Skia's default {skiaDefault.Length} bytes");
    }

    [Fact]
    public void WrittenPng_IsTheRenderedOne()
    {
        using var tmp = new TempDir();
        string dir = tmp.Path;
        FigureWriter.Write(Line(), dir, "line");
        Assert.Equal(FigureWriter.RenderPng(Line()), File.ReadAllBytes(Path.Combine(dir, "line.png")));
    }
}
