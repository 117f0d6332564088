using System.Buffers.Binary;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Plotting.Tests;

public sealed class LineChartTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Csv_HoldsExactlyTheRawData()
    {
        double[] x = [1e-300, 0.1, 1.0 / 3, 0, -2.5, double.NaN, double.PositiveInfinity, 12345678901234567];
        double[] y = [Math.PI, -0.0, double.NegativeInfinity, 1e300, 7, 8, 9, double.Epsilon];
        var chart = new LineChart("t", "x", "y", true, true,
            [new LineSeries("plain", x, y), new LineSeries("a, \"quoted\" name", [2, 3], [4, 5])]);

        List<string[]> rows = CsvReader.Rows(FigureWriter.ToCsv(chart));

        Assert.Equal(["series", "x", "y"], rows[0]);
        Assert.Equal(x.Length + 2, rows.Count - 1);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal("plain", rows[i + 1][0]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(x[i]), BitConverter.DoubleToInt64Bits(CsvReader.Number(rows[i + 1][1])));
            Assert.Equal(BitConverter.DoubleToInt64Bits(y[i]), BitConverter.DoubleToInt64Bits(CsvReader.Number(rows[i + 1][2])));
        }

        Assert.Equal(["a, \"quoted\" name", "3", "5"], rows[^1]);
    }

    [Fact]
    public void Svg_ShowsTitleAxisLabelsAndPowersOfTenSpanned()
    {
        string svg = FigureWriter.RenderSvg(Samples.PowerLaws());

        Assert.Contains("Power laws", svg);
        Assert.Contains("token budget T", svg);
        Assert.Contains(">value<", svg.Replace("\n", "").Replace("\t", ""));
        Assert.Contains("slope -0.250 (theory -1/4)", svg);
        Assert.Contains("burn-in", svg);
        string[] labels = Texts(svg);
        // x spans 10³…10¹⁴; y spans about 10⁻³…10⁷.
        foreach (string power in new[] { "10³", "10⁶", "10⁹", "10¹⁴", "10⁻³", "10⁰", "10⁷" })
        {
            Assert.Contains(power, labels);
        }

        Assert.Contains("DejaVu Sans", svg);
        Assert.DoesNotContain("Serif", svg);
    }

    [Fact]
    public void Svg_NarrowLogRange_LabelsRoundValues()
    {
        double[] x = [.. Enumerable.Range(0, 20).Select(i => 150 + 15.0 * i)];
        var chart = new LineChart("narrow", "x", "y", true, true, [new LineSeries("", x, [.. x.Select(v => 1000 / v)])]);

        string[] labels = Texts(FigureWriter.RenderSvg(chart));

        // y spans 2.3…6.7 and x 150…435: well under a decade, so plain round numbers appear.
        Assert.Contains("3", labels);
        Assert.Contains("5", labels);
        Assert.Contains("200", labels);
        Assert.Contains("300", labels);
        Assert.DoesNotContain(labels, label => label.StartsWith("10", StringComparison.Ordinal) && label.Length > 2 && !char.IsDigit(label[2]));
    }

    [Fact]
    public void Svg_LogRangeOfAboutOneDecade_LabelsBothEnds()
    {
        // 2.5e-4 … 4e-3: evenly spaced labels (0.001 … 0.004) would leave the lower half of the axis bare.
        double[] x = Samples.LogSpace(Math.Log10(2.5e-4), Math.Log10(4e-3), 13);
        var chart = new LineChart("peaks", "peak learning rate", "y", true, false, [new LineSeries("", x, [.. x.Select(v => Math.Log(v))])]);

        string[] labels = Texts(FigureWriter.RenderSvg(chart));

        double[] values = [.. labels.Select(Parse).Where(v => v is > 1e-4 and < 1e-2)];
        Assert.Contains(values, v => v < 1e-3 * 0.6);
        Assert.Contains(values, v => v > 1e-3 * 1.5);
    }

    /// <summary>A tick label's value: "0.002", "5×10⁻⁴" or "10⁻³"; NaN for other text.</summary>
    private static double Parse(string label)
    {
        const string superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        int ten = label.IndexOf("10", StringComparison.Ordinal);
        if (ten >= 0 && label.Length > ten + 2 && (label[ten + 2] == '⁻' || superscripts.Contains(label[ten + 2], StringComparison.Ordinal)))
        {
            string exponent = new([.. label[(ten + 2)..].Select(ch => ch == '⁻' ? '-' : (char)('0' + superscripts.IndexOf(ch, StringComparison.Ordinal)))]);
            double mantissa = ten == 0 ? 1 : double.Parse(label[..(ten - 1)], System.Globalization.CultureInfo.InvariantCulture);
            return mantissa * Math.Pow(10, int.Parse(exponent, System.Globalization.CultureInfo.InvariantCulture));
        }

        return double.TryParse(label, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
    }

    [Fact]
    public void Png_HasSignatureAndSize()
    {
        byte[] png = FigureWriter.RenderPng(Samples.PowerLaws());

        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal(FigureWriter.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(FigureWriter.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public void NonPositiveAndNonFiniteValuesOnLogAxes_AreSkippedNotFatal()
    {
        var chart = new LineChart("gaps", "x", "y", true, true,
            [
                new LineSeries("a", [0, 1, 10, -5, 100, double.NaN, 1000], [1, 2, 3, 4, 0, 6, double.PositiveInfinity]),
                new LineSeries("all bad", [-1, 0], [1, 2]),
            ],
            VerticalMarkers: [new VerticalMarker(-1, "off the axis")]);

        string svg = FigureWriter.RenderSvg(chart);
        byte[] png = FigureWriter.RenderPng(chart);

        Assert.Equal(PngSignature, png[..8]);
        Assert.Contains("gaps", svg);
        Assert.DoesNotContain("off the axis", svg);
        Assert.Equal(9, CsvReader.Rows(FigureWriter.ToCsv(chart)).Count - 1);
    }

    [Fact]
    public void MismatchedSeriesLengths_Throw()
    {
        var chart = new LineChart("t", "x", "y", false, false, [new LineSeries("a", [1, 2], [1])]);

        Assert.Throws<ArgumentException>(() => FigureWriter.RenderSvg(chart));
    }

    [Fact]
    public void Write_CreatesPngSvgCsv_AndLeavesNoTemporaryFiles()
    {
        using var tmp = new TempDir();
        string directory = tmp.Path;
        File.WriteAllText(Path.Combine(directory, "fig.csv"), "stale");

        IReadOnlyList<string> paths = FigureWriter.Write(Samples.PowerLaws(), directory, "fig");

        string[] expected = [.. new[] { "fig.png", "fig.svg", "fig.csv" }.Select(name => Path.Combine(directory, name))];
        Assert.Equal(expected, paths);
        Assert.Equal(expected.Order(), Directory.GetFiles(directory).Order());
        Assert.Equal(FigureWriter.ToCsv(Samples.PowerLaws()), File.ReadAllText(paths[2]));
        Assert.StartsWith("<?xml", File.ReadAllText(paths[1]));
    }

    [Fact]
    public void Write_WhenTheTargetCannotBeReplaced_FailsAndLeavesNoTemporaryFiles()
    {
        using var tmp = new TempDir();
        string directory = tmp.Path;
        Directory.CreateDirectory(Path.Combine(directory, "fig.svg"));

        Assert.ThrowsAny<IOException>(() => FigureWriter.Write(Samples.PowerLaws(), directory, "fig"));

        Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
    }

    /// <summary>The text content of every SVG text element, trimmed.</summary>
    internal static string[] Texts(string svg) =>
        [.. System.Text.RegularExpressions.Regex.Matches(svg, "<text[^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value.Trim())];
}
