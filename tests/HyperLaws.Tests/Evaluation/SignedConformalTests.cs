using CsCheck;
using HyperLaws.Evaluation;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>
/// The signed (two-tailed) conformal interval of docs/VALIDATION.md "Protocol 9, fourth round"
/// (<see cref="ConformalCalibration.Signed"/>, <see cref="ConformalCalibration.SignedTails"/>): coverage of fresh exchangeable draws
/// near nominal, biased or not; monotone widening with every distance; the finite-sample ranks; the size term's composition.
/// </summary>
public sealed class SignedConformalTests
{
    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    // Residuals r = bias + s (1 + g d) z (relative errors scaled with the distance, a shift `bias` per unit width), d = 0 for half and uniform in [0, 1.5] for the rest.
    private static List<CalibrationResidual> Draw(Random rng, int n, double s, double g, double bias, double shape = 0) =>
        [.. Enumerable.Range(0, n).Select(i =>
        {
            double d = i % 2 == 0 ? 0 : 1.5 * rng.NextDouble();
            double shapeD = shape > 0 && i % 3 == 0 ? shape * rng.NextDouble() : 0;
            double w = 1 + g * d + 10 * shapeD;
            double r = (bias + s * Normal(rng)) * w;
            return new CalibrationResidual("run" + i, "test", 1, 1 + r, new ExtrapolationDistance(Math.Exp(d), 1, 1) { Shape = shapeD });
        })];

    private static ConformalInterval SignedOf(IReadOnlyList<CalibrationResidual> residuals, double level = 0.9) =>
        ConformalCalibration.Signed(ConformalCalibration.Calibrate(residuals, level), residuals);

    [Theory]
    [InlineData(0.0, 0.875, 0.93)]
    [InlineData(-0.01, 0.875, 0.93)]
    [InlineData(0.012, 0.875, 0.93)]
    // Bias 0.02 with spread 0.01: the lower tail (about +0.4%) is clipped to 0, so the interval is [0, q_hi], holding P(0 <= r <= q_hi),
    // about 0.95 - 0.023: above nominal by what the clip adds, never below.
    [InlineData(0.02, 0.91, 0.945)]
    public void Coverage_of_fresh_exchangeable_draws_is_near_nominal(double bias, double low, double high)
    {
        // 40 calibrations of 99 residuals (k_lo = 5, k_hi = 95 of 99: the guarantee is 90/100 exactly in expectation), each judged on
        // 500 fresh draws from the same law of residuals: the mean coverage is near 0.9 whatever the bias (while the tails keep 0 inside).
        var rng = new Random(11);
        var coverage = new List<double>();
        for (int rep = 0; rep < 40; rep++)
        {
            var interval = SignedOf(Draw(rng, 99, 0.01, 0.8, bias));
            Assert.True(interval.Signed && interval.Exact);
            var fresh = Draw(rng, 500, 0.01, 0.8, bias);
            coverage.Add(fresh.Count(x =>
            {
                var (lo, hi) = interval.RelativeBounds(x.Distance);
                return x.Relative >= lo && x.Relative <= hi;
            }) / 500.0);
        }
        Assert.InRange(coverage.Average(), low, high);
    }

    [Fact]
    public void A_biased_residual_set_gives_a_narrower_interval_than_the_symmetric_one_at_the_same_coverage_target()
    {
        // Residuals centred at -1.5% with a spread of 0.5%: the symmetric interval spends its upper half where nothing falls.
        var residuals = Draw(new Random(3), 200, 0.005, 0.5, -0.015);
        var symmetric = ConformalCalibration.Calibrate(residuals);
        var signed = ConformalCalibration.Signed(symmetric, residuals);
        var d = new ExtrapolationDistance(2, 1, 1);
        var (lo, hi) = signed.RelativeBounds(d);
        Assert.True(hi - lo < 2 * symmetric.HalfWidth(d) * 0.75, $"signed [{lo}, {hi}] against -+{symmetric.HalfWidth(d)}");
        Assert.Equal(0, hi); // every residual below: the upper tail is clipped to the prediction itself
        Assert.True(lo < 0);
    }

    [Fact]
    public void The_interval_always_contains_the_prediction_and_widens_monotonically_with_every_distance()
    {
        Property.ForAll(Gen.Select(Gen.Int[0, 1000], Gen.Double[-0.03, 0.03], Gen.Double[0, 3], Gen.Double[0, 3], Gen.Double[0, 0.4], Gen.Double[1, 8]), c =>
        {
            var (seed, bias, a, b, shape, size) = c;
            var residuals = Draw(new Random(seed), 40, 0.01, 0.5, bias, shape: 0.3);
            var interval = ConformalCalibration.CalibrateShape(residuals) is var sym ? ConformalCalibration.Signed(sym, residuals,
                [.. Enumerable.Range(1, 30).Select(i => ((bias + 0.01 * Math.Sin(i)) * Math.Log(1 + i / 10.0), Math.Log(1 + i / 10.0)))]) : null!;
            Assert.True(interval.LowerQuantile <= 0 && interval.UpperQuantile >= 0);
            double d1 = Math.Min(a, b), d2 = Math.Max(a, b);
            foreach (var (near, far) in new[]
            {
                (new ExtrapolationDistance(Math.Exp(d1), size, 1) { Shape = shape }, new ExtrapolationDistance(Math.Exp(d2), size, 1) { Shape = shape }),
                (new ExtrapolationDistance(Math.Exp(d1), size, 1) { Shape = 0 }, new ExtrapolationDistance(Math.Exp(d1), size, 1) { Shape = shape }),
                (new ExtrapolationDistance(Math.Exp(d1), 1, 1) { Shape = shape }, new ExtrapolationDistance(Math.Exp(d1), size, 1) { Shape = shape }),
                (new ExtrapolationDistance(1, 1, Math.Exp(d1)) { Shape = shape }, new ExtrapolationDistance(1, 1, Math.Exp(d2)) { Shape = shape }),
            })
            {
                var (lo1, hi1) = interval.Bounds(3, near);
                var (lo2, hi2) = interval.Bounds(3, far);
                Assert.True(lo1 <= 3 && hi1 >= 3, $"[{lo1}, {hi1}] misses the prediction");
                Assert.True(hi2 - lo2 >= hi1 - lo1 - 1e-12, $"width {hi2 - lo2} at {far} < {hi1 - lo1} at {near}");
            }
        });
    }

