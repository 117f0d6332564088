using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>
/// The anchored decays of <see cref="LagRelaxation.SetRate"/> (the planner's J(s), issue 12; docs/VALIDATION.md "J(s)'s decays from
/// an anchored exp"): each decay within a relative 1e-15 (1 + |k r / lag|) of <see cref="Math.Exp(double)"/>'s, and the features of
/// <see cref="JointFeatures.Exact"/> with them within a relative 1e-12 of the exact path's (tau, K, eta and the peak bit for bit).
/// </summary>
public sealed class AnchoredDecayTests
{
    [Fact]
    public void The_polynomial_is_exp_within_an_ulp_on_its_reach()
    {
        var rng = new Random(12);
        for (int i = 0; i < 20000; i++)
        {
            double x = (2 * rng.NextDouble() - 1) * LagRelaxation.AnchorReach;
            if (i < 4) x = i switch { 0 => 0, 1 => LagRelaxation.AnchorReach, 2 => -LagRelaxation.AnchorReach, _ => 1e-300 };
            double want = Math.Exp(x), got = LagRelaxation.ExpNearZero(x);
            Assert.True(Math.Abs(got - want) <= Math.BitIncrement(want) - want, $"x = {x:R}: {got:R} against {want:R}");
        }
    }

    /// <summary>The decays at each rate, read through one relaxation step from level 1 towards 0 (the level becomes the decay).</summary>
    private static double[] Decays(LagRelaxation relax, double rate)
    {
        relax.SetRate(rate);
        var level = Enumerable.Repeat(1.0, relax.Count).ToArray();
        relax.Relax(level, 0);
        return level;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Each_anchored_decay_is_exp_s_within_the_declared_bound(int stride)
    {
        var rng = new Random(31 + stride);
        var all = Enumerable.Repeat(true, JointLaw.NoiseCount).ToArray();
        var exact = new LagRelaxation(stride, all);
        var anchored = new LagRelaxation(stride, all, anchoredDecays: true);
        var lags = JointLaw.TimeLags;
        // Rates: slow cosines (the polynomial's case), jumps, zeros, repeats and random walks, over 4e-6 .. 2e-2.
        var rates = new List<double>();
        for (int t = 0; t < 40000; t++) rates.Add(1e-4 + 9e-4 * 0.5 * (1 + Math.Cos(Math.PI * t / 40000)));
        for (int t = 0; t < 5000; t++) rates.Add(rng.NextDouble() < 0.1 ? 0 : 2e-2 * rng.NextDouble());
        double walk = 3e-3;
        for (int t = 0; t < 20000; t++) rates.Add(walk = Math.Clamp(walk * (1 + 1e-3 * (2 * rng.NextDouble() - 1)), 4e-6, 2e-2));
        int differ = 0;
        foreach (double r in rates)
        {
            var want = Decays(exact, r);
            var got = Decays(anchored, r);
            for (int i = 0; i < want.Length; i++)
            {
                double bound = i < lags.Count ? 1e-15 * (1 + Math.Abs(stride * r / lags[i])) * want[i] : 0;
                Assert.True(Math.Abs(got[i] - want[i]) <= bound, $"rate {r:R}, lag {i}: {got[i]:R} against {want[i]:R}");
                if (got[i] != want[i]) differ++;
            }
        }
        // The polynomial was used (an anchor at every step would equal exp everywhere).
        Assert.True(differ > 1000, $"{differ} decays differ from exp's");
    }

    private static double[] Cosine(int steps, int warmup, double peak, double floor)
    {
        var lrs = new double[steps];
        for (int t = 0; t < steps; t++)
            lrs[t] = t < warmup ? peak * (t + 1) / warmup : floor * peak + (1 - floor) * peak * 0.5 * (1 + Math.Cos(Math.PI * (t - warmup) / (steps - warmup)));
        return lrs;
    }

    private static double[] Wsd(int steps, double peak)
    {
        var lrs = new double[steps];
        for (int t = 0; t < steps; t++) lrs[t] = t < 500 ? peak * (t + 1) / 500 : t < steps * 4 / 5 ? peak : peak * (steps - t) / (steps / 5.0);
        return lrs;
    }

    private static double[] Steps(int steps, double peak)
    {
        var lrs = new double[steps];
        for (int t = 0; t < steps; t++) lrs[t] = peak * Math.Pow(0.3, 4 * t / steps);
        return lrs;
    }

    private static double[] Random(int steps, int seed)
    {
        var rng = new Random(seed);
        var lrs = new double[steps];
        double lr = 1e-3;
        for (int t = 0; t < steps; t++) lrs[t] = lr = rng.NextDouble() < 0.01 ? 5e-3 * rng.NextDouble() : Math.Abs(lr * (1 + 0.01 * (2 * rng.NextDouble() - 1)));
        return lrs;
    }

    public static TheoryData<string, int, double, bool> Cases => new()
    {
        { "cosine", 1, 1, false },
        { "cosine", 3, 1, false },
        { "cosine", 1, 0.62, true },
        { "wsd", 1, 1, false },
        { "steps", 2, 1.37, true },
        { "random", 1, 1, false },
        { "random", 1, 0.62, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_features_with_anchored_decays_are_the_exact_features_within_1e12(string shape, int stride, double power, bool effective)
    {
        int n = shape == "cosine" && stride == 1 && power == 1 ? 193346 : 30000;
        var lrs = shape switch
        {
            "cosine" => Cosine(n, n / 90, 6.67e-4, 0.1),
            "wsd" => Wsd(n, 2e-3),
            "steps" => Steps(n, 3e-3),
            _ => Random(n, 7),
        };
        var history = new ScheduleHistory(lrs);
        int[] steps = [1, 50, n / 90, n / 7, n / 3, n / 2, 2 * n / 3, n - 1, n];
        var want = JointFeatures.Exact(history, steps, 0.4, stride, noisePower: power, effectiveClock: effective);
        var got = JointFeatures.Exact(history, steps, 0.4, stride, noisePower: power, effectiveClock: effective, anchoredDecays: true);
        int moved = 0;
        for (int i = 0; i < steps.Length; i++)
        {
            Assert.Equal(want.Tau[i], got.Tau[i]);
            Assert.Equal(want.K[i], got.K[i]);
            Assert.Equal(want.Eta[i], got.Eta[i]);
            Assert.Equal(want.Peak[i], got.Peak[i]);
            for (int a = 0; a < JointLaw.NoiseCount; a++)
            {
                double w = want.Noise[i, a], g = got.Noise[i, a];
                Assert.True(Math.Abs(g - w) <= 1e-12 * Math.Max(Math.Abs(w), Math.Abs(g)), $"{shape}: step {steps[i]}, lag {a}: {g:R} against {w:R}");
                if (g != w) moved++;
            }
        }
        if (shape == "cosine") Assert.True(moved > 0, "the anchored path was not taken");
    }
}
