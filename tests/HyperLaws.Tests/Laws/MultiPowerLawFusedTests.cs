using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// MPL's fused evaluation (one tree walk giving both Predict's values and PredictWithGradient's values and derivatives, issue 12)
/// equals the two separate calls bit for bit, and a Levenberg-Marquardt fit that takes each accepted trial point's Jacobian from
/// it is the fit that evaluates the Jacobian again (parameters, objective, iterations, evaluations, stop reason).
/// </summary>
public sealed class MultiPowerLawFusedTests
{
    private static void AssertFusedEqualsSeparate(MultiPowerLaw law, double[] p, ScheduleHistory history, int[] at)
    {
        var (plain, values, gradient) = (new double[at.Length], new double[at.Length], new double[at.Length * 7]);
        ((IFusedGradientLaw)law).PredictFused(p, history, at, plain, values, gradient);
        var (y, yg, g) = (new double[at.Length], new double[at.Length], new double[at.Length * 7]);
        law.Predict(p, history, at, y);
        law.PredictWithGradient(p, history, at, yg, g);
        Assert.Equal(y, plain);
        Assert.Equal(yg, values);
        Assert.Equal(g, gradient);
    }

    [Fact]
    public void The_fused_walk_gives_the_separate_calls_values_and_derivatives_bit_for_bit() =>
        ForAll(Gen.Select(Gen.Int[1500, 8000], Gen.Double[0.1, 0.6], Gen.Int[1, 7], Gen.Int[17, 300]), t =>
        {
            var (steps, cooldown, every, chunk) = t;
            var history = new ScheduleHistory(SyntheticCurves.Wsd(steps, cooldown));
            int[] at = [.. Enumerable.Range(1, steps / every).Select(k => k * every)];
            // Published fits; a degenerate drop (beta -> 0, B large); parameters at the edge of the double range, where nodes are
            // accepted on G's range or summed exactly (C x + 1 and the moments overflow); a tiny B (every node accepted at the root).
            double[][] parameters =
            [
                MultiPowerLaw.Published["25M"], MultiPowerLaw.Published["400M"], [2.5, 0.7, 0.4, 5e6, 0.3, 1e-6, 0.2],
                [2.6, 0.8, 0.3, 400, 5e36, 0.6, 46], [2.6, 0.8, 0.3, 400, 1e300, 3.5e9, 0.5], [2.55, 0.79, 0.31, 8.9e-51, 1e-300, 3.7e-60, 4.4e-21],
            ];
            foreach (var p in parameters)
            {
                AssertFusedEqualsSeparate(new MultiPowerLaw { PointsPerChunk = int.MaxValue }, p, history, at);
                AssertFusedEqualsSeparate(new MultiPowerLaw { PointsPerChunk = chunk }, p, history, at);   // points side by side in chunks
                AssertFusedEqualsSeparate(new MultiPowerLaw(tolerance: 0), p, history, at[^Math.Min(at.Length, 20)..]);   // summed exactly
            }
        }, iterations: 8);

    [Fact]
    public void An_infinite_B_gives_NaN_in_every_fused_output()
    {
        var history = new ScheduleHistory(SyntheticCurves.Wsd(3000, 0.3));
        int[] at = [10, 500, 3000];
        double[] p = [.. MultiPowerLaw.Published["25M"]];
        p[MultiPowerLaw.B] = double.PositiveInfinity;
        var (plain, values, gradient) = (new double[3], new double[3], new double[21]);
        ((IFusedGradientLaw)new MultiPowerLaw()).PredictFused(p, history, at, plain, values, gradient);
        Assert.All(plain.Concat(values).Concat(gradient), v => Assert.True(double.IsNaN(v)));
    }

    private static void AssertSameFit(MultiPowerLaw law, IReadOnlyList<FitTarget> curves)
    {
        var fused = LawFitter.Fit(law, curves);
        var separate = LawFitter.Fit(law, curves, new FitOptions { FusedTrials = false });
        FitAssert.Same(separate, fused);
    }

    [Fact]
    public void A_fit_with_fused_trial_points_is_the_fit_with_separate_Jacobians()
    {
        var truth = MultiPowerLaw.Published["100M"];
        var law = new MultiPowerLaw();
        // One long curve (points in chunks side by side), and three curves of different schedules fitted together.
        AssertSameFit(new MultiPowerLaw { PointsPerChunk = 100 }, [SyntheticCurves.Curve(law, truth, SyntheticCurves.Wsd(6000, 0.3), "long", 0.002, 5, points: 600)]);
        AssertSameFit(law,
        [
            SyntheticCurves.Curve(law, truth, SyntheticCurves.Wsd(3000, 0.2), "a", 0.002, 7, points: 150),
            SyntheticCurves.Curve(law, truth, SyntheticCurves.Wsd(4000, 0.5), "b", 0.002, 8, points: 150),
            SyntheticCurves.Curve(law, MultiPowerLaw.Published["25M"], SyntheticCurves.Wsd(2000, 0.1), "c", 0.004, 9, points: 100),
        ]);
    }
}