    [Fact]
    public void The_tails_are_the_finite_sample_conformal_ranks()
    {
        // n = 39 at 90%: k_lo = floor(40 x 0.05) = 2, k_hi = ceil(40 x 0.95) = 38 (1-based) of -19 .. 19 (in hundredths).
        var scores = Enumerable.Range(-19, 39).Select(i => i / 100.0).Reverse().ToList();
        var (lo, hi, exact) = ConformalCalibration.SignedTails(scores, 0.9);
        Assert.True(exact);
        Assert.Equal(-0.18, lo, 12);
        Assert.Equal(0.18, hi, 12);
        // n = 18: k_lo = floor(19 x 0.05) = 0 < 1, so the extreme scores and not exact.
        var (lo18, hi18, exact18) = ConformalCalibration.SignedTails([.. Enumerable.Range(1, 18).Select(i => i / 100.0 - 0.05)], 0.9);
        Assert.False(exact18);
        Assert.Equal(-0.04, lo18, 12);
        Assert.Equal(0.13, hi18, 12);
        // All positive: the lower tail is clipped to 0 (the prediction itself), non-finite scores ignored.
        var (loPos, hiPos, _) = ConformalCalibration.SignedTails([.. Enumerable.Range(1, 40).Select(i => i / 1000.0), double.NaN], 0.9);
        Assert.Equal(0, loPos);
        Assert.Equal(0.039, hiPos, 12);
        Assert.Throws<ArgumentException>(() => ConformalCalibration.SignedTails([double.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConformalCalibration.SignedTails([0.1], 1));
    }

    [Fact]
    public void Symmetric_tails_reproduce_the_symmetric_interval_and_the_size_term_adds_in_quadrature()
    {
        var residuals = Draw(new Random(8), 60, 0.01, 0.6, 0);
        var symmetric = ConformalCalibration.Calibrate(residuals) with { SizeQuantile = 0.015 };
        var mirrored = symmetric with { LowerQuantile = -symmetric.Quantile, UpperQuantile = symmetric.Quantile, SizeLowerQuantile = -0.015, SizeUpperQuantile = 0.015 };
        var d = new ExtrapolationDistance(1.4, 4, 1.2);
        var (lo, hi) = mirrored.RelativeBounds(d);
        Assert.Equal(-symmetric.HalfWidth(d), lo, 12);
        Assert.Equal(symmetric.HalfWidth(d), hi, 12);
        // Shifted parts: the centres add, the half-widths add in quadrature.
        var shifted = symmetric with { LowerQuantile = -0.02, UpperQuantile = 0.01, SizeLowerQuantile = -0.03, SizeUpperQuantile = 0 };
        double w = 1 + symmetric.Growth * Math.Log(1.4 * 1.2), s = Math.Log(4);
        double c = (-0.02 + 0.01) / 2 * w + -0.03 / 2 * s, h = Math.Sqrt(Math.Pow(0.03 / 2 * w, 2) + Math.Pow(0.03 / 2 * s, 2));
        var (slo, shi) = shifted.RelativeBounds(d);
        Assert.Equal(c - h, slo, 12);
        Assert.Equal(c + h, shi, 12);
        // Without a size ratio the size part is 0 and the interval is the within-size one.
        var (lo1, hi1) = shifted.RelativeBounds(d with { SizeRatio = 1 });
        Assert.Equal(-0.02 * w, lo1, 12);
        Assert.Equal(0.01 * w, hi1, 12);
    }

    [Fact]
    public void Signed_size_tails_are_the_ranks_of_r_over_ln_S()
    {
        var residuals = Enumerable.Range(1, 39).Select(i => ((i - 30) / 1000.0 * Math.Log(4), Math.Log(4))).Append((0.5, 0.0)).ToList();
        var (lo, hi) = ConformalCalibration.SignedSizeTails(residuals, 0.9);
        Assert.Equal(-0.028, lo, 12); // scores -0.029 .. 0.009; k_lo = 2
        Assert.Equal(0.008, hi, 12);  // k_hi = 38
        Assert.Throws<ArgumentException>(() => ConformalCalibration.SignedSizeTails([(0.1, 0.0)]));
    }
}
