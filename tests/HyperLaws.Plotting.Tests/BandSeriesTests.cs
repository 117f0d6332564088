using Xunit;

namespace HyperLaws.Plotting.Tests;

/// <summary>A band (filled between two curves) in a line chart: its data in the CSV, a fill in the SVG.</summary>
public sealed class BandSeriesTests
{
    private static LineChart Chart(IReadOnlyList<BandSeries>? bands)
    {
        double[] x = [1, 2, 3, 4];
        double[] y = [3, 2.5, 2.2, 2.1];
        return new LineChart("band", "step", "loss", false, false, [new LineSeries("loss", x, y, ColorHex: "#1f77b4")], Bands: bands);
    }

    private static readonly BandSeries Interval = new("90% interval", [1, 2, 3, 4], [2.9, 2.4, 2.1, 2.0], [3.1, 2.6, 2.3, 2.2], "#d62728");

    [Fact]
    public void Csv_HoldsEachEdgeAsASeriesAfterTheLines()
    {
        var rows = CsvReader.Rows(FigureWriter.ToCsv(Chart([Interval])));

        Assert.Equal(["series", "x", "y"], rows[0]);
        Assert.Equal(4 + 8, rows.Count - 1);
        var lower = rows.Skip(1).Where(r => r[0] == "90% interval [lower]").ToList();
        var upper = rows.Skip(1).Where(r => r[0] == "90% interval [upper]").ToList();
        Assert.Equal(Interval.X, lower.Select(r => CsvReader.Number(r[1])));
        Assert.Equal(Interval.Lower, lower.Select(r => CsvReader.Number(r[2])));
        Assert.Equal(Interval.Upper, upper.Select(r => CsvReader.Number(r[2])));
    }

    [Fact]
    public void Svg_FillsTheBandInItsColourAndNamesItInTheLegend()
    {
        string without = FigureWriter.RenderSvg(Chart(null));
        string with = FigureWriter.RenderSvg(Chart([Interval]));

        Assert.Contains("90% interval", with, StringComparison.Ordinal);
        Assert.DoesNotContain("90% interval", without, StringComparison.Ordinal);
        // The band's colour (#d62728) is used only by the band, as a fill.
        Assert.DoesNotContain("D62728", without, StringComparison.OrdinalIgnoreCase);
        Assert.Matches("(?i)fill=\"#D62728", with);
    }

    [Fact]
    public void MismatchedLengths_AreRefused()
    {
        var bad = Interval with { Upper = [1, 2] };
        Assert.Throws<ArgumentException>(() => FigureWriter.ToCsv(Chart([bad])));
        Assert.Throws<ArgumentException>(() => FigureWriter.RenderSvg(Chart([bad])));
    }

    [Fact]
    public void OnALogAxis_PointsThatCannotBeDrawnBreakTheBand_AndStayInTheCsv()
    {
        var band = new BandSeries("b", [1, 2, 3, 4], [1, -1, 1, 1], [2, 2, 2, 2]);
        var chart = new LineChart("log", "x", "y", false, true, [new LineSeries("l", [1, 4], [1.5, 1.5])], Bands: [band]);
        Assert.Contains("b", FigureWriter.RenderSvg(chart), StringComparison.Ordinal);
        Assert.Equal(8, CsvReader.Rows(FigureWriter.ToCsv(chart)).Count(r => r[0].StartsWith("b [", StringComparison.Ordinal)));
    }
}
