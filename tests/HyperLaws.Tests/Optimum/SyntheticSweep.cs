using HyperLaws.Runs;

namespace HyperLaws.Tests.Optimum;

/// <summary>Hand-built sweep cells: a grid of (lr, batch) runs whose loss is a known function of (ln lr, ln batch).</summary>
internal static class SyntheticSweep
{
    public const double SequenceLength = 2048;

    /// <summary>A cell whose runs sit at lr = lrCentre 2^(i/2), batch = bsCentre 2^(j/2) (sequences), with the given loss.</summary>
    public static SweepCell Cell(double n, double d, double lrCentre, double bsCentre, int lrHalfSteps, int bsHalfSteps, Func<double, double, double> loss)
    {
        var points = new List<SweepPoint>();
        for (int i = -lrHalfSteps; i <= lrHalfSteps; i++)
            for (int j = -bsHalfSteps; j <= bsHalfSteps; j++)
            {
                double lr = lrCentre * Math.Pow(2, i / 2.0), bs = bsCentre * Math.Pow(2, j / 2.0);
                double l = loss(Math.Log(lr), Math.Log(bs * SequenceLength));
                points.Add(new SweepPoint(n, d, lr, bs, bs * SequenceLength, 1000, l, l, $"n{n}_d{d}_lr{lr}_bs{bs}"));
            }
        return new SweepCell(n, d, points);
    }

    /// <summary>L = 2 + a dx^2 + b dx dy + c dy^2 with dx, dy the log-distances to (lnLr*, lnB*).</summary>
    public static Func<double, double, double> Bowl(double lnLr, double lnB, double a = 0.01, double b = 0.004, double c = 0.006) =>
        (x, y) => 2 + a * (x - lnLr) * (x - lnLr) + b * (x - lnLr) * (y - lnB) + c * (y - lnB) * (y - lnB);
}
