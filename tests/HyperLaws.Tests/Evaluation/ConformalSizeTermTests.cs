using CsCheck;
using HyperLaws.Evaluation;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>The size term of a conformal interval: its quantile per unit of ln S, its coverage on exchangeable draws, and how it combines with the within-size part.</summary>
public sealed class ConformalSizeTermTests
{
    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    // Size extrapolations r = b s z, s uniform in [0.5, 2] (log size ratios), z standard normal.
    private static List<(double AbsRelative, double LogSizeRatio)> Draw(Random rng, int n, double b) =>
        [.. Enumerable.Range(0, n).Select(_ =>
        {
            double s = 0.5 + 1.5 * rng.NextDouble();
            return (Math.Abs(b * s * Normal(rng)), s);
        })];

    [Fact]
    public void Size_quantile_covers_fresh_exchangeable_extrapolations_near_nominal()
    {
        // 40 calibrations of 100 residuals, each judged on 500 fresh draws: mean coverage >= 0.9 and below 0.9 + 1/(n+1) + noise.
        var rng = new Random(11);
        var coverage = new List<double>();
        for (int rep = 0; rep < 40; rep++)
        {
            double q = ConformalCalibration.SizeQuantile(Draw(rng, 100, 0.01), 0.9);
            coverage.Add(Draw(rng, 500, 0.01).Count(x => x.AbsRelative <= q * x.LogSizeRatio) / 500.0);
        }
        Assert.InRange(coverage.Average(), 0.88, 0.93);
    }

    [Fact]
    public void Size_quantile_is_the_finite_sample_rank_of_the_scores_and_ignores_residuals_inside_the_sizes()
    {
        // Scores |r|/s = i/100 for i = 1..19 (s = 2): the 18th smallest at 0.9; residuals with s <= 0 do not count.
        var r = Enumerable.Range(1, 19).Select(i => (2 * i / 100.0, 2.0)).Append((5.0, 0.0)).Append((7.0, -1.0)).ToList();
        Assert.Equal(0.18, ConformalCalibration.SizeQuantile(r, 0.9), 12);
        Assert.Throws<ArgumentException>(() => ConformalCalibration.SizeQuantile([(0.1, 0.0)], 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConformalCalibration.SizeQuantile(r, 0));
    }

    [Fact]
    public void The_size_term_adds_in_quadrature_and_reduces_to_the_plain_interval_without_it()
    {
        Property.ForAll(Gen.Select(Gen.Double[0.001, 0.05], Gen.Double[0, 3], Gen.Double[1, 8], Gen.Double[1, 3], Gen.Double[0.001, 0.05]), c =>
        {
            var (q, g, h, s, qs) = c;
            var plain = new ConformalInterval(0.9, q, g, true, 50, true);
            var d = new ExtrapolationDistance(h, s, 1.5);
            // No size term: the distance's full value, as before.
            Assert.Equal(plain.HalfWidth(d.Value), plain.HalfWidth(d), 12);
            var sized = plain with { SizeQuantile = qs };
            double within = q * (1 + g * (Math.Log(h) + Math.Log(1.5)));
            Assert.Equal(Math.Sqrt(within * within + Math.Pow(qs * Math.Log(s), 2)), sized.HalfWidth(d), 12);
            // Inside the sizes the size term adds nothing; beyond them the width grows with S and is at least each part.
            Assert.Equal(within, sized.HalfWidth(d with { SizeRatio = 1 }), 12);
            Assert.True(sized.HalfWidth(d with { SizeRatio = s * 2 }) > sized.HalfWidth(d));
            Assert.True(sized.HalfWidth(d) >= Math.Max(within, qs * Math.Log(s)) - 1e-15);
            var (lo, hi) = sized.Bounds(3, d);
            Assert.Equal(3 * sized.HalfWidth(d), hi - 3, 12);
            Assert.Equal(hi - 3, 3 - lo, 12);
        });
    }

    [Fact]
    public void Independent_within_and_size_errors_are_covered_near_nominal_by_the_combined_width()
    {
        // Within-size errors a z1 (calibrated at S = 1) and size errors b ln S z2, independent: the quadrature of the two
        // calibrated parts covers their sum near the level (exact for normal errors up to the calibration's sampling noise).
        var rng = new Random(3);
        const double a = 0.004, b = 0.008;
        var within = Enumerable.Range(0, 400).Select(_ => (Math.Abs(a * Normal(rng)), 0.0)).ToList();
        var size = Enumerable.Range(0, 400).Select(_ => (Math.Abs(b * Math.Log(4) * Normal(rng)), Math.Log(4))).ToList();
        var interval = ConformalCalibration.Calibrate(within, 0.9) with { SizeQuantile = ConformalCalibration.SizeQuantile(size, 0.9) };
        var d = new ExtrapolationDistance(1, 4, 1);
        int inside = 0;
        const int n = 20000;
        for (int i = 0; i < n; i++)
            if (Math.Abs(a * Normal(rng) + b * Math.Log(4) * Normal(rng)) <= interval.HalfWidth(d)) inside++;
        Assert.InRange(inside / (double)n, 0.87, 0.93);
    }
}
