using CsCheck;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>The noise level as a power p of the LR (<see cref="JointFitOptions.NoisePowers"/>, <see cref="JointLaw.NoisePowerLog"/>).</summary>
public sealed class JointNoisePowerTests
{
    /// <summary>A random positive schedule: warmup, then piecewise-constant levels and a linear cooldown.</summary>
    private static double[] Schedule(Random random, int steps)
    {
        var lr = new double[steps];
        double level = 1e-3 * (0.3 + random.NextDouble());
        for (int t = 0; t < steps; t++)
        {
            if (t % 50 == 49) level = 1e-3 * (0.1 + 2 * random.NextDouble());
            lr[t] = t < 20 ? level * (t + 1) / 20 : t > steps * 0.8 ? level * (steps - t) / (steps * 0.2) : level;
        }
        return lr;
    }

    [Fact]
    public void Features_at_p_are_the_exact_relaxation_of_eta_to_the_p()
    {
        // N_m(t) = sum_{k<=t} (1 - d_k) eta_k^p prod_{k<j<=t} d_j, the relaxation's closed sum, term by term (O(t^2)).
        var random = new Random(7);
        foreach (double power in new[] { 0.5, 0.75, 1.3 })
        {
            var lrs = Schedule(random, 300);
            var history = new ScheduleHistory(lrs);
            int[] steps = [1, 37, 150, 240, 300];
            var f = JointFeatures.Exact(history, steps, 0, noisePower: power);
            for (int m = 0; m < JointLaw.NoiseCount; m++)
                for (int i = 0; i < steps.Length; i++)
                {
                    double Decay(int t) => m < JointLaw.TimeLags.Count ? Math.Exp(-lrs[t - 1] / JointLaw.TimeLags[m]) : Math.Exp(-1 / JointLaw.StepLags[m - JointLaw.TimeLags.Count]);
                    double exact = 0;
                    for (int k = 1; k <= steps[i]; k++)
                    {
                        double term = (1 - Decay(k)) * Math.Pow(lrs[k - 1], power);
                        for (int j = k + 1; j <= steps[i]; j++) term *= Decay(j);
                        exact += term;
                    }
                    Property.Near(exact, f.Noise[i, m], 1e-10, $"p {power}, lag {m}, step {steps[i]}");
                }
        }
    }

    [Fact]
    public void At_p_1_the_law_is_the_law_before_bit_for_bit()
    {
        // The recurrence of the law before (towards eta itself), repeated here: p = 1 must give the same bits, features and prediction.
        var lrs = Schedule(new Random(3), 400);
        var history = new ScheduleHistory(lrs);
        int[] steps = [10, 200, 399, 400];
        var f = JointFeatures.Exact(history, steps, 500, noisePower: 1);
        for (int m = 0; m < JointLaw.NoiseCount; m++)
        {
            double level = 0;
            int next = 0;
            for (int t = 1; t <= 400; t++)
            {
                double eta = lrs[t - 1], d = m < JointLaw.TimeLags.Count ? Math.Exp(-eta / JointLaw.TimeLags[m]) : Math.Exp(-1 / JointLaw.StepLags[m - JointLaw.TimeLags.Count]);
                level = d * level + (1 - d) * eta;
                if (next < steps.Length && steps[next] == t) Assert.Equal(level, f.Noise[next++, m]);
            }
        }
        var p = JointLawTests.Parameters();
        Assert.Equal(0, p[JointLaw.NoisePowerLog]);
        Assert.Equal(1, JointLaw.NoisePower(p));
        var law = new JointLaw();
        var y = new double[steps.Length];
        law.Predict(p, history, steps, y);
        for (int i = 0; i < steps.Length; i++)
        {
            // The law's formula at z = u = s = 1, term by term as before: E + A (tau + s_w)^-alpha + C K + sum_m w_m N_m.
            double noise = 0;
            for (int m = 0; m < JointLaw.NoiseCount; m++) noise += p[JointLaw.FirstNoise + m] * f.Noise[i, m];
            double expected = p[JointLaw.E] + p[JointLaw.A] * Math.Pow(f.Tau[i] + p[JointLaw.Sw], -p[JointLaw.Alpha]) + p[JointLaw.C] * f.K[i] + noise;
            Property.Near(expected, y[i], 1e-15, $"step {steps[i]}");
        }
    }

