namespace HyperLaws.Plotting.Tests;

/// <summary>Charts shared by the tests.</summary>
internal static class Samples
{
    /// <summary>Log-spaced values from 10^lo to 10^hi.</summary>
    public static double[] LogSpace(double lo, double hi, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Math.Pow(10, lo + (hi - lo) * i / (count - 1)))];

    /// <summary>y = 3·x^(-1/4) and y = x^(1/2) for x from 1e3 to 1e14 on log-log axes.</summary>
    public static LineChart PowerLaws()
    {
        double[] x = LogSpace(3, 14, 45);
        return new LineChart("Power laws", "token budget T", "value", true, true,
            [
                new LineSeries("3 T^(-1/4)", x, [.. x.Select(v => 3 * Math.Pow(v, -0.25))]),
                new LineSeries("T^(1/2)", x, [.. x.Select(Math.Sqrt)], Markers: true),
            ],
            [new Annotation("slope -0.250 (theory -1/4)")],
            [new VerticalMarker(1e6, "burn-in")]);
    }

    /// <summary>z = 2·sqrt(1/k) + sqrt(1e-3/b) over b in [1, 1e6] (columns), k in [1e1, 1e8] (rows).</summary>
    public static ContourChart Field(int n = 30, IReadOnlyList<LineSeries>? overlays = null)
    {
        double[] b = LogSpace(0, 6, n);
        double[] k = LogSpace(1, 8, n);
        var z = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                z[r, c] = 2 * Math.Sqrt(1 / k[r]) + Math.Sqrt(1e-3 / b[c]);
            }
        }

        return new ContourChart("Proxy field", "batch size b", "iterations k", "proxy P", b, k, z, true, true, true, 10, overlays);
    }
}
