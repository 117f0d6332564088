using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>
/// <see cref="JointFeatures.FreeLagLevels"/>: the free-lag levels at several noise powers in one pass, which the fitted noise power's
/// Chebyshev nodes use (<see cref="JointLawFitter"/>), must equal <see cref="JointFeatures.Exact"/>'s at each power bit for bit.
/// </summary>
public sealed class JointFreeLagLevelsTests
{
    /// <summary>A warmup from a tiny LR, a constant stretch, LRs oscillating over three decades and a linear cooldown to 0.</summary>
    private static ScheduleHistory History()
    {
        var lrs = new double[5000];
        for (int t = 0; t < lrs.Length; t++)
            lrs[t] = t < 200 ? 3e-3 * (t + 1) / 200 : t < 1500 ? 3e-3 : t < 3500 ? 3e-5 + 1e-3 * Math.Abs(Math.Sin(t / 300.0)) : 3e-3 * (5000 - t - 1) / 1500.0;
        return new ScheduleHistory(lrs);
    }

    private static readonly int[] Steps = [1, 50, 199, 200, 1000, 1000, 2500, 3499, 4200, 4999, 5000];

    // Chebyshev-like nodes, p = 1 (its own branch: eta itself, no pow) and the bounds of the fitted power.
    private static readonly double[] Powers = [0.2, 0.2875, 0.5, 0.73, 1.0, 1.21, 1.5, 2.0];

    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Every_level_equals_the_exact_features_at_each_power_bit_for_bit(int stride)
    {
        var history = History();
        var all = Enumerable.Repeat(true, JointLaw.NoiseCount).ToArray();
        var levels = JointFeatures.FreeLagLevels(history, Steps, stride, Powers, all);
        Assert.Equal(Powers.Length, levels.Length);
        int nonZero = 0;
        for (int j = 0; j < Powers.Length; j++)
        {
            var exact = JointFeatures.Exact(history, Steps, 0, stride, noisePower: Powers[j]);
            for (int i = 0; i < Steps.Length; i++)
                for (int m = 0; m < JointLaw.NoiseCount; m++)
                {
                    Assert.True(Same(exact.Noise[i, m], levels[j][i, m]), $"p {Powers[j]}, step {Steps[i]}, lag {m}: {levels[j][i, m]:R} against {exact.Noise[i, m]:R}");
                    if (levels[j][i, m] != 0) nonZero++;
                }
        }
        Assert.True(nonZero > Powers.Length * Steps.Length * JointLaw.NoiseCount / 2, "most levels are non-zero, so the comparison is not of zeros");
    }

    [Fact]
    public void Masked_lags_are_zero_and_the_others_unchanged()
    {
        // The lag prior's three lags of non-zero share (one intrinsic-time lag, two step lags), as the fitter asks with the prior on.
        var history = History();
        var mask = Enumerable.Range(0, JointLaw.NoiseCount).Select(a => NoiseLagPrior.Shares[a] != 0).ToArray();
        Assert.Equal(3, mask.Count(x => x));
        var levels = JointFeatures.FreeLagLevels(history, Steps, 1, Powers, mask);
        for (int j = 0; j < Powers.Length; j++)
        {
            var exact = JointFeatures.Exact(history, Steps, 0, noisePower: Powers[j]);
            for (int i = 0; i < Steps.Length; i++)
                for (int m = 0; m < JointLaw.NoiseCount; m++)
                    Assert.True(mask[m] ? Same(exact.Noise[i, m], levels[j][i, m]) : levels[j][i, m] == 0, $"p {Powers[j]}, step {Steps[i]}, lag {m}");
        }
    }

    [Theory]
    [InlineData(1, 0.73)]
    [InlineData(4, 1.0)]
    public void The_lag_priors_mixed_column_from_the_masked_levels_equals_the_all_lag_one_bit_for_bit(int stride, double p)
    {
        // JointLawFitter's mixed column sum_a share_a N_a (the lag prior's one free-noise column) with the zero-share lags skipped
        // (left at 0: share x 0 adds +0) against every lag computed: jointspeed's "outputs bit-identical" for the mask, at one p.
        var history = History();
        var shares = NoiseLagPrior.Shares;
        var mask = Enumerable.Range(0, JointLaw.NoiseCount).Select(a => shares[a] != 0).ToArray();
        var all = JointFeatures.FreeLagLevels(history, Steps, stride, [p], Enumerable.Repeat(true, JointLaw.NoiseCount).ToArray())[0];
        var masked = JointFeatures.FreeLagLevels(history, Steps, stride, [p], mask)[0];
        int skippedNonZero = 0;
        for (int i = 0; i < Steps.Length; i++)
        {
            double mixedAll = 0, mixedMasked = 0;
            for (int a = 0; a < JointLaw.NoiseCount; a++)
            {
                mixedAll += shares[a] * all[i, a];
                mixedMasked += shares[a] * masked[i, a];
                if (!mask[a] && all[i, a] != 0) skippedNonZero++;
            }
            Assert.True(Same(mixedAll, mixedMasked), $"step {Steps[i]}: {mixedMasked:R} against {mixedAll:R}");
            Assert.True(mixedAll > 0);
        }
        Assert.True(skippedNonZero > 0, "the skipped lags have non-zero levels, so the mask does change the columns it skips");
    }

    [Fact]
    public void No_steps_give_no_levels_and_a_wrong_mask_is_refused()
    {
        var history = History();
        var empty = JointFeatures.FreeLagLevels(history, [], 1, Powers, new bool[JointLaw.NoiseCount]);
        Assert.All(empty, x => Assert.Equal(0, x.GetLength(0)));
        Assert.Throws<ArgumentException>(() => JointFeatures.FreeLagLevels(history, Steps, 1, Powers, new bool[3]));
    }
}
