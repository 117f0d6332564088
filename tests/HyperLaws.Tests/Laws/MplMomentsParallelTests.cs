using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// MPL's per-gamma moments filled side by side over chunks of leaves (<c>DropTree.MomentsFor</c>, issue 12): every value and
/// derivative of Predict, PredictWithGradient, the fused walk and Basis is the sequential fill's bit for bit.
/// </summary>
public sealed class MplMomentsParallelTests
{
    /// <summary>A WSD schedule whose stable phase and a stretch of zero LRs straddle leaf boundaries (equal etas at a leaf's first step).</summary>
    private static double[] Schedule(int steps, double cooldown, int zeros)
    {
        var lr = SyntheticCurves.Wsd(steps, cooldown);
        for (int k = steps - zeros; k < steps - zeros / 2; k++) lr[k] = 0;   // eta = 0 inside the cooldown (G = 1 there)
        return lr;
    }

    [Fact]
    public void The_side_by_side_fill_is_the_sequential_fill_bit_for_bit() =>
        ForAll(Gen.Select(Gen.Int[1500, 8000], Gen.Double[0.05, 0.6], Gen.Int[0, 40], Gen.Int[1, 9], LogUniform(1e-8, 30), LogUniform(0.05, 3), LogUniform(1e-3, 5)), t =>
        {
            var (steps, cooldown, zeros, every, c, beta, gamma) = t;
            var history = new ScheduleHistory(Schedule(steps, cooldown, zeros));
            int[] at = [.. Enumerable.Range(1, steps / every).Select(k => k * every)];
            double[][] parameters =
            [
                [2.6, 0.7, 0.45, 400, c, beta, gamma], MultiPowerLaw.Published["100M"], [2.5, 0.7, 0.4, 5e6, 0.3, 1e-6, 0.2],
                [2.6, 0.8, 0.3, 400, 5e36, 0.6, 46], [2.55, 0.79, 0.31, 8.9e-51, 1e-300, 3.7e-60, 4.4e-21],
            ];
            // Every history is filled side by side (from 0 steps), against never.
            var parallel = new MultiPowerLaw { ParallelMomentSteps = 0, PointsPerChunk = 97 };
            var sequential = new MultiPowerLaw { ParallelMomentSteps = int.MaxValue, PointsPerChunk = 97 };
            foreach (var p in parameters)
            {
                var (h1, h2) = (history.Copy(), history.Copy());
                Assert.Equal(MplCalls.Values(sequential, p, h2, at), MplCalls.Values(parallel, p, h1, at));
                var (plain1, y1, g1) = MplCalls.Fused(parallel, p, h1, at);
                var (plain2, y2, g2) = MplCalls.Fused(sequential, p, h2, at);
                Assert.Equal(y2, y1);
                Assert.Equal(g2, g1);
                Assert.Equal(plain2, plain1);
                var (basis1, bg1) = MplCalls.Basis(parallel, p, h1, at);
                var (basis2, bg2) = MplCalls.Basis(sequential, p, h2, at);
                Assert.Equal(basis2, basis1);
                Assert.Equal(bg2, bg1);
            }
        }, iterations: 12);

    [Fact]
    public void A_long_history_is_filled_side_by_side_by_default_with_the_same_values()
    {
        // 2^17 + 5,000 steps: over the default threshold, so the default law fills side by side.
        int steps = (1 << 17) + 5000;
        var history = new ScheduleHistory(Schedule(steps, 0.2, 30));
        int[] at = [.. Enumerable.Range(1, 300).Select(k => k * (steps / 300))];
        var p = MultiPowerLaw.Published["400M"];
        var (h1, h2) = (history.Copy(), history.Copy());
        Assert.True(steps >= new MultiPowerLaw().ParallelMomentSteps);
        var (_, y1, g1) = MplCalls.Fused(new MultiPowerLaw(), p, h1, at);
        var (_, y2, g2) = MplCalls.Fused(new MultiPowerLaw { ParallelMomentSteps = int.MaxValue }, p, h2, at);
        Assert.Equal(y2, y1);
        Assert.Equal(g2, g1);
    }
}
