using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>
/// <see cref="LagRelaxation"/>, the one relaxation of the noise levels that <see cref="JointFeatures.Exact"/>,
/// <see cref="JointFeatures.FreeLagLevels"/>, <see cref="JointFeatures.NoisePowerSlopes"/> and <see cref="NoiseSpectrum.Features"/>
/// share: each must equal, bit for bit, a plain per-lag loop of the recurrence N_m(t) = d_m N_m(t-1) + (1 - d_m) y_t written out
/// here (the loop each of them had before).
/// </summary>
public sealed class JointRelaxationTests
{
    private static ScheduleHistory History()
    {
        var lrs = new double[3000];
        for (int t = 0; t < lrs.Length; t++)
            lrs[t] = t < 150 ? 2e-3 * (t + 1) / 150 : t < 900 ? 2e-3 : t < 2000 ? 4e-5 + 8e-4 * Math.Abs(Math.Cos(t / 170.0)) : 2e-3 * (3000 - t - 1) / 1000.0;
        return new ScheduleHistory(lrs);
    }

    private static readonly int[] Steps = [1, 149, 150, 700, 1500, 1999, 2600, 3000];

    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    /// <summary>
    /// The levels at <paramref name="step"/>, lag by lag: target eta^p (or eta^p ln eta for the slope), decays exp(-k r / lag) with
    /// r = eta, or the effective step's max(eta)^(1-p) eta^p below the peak so far, and exp(-k / lag) for the step lags.
    /// </summary>
    private static double[] Reference(ScheduleHistory h, int step, int stride, double p, bool effective, bool slope)
    {
        var lags = JointLaw.TimeLags;
        int m = JointLaw.NoiseCount, mt = lags.Count;
        var level = new double[m];
        for (int a = 0; a < m; a++)
        {
            double highest = 0;
            for (int t = 1; t <= step; t++)
            {
                double eta = h.Eta(t);
                if (eta > highest) highest = eta;
                double target = slope ? (eta > 0 ? Math.Pow(eta, p) * Math.Log(eta) : 0) : p == 1 ? eta : Math.Pow(eta, p);
                double rate = effective && p != 1 && eta < highest ? Math.Pow(highest, 1 - p) * (p == 1 ? eta : Math.Pow(eta, p)) : eta;
                double decay = a < mt ? Math.Exp(-stride * rate / lags[a]) : Math.Exp(-stride / JointLaw.StepLags[a - mt]);
                level[a] = decay * level[a] + (1 - decay) * target;
            }
        }
        return level;
    }

    [Theory]
    [InlineData(1, 1.0, false)]
    [InlineData(1, 0.62, false)]
    [InlineData(4, 1.37, false)]
    [InlineData(1, 0.62, true)]
    [InlineData(3, 1.37, true)]
    public void The_exact_features_levels_equal_the_plain_recurrence(int stride, double p, bool effective)
    {
        var h = History();
        var f = JointFeatures.Exact(h, Steps, 0, stride, noisePower: p, effectiveClock: effective);
        int nonZero = 0;
        for (int i = 0; i < Steps.Length; i++)
        {
            var want = Reference(h, Steps[i], stride, p, effective, slope: false);
            for (int a = 0; a < want.Length; a++)
            {
                Assert.True(Same(want[a], f.Noise[i, a]), $"step {Steps[i]}, lag {a}: {f.Noise[i, a]:R} against {want[a]:R}");
                if (want[a] != 0) nonZero++;
            }
        }
        Assert.True(nonZero > Steps.Length * JointLaw.NoiseCount / 2);
    }

    [Fact]
    public void The_levels_at_several_powers_equal_the_plain_recurrence_and_masked_lags_stay_zero()
    {
        var h = History();
        double[] powers = [0.3, 1.0, 1.8];
        var mask = Enumerable.Range(0, JointLaw.NoiseCount).Select(a => a % 3 != 1).ToArray();
        var levels = JointFeatures.FreeLagLevels(h, Steps, 2, powers, mask);
        for (int j = 0; j < powers.Length; j++)
            for (int i = 0; i < Steps.Length; i++)
            {
                var want = Reference(h, Steps[i], 2, powers[j], false, slope: false);
                for (int a = 0; a < want.Length; a++)
                    Assert.True(Same(mask[a] ? want[a] : 0, levels[j][i, a]), $"p {powers[j]}, step {Steps[i]}, lag {a}");
            }
    }

    [Theory]
    [InlineData(1, 0.8)]
    [InlineData(5, 1.25)]
    public void The_noise_power_slopes_equal_the_plain_recurrence_of_eta_p_ln_eta(int stride, double p)
    {
        var h = History();
        foreach (int step in Steps)
        {
            var got = JointFeatures.NoisePowerSlopes(h, step, stride, p);
            var want = Reference(h, step, stride, p, false, slope: true);
            for (int a = 0; a < want.Length; a++) Assert.True(Same(want[a], got[a]), $"step {step}, lag {a}: {got[a]:R} against {want[a]:R}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void The_spectrums_nodes_equal_the_plain_recurrence_of_eta(int stride)
    {
        var h = History();
        var (time, steps, eta) = NoiseSpectrum.Features(h, Steps, stride);
        for (int i = 0; i < Steps.Length; i++)
        {
            Assert.Equal(h.Eta(Steps[i]), eta[i]);
            for (int a = 0; a < NoiseSpectrum.TimeLags.Length + NoiseSpectrum.StepLags.Length; a++)
            {
                bool isTime = a < NoiseSpectrum.TimeLags.Length;
                double level = 0;
                for (int t = 1; t <= Steps[i]; t++)
                {
                    double e = h.Eta(t);
                    double decay = isTime ? Math.Exp(-stride * e / NoiseSpectrum.TimeLags[a]) : Math.Exp(-stride / NoiseSpectrum.StepLags[a - NoiseSpectrum.TimeLags.Length]);
                    level = decay * level + (1 - decay) * e;
                }
                double got = isTime ? time[i, a] : steps[i, a - NoiseSpectrum.TimeLags.Length];
                Assert.True(Same(level, got), $"step {Steps[i]}, node {a}: {got:R} against {level:R}");
            }
        }
    }
}