    [Fact]
    public void A_constant_LR_keeps_a_floor_of_F_eta_to_the_p()
    {
        var p = JointLawTests.Parameters(kappa: 0, c: 0, timeNoise: 20, stepNoise: 0);
        p[JointLaw.NoisePowerLog] = Math.Log(0.5);
        var law = new JointLaw();
        foreach (double eta in new[] { 1e-4, 1e-3, 4e-3 })
        {
            var terms = law.Explain(p, new ScheduleHistory([.. Enumerable.Repeat(eta, 3000)]), 3000);
            double noise = terms.Single(t => t.Name == "noise").Contribution;
            Property.Near(20 * Math.Sqrt(eta), noise, 1e-9, $"eta {eta}");
        }
    }

    [Fact]
    public void Predicted_final_loss_has_an_interior_optimum_in_the_peak_LR_below_p_1()
    {
        // The argument holds for any p > 0: progress saturates in the peak, the noise left at the end grows as peak^p.
        var gen = Gen.Select(Property.LogUniform(0.1, 2), Property.LogUniform(0.2, 0.9), Property.LogUniform(1e-3, 0.1), Property.LogUniform(10, 3000),
            Property.LogUniform(1, 100), Gen.Double[0.1, 0.8], Gen.Double[0.5, 1]);
        var law = new JointLaw();
        Property.ForAll(gen, x =>
        {
            var (a, alpha, sw, kappa, noise, cooldown, power) = x;
            var p = JointLawTests.Parameters(a: a, alpha: alpha, sw: sw, kappa: kappa, c: 0, stepNoise: noise);
            p[JointLaw.NoisePowerLog] = Math.Log(power);
            var shape = JointLawTests.Wsd(2000, 50, 1, cooldown);
            var opt = law.OptimalPeak(p, peak => [.. shape.Select(s => s * peak)], 1e-5, 1e1);
            Assert.True(opt.Interior, $"optimum at {opt.Peak}, p {power}");
            double Final(double peak) => law.PredictFinal(p, new ScheduleHistory([.. shape.Select(s => s * peak)]));
            Assert.True(opt.Loss < Final(1e-5) && opt.Loss < Final(1e1));
        }, iterations: 30);
    }

    [Fact]
    public void The_fit_picks_the_power_of_synthetic_data_from_the_grid()
    {
        var truth = JointLawTests.Parameters(kappa: 400, c: 0);
        truth[JointLaw.NoisePowerLog] = Math.Log(0.5);
        var train = JointLawTests.Synthetic(truth);
        // The grid and p = 1 as options of their own: the default fits both powers where identified (with the lag prior) since helper lagdefault.
        var grid = JointLawFitter.Fit(train, new JointFitOptions { NoisePowers = JointFitOptions.PowerGrid, NoisePowersWhereIdentified = false });
        var one = JointLawFitter.Fit(train, new JointFitOptions { NoisePowersWhereIdentified = false });
        Assert.Equal(Math.Log(0.5), grid.Parameters[JointLaw.NoisePowerLog], 12);
        Assert.Equal(0, one.Parameters[JointLaw.NoisePowerLog]);
        Assert.True(grid.Objective < 1e-9 && grid.Objective < one.Objective, $"grid {grid.Objective}, p = 1 {one.Objective}");
    }

    [Fact]
    public void Bad_powers_are_refused_and_keys_tell_the_powers_apart()
    {
        var curve = new JointCurve("c", new ScheduleHistory([.. Enumerable.Repeat(1e-3, 100)]), [50, 100], [3.5, 3.4]);
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit([curve], new JointFitOptions { NoisePowers = [0.0] }));
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit([curve], new JointFitOptions { NoisePowers = [] }));
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit([curve], new JointFitOptions { Noise = JointNoise.Clock, NoisePowers = [0.5] }));
        Assert.NotEqual(FitCacheKey.Of([curve], new JointFitOptions()), FitCacheKey.Of([curve], new JointFitOptions { NoisePowers = JointFitOptions.PowerGrid }));
        var targets = new[] { new FitTarget("c", curve.History, curve.Steps, curve.Loss) };
        Assert.NotEqual(FitCacheKey.Of(new JointLaw(), targets, new FitOptions()), FitCacheKey.Of(new JointLaw(new JointFitOptions { NoisePowers = [0.5] }), targets, new FitOptions()));
    }
}
