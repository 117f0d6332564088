using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// The long-run speed work on MPL (issue 12) computes what it computed before, bit for bit: one curve's points side by side
/// in chunks equal the points in sequence, and the exponent test that spares a pow decides as the full expression does.
/// </summary>
public sealed class MultiPowerLawSpeedTests
{
    private static readonly MultiPowerLaw Sequential = new() { PointsPerChunk = int.MaxValue };

    [Fact]
    public void Points_in_parallel_chunks_are_the_points_in_sequence_bit_for_bit() =>
        ForAll(Gen.Select(Gen.Int[2000, 9000], Gen.Double[0.1, 0.6], Gen.Int[17, 97], Gen.Int[1, 5]), t =>
        {
            var (steps, cooldown, chunk, every) = t;
            var history = new ScheduleHistory(SyntheticCurves.Wsd(steps, cooldown));
            int[] at = [.. Enumerable.Range(1, steps / every).Select(k => k * every)];
            var chunked = new MultiPowerLaw { PointsPerChunk = chunk };
            foreach (var p in new[] { MultiPowerLaw.Published["25M"], MultiPowerLaw.Published["400M"], [2.5, 0.7, 0.4, 5e6, 0.3, 1e-6, 0.2] })
            {
                var (y0, g0) = (new double[at.Length], new double[at.Length * 7]);
                var (y1, g1) = (new double[at.Length], new double[at.Length * 7]);
                Sequential.PredictWithGradient(p, history, at, y0, g0);
                chunked.PredictWithGradient(p, history, at, y1, g1);
                Assert.Equal(y0, y1);
                Assert.Equal(g0, g1);
                Sequential.Predict(p, history, at, y0);
                chunked.Predict(p, history, at, y1);
                Assert.Equal(y0, y1);
            }
        }, iterations: 12);

    [Fact]
    public void A_fit_with_points_in_parallel_chunks_is_the_fit_in_sequence()
    {
        var truth = MultiPowerLaw.Published["100M"];
        var curve = SyntheticCurves.Curve(Sequential, truth, SyntheticCurves.Wsd(6000, 0.3), "long", 0.002, 5, points: 600);
        var sequential = LawFitter.Fit(Sequential, [curve]);
        var chunked = LawFitter.Fit(new MultiPowerLaw { PointsPerChunk = 50 }, [curve]);
        Assert.Equal(sequential.Parameters, chunked.Parameters);
        Assert.Equal(sequential.Objective, chunked.Objective);
        Assert.Equal(sequential.Iterations, chunked.Iterations);
        Assert.Equal(sequential.Evaluations, chunked.Evaluations);
    }

    /// <summary>The full expression the exponent test replaces: is (bb1 C^2) tail_max / (q_max q_max) a normal number?</summary>
    private static bool Full(double p, double qMax, double beta) =>
        double.IsNormal(p * MultiPowerLaw.TailMax(qMax, beta) / (qMax * qMax));

    [Fact]
    public void The_exponent_test_of_the_correction_decides_as_the_full_expression()
    {
        // Across the whole double range, and concentrated where the result is near the normal range's edges.
        var wide = Gen.Select(LogUniform(1e-320, 1e308), LogUniform(1, 1e308), LogUniform(1e-6, 1e4));
        var edge = Gen.Select(LogUniform(1e-310, 1e-280), LogUniform(1, 1e6), LogUniform(1e-3, 10));
        var tall = Gen.Select(LogUniform(1e280, 1e308), LogUniform(1, 1e3), LogUniform(1e-6, 1e-2));
        int settled = 0;
        foreach (var gen in new[] { wide, edge, tall })
            ForAll(gen, t =>
            {
                var (p, qMax, beta) = t;
                double tailMax = double.NaN;
                bool fast = MultiPowerLaw.CorrectionIsNormal(p, qMax, beta, ref tailMax);
                Assert.Equal(Full(p, qMax, beta), fast);
                if (double.IsNaN(tailMax)) settled++;
                else Assert.Equal(MultiPowerLaw.TailMax(qMax, beta), tailMax);
            }, iterations: 3000);
        // The test settles most draws without the pow (else it would spare nothing).
        Assert.True(settled > 3000, $"settled {settled} of 9000");
        // Edge values: infinities, NaN, q_max = 1, a product underflowing or overflowing.
        foreach (var (p, qMax, beta) in new[]
                 {
                     (1.0, double.PositiveInfinity, 0.5), (1.0, double.NaN, 0.5), (double.NaN, 2.0, 0.5), (1.0, 1.0, 0.5),
                     (1e-300, 1e10, 3.0), (1e308, 1.0, 1e-9), (double.Epsilon, 2.0, 0.5), (1.0, 1e154, 1.0), (1.0, 1e160, 0.5),
                     (0.0, 2.0, 0.5), (1.0, 2.0, 0.0), (1.0, 2.0, double.NaN), (1.0, 1e300, 1e300),
                 })
        {
            double tailMax = double.NaN;
            Assert.Equal(Full(p, qMax, beta), MultiPowerLaw.CorrectionIsNormal(p, qMax, beta, ref tailMax));
        }
    }

    [Fact]
    public void An_infinite_or_NaN_B_gives_NaN_at_every_step_without_walking_the_tree()
    {
        var history = new ScheduleHistory(SyntheticCurves.Wsd(3000, 0.3));
        int[] at = [10, 500, 2999, 3000];
        foreach (double b in new[] { double.PositiveInfinity, double.NegativeInfinity, double.NaN })
        {
            double[] p = [.. MultiPowerLaw.Published["25M"]];
            p[MultiPowerLaw.B] = b;
            var (y, g) = (new double[at.Length], new double[at.Length * 7]);
            Sequential.PredictWithGradient(p, history, at, y, g);
            Assert.All(y, v => Assert.True(double.IsNaN(v)));
            Assert.All(g, v => Assert.True(double.IsNaN(v)));
            Sequential.Predict(p, history, at, y);
            Assert.All(y, v => Assert.True(double.IsNaN(v)));
            // The formula written out is not finite either: L0 + A S1^-alpha - B times a finite LD/B.
            double drop = MultiPowerLaw.ExactLossDropOverB(history, 3000, p[MultiPowerLaw.C], p[MultiPowerLaw.Beta], p[MultiPowerLaw.Gamma]);
            Assert.True(double.IsFinite(drop) && drop != 0);
            Assert.False(double.IsFinite(p[MultiPowerLaw.L0] + p[MultiPowerLaw.A] * Math.Pow(history.S1(3000), -p[MultiPowerLaw.Alpha]) - b * drop));
        }
    }
}
