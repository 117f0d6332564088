using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// OptLaw's and the joint law's predictions skip the noise features whose weight is 0 and the joint features sum S1 and Q in their
/// own pass (issue 12). The predictions must be those of every feature computed, bit for bit: OptLaw's against the sum over its full
/// feature matrix, the joint features' levels, tau and K against the all-feature pass and the history's own prefix sums.
/// </summary>
public sealed class ZeroWeightFeatureTests
{
    private static ScheduleHistory[] Histories() =>
    [
        new(new CosineSchedule(3e-3, 4000, 40, 3e-4).Evaluate()),
        new(new WsdSchedule(2e-3, 3000, 30, cooldown: 0.3, floor: 0).Evaluate()),
        new(new ConstantSchedule(1e-3, 2000, 10).Evaluate()),
    ];

    [Fact]
    public void OptLaw_with_zero_weights_predicts_the_full_feature_sum_bit_for_bit()
    {
        var law = new OptLaw();
        foreach (var history in Histories())
        {
            int[] steps = [1, history.Steps / 3, history.Steps / 2, history.Steps];
            // Weights on a few lags only (the plan's fits keep 4 or 5 of 11).
            var p = new double[law.ParameterNames.Count];
            p[0] = 2.4; p[1] = 0.6; p[2] = 0.49; p[3] = 0.05; p[4] = 0.73;
            int first = 5;
            p[first + 3] = 91; p[first + 4] = 124; p[first + 6] = 22.3; p[first + 9] = 197;
            var y = new double[steps.Length];
            law.Predict(p, history, steps, y);
            var f = law.FeatureMatrix(history, steps, p[4]);
            for (int i = 0; i < steps.Length; i++)
            {
                double expected = p[0] + p[1] * Math.Pow(history.S1(steps[i]) + p[3], -p[2]);
                for (int k = 0; k < f.GetLength(1); k++) expected += p[first + k] * f[i, k];
                Assert.Equal(expected, y[i]);
            }
        }
    }

    [Fact]
    public void Joint_features_of_the_weighted_levels_tau_and_K_are_the_full_passes_bit_for_bit()
    {
        var p = new double[new JointLaw().ParameterNames.Count];
        p[JointLaw.E] = 2.4; p[JointLaw.A] = 0.6; p[JointLaw.Alpha] = 0.49; p[JointLaw.Sw] = 0.03; p[JointLaw.Kappa] = 4; p[JointLaw.C] = 0.1;
        int[] weighted = [2, 3, 6, 8, 9];
        foreach (int m in weighted) p[JointLaw.FirstNoise + m] = 10 + m;
        foreach (var history in Histories())
        {
            int[] steps = [1, history.Steps / 4, history.Steps - 1, history.Steps];
            var some = JointFeatures.Exact(history, steps, 4, 1, p);
            var all = JointFeatures.Exact(history, steps, 4, 1, default, freeNoise: true);
            Assert.Equal(all.Tau, some.Tau);
            for (int i = 0; i < steps.Length; i++)
            {
                double s1 = history.S1(steps[i]);
                Assert.Equal(s1 > 0 ? history.Q(steps[i]) / s1 : 0, some.K[i]);
                for (int m = 0; m < JointLaw.NoiseCount; m++)
                    Assert.Equal(weighted.Contains(m) ? all.Noise[i, m] : 0, some.Noise[i, m]);
            }
        }
    }
}
