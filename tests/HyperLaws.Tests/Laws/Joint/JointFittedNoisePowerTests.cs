using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>The noise power p fitted as a continuous parameter (<see cref="JointFitOptions.FitNoisePower"/>) and dL/dp (<see cref="JointLaw.NoisePowerSlope"/>).</summary>
public sealed class JointFittedNoisePowerTests
{
    [Fact]
    public void Slope_in_p_matches_central_finite_differences()
    {
        // Sizes, batch, the LR's size scale and the memory's size exponent all on, so every factor of dL/dp is exercised.
        var random = new Random(11);
        var history = new ScheduleHistory(JointLawTests.Wsd(3000, 100, 2e-3, 0.3));
        var law = new JointLaw();
        foreach (double power in new[] { 0.3, 0.7, 1.0, 1.4 })
            foreach (int step in new[] { 500, 2500, 2800, 3000 })
            {
                var p = JointLawTests.Parameters(timeNoise: 5 + 30 * random.NextDouble(), stepNoise: 5 + 30 * random.NextDouble());
                p[JointLaw.FirstNoise + 4] = 10 * random.NextDouble();   // tau = 1: a slow intrinsic-time lag
                p[JointLaw.LrSizeExponent] = 0.3;
                p[JointLaw.NoiseSizeExponent] = 0.1;
                p[JointLaw.NoiseMemorySizeExponent] = -0.2;
                p[JointLaw.NoisePowerLog] = Math.Log(power);
                const double n = 3e8, b = 5e5, h = 1e-5;
                double slope = JointLaw.NoisePowerSlope(p, history, step, n, b);
                double At(double q)
                {
                    var x = (double[])p.Clone();
                    x[JointLaw.NoisePowerLog] = Math.Log(q);
                    return law.PredictFinalAt(x, history, step, n, b);
                }
                double fd = (At(power + h) - At(power - h)) / (2 * h);
                Assert.True(slope != 0, "the slope is not trivially 0");
                Property.Near(fd, slope, 1e-5 * Math.Abs(fd) + 1e-9, $"p {power}, step {step}");
            }
    }

    [Fact]
    public void Slope_is_zero_without_free_noise_weights()
    {
        var p = JointLawTests.Parameters(timeNoise: 0, stepNoise: 0);
        p[JointLaw.NoisePowerLog] = Math.Log(0.5);
        Assert.Equal(0, JointLaw.NoisePowerSlope(p, new ScheduleHistory(JointLawTests.Wsd(500, 20, 1e-3, 0.2)), 500));
    }

    [Fact]
    public void Off_by_default_and_off_is_the_law_as_before_bit_for_bit()
    {
        Assert.False(new JointFitOptions().FitNoisePower);
        var truth = JointLawTests.Parameters(kappa: 400, c: 0);
        var train = JointLawTests.Synthetic(truth);
        var before = JointLawFitter.Fit(train, new JointFitOptions());
        var off = JointLawFitter.Fit(train, new JointFitOptions { FitNoisePower = false });
        Assert.Equal(before.Parameters, off.Parameters);
        Assert.Equal(before.Objective, off.Objective);
        Assert.Equal(0, off.Parameters[JointLaw.NoisePowerLog]);
    }

    [Theory]
    [InlineData(0.6)]
    [InlineData(1.0)]
    [InlineData(1.25)]
    public void The_fit_recovers_the_power_of_synthetic_data(double power)
    {
        // Truth at a p that is neither a node of the fitter's interpolation nor (but for 1) a value of the old grid.
        var truth = JointLawTests.Parameters(kappa: 400, c: 0);
        truth[JointLaw.NoisePowerLog] = power == 1 ? 0 : Math.Log(power);
        var train = JointLawTests.Synthetic(truth);
        var fit = JointLawFitter.Fit(train, new JointFitOptions { FitNoisePower = true });
        double fitted = JointLaw.NoisePower(fit.Parameters);
        Assert.True(Math.Abs(fitted - power) < 0.02, $"fitted p {fitted}, truth {power}");
        Assert.True(fit.Objective < 1e-9, $"objective {fit.Objective}");
        Assert.Contains("noise power fitted", fit.StopReason, StringComparison.Ordinal);
        if (power != 1)
        {
            var one = JointLawFitter.Fit(train, new JointFitOptions());
            Assert.True(fit.Objective < one.Objective, $"fitted {fit.Objective}, p = 1 {one.Objective}");
        }
    }

    [Fact]
    public void Interpolated_columns_are_the_exact_features_at_p()
    {
        // The fitter's columns at p (barycentric interpolation over 16 Chebyshev nodes of [0.2, 1.5]) against the features computed at p:
        // a run with warmup from a tiny LR, LRs over three decades and a cooldown to 0, the batch known (u != 1), at powers between the nodes.
        var lrs = new double[6000];
        for (int t = 0; t < lrs.Length; t++)
            lrs[t] = t < 200 ? 3e-3 * (t + 1) / 200 : t < 2000 ? 3e-3 : t < 4000 ? 3e-5 + 1e-3 * Math.Abs(Math.Sin(t / 300.0)) : 3e-3 * (6000 - t - 1) / 2000.0;
        var history = new ScheduleHistory(lrs);
        int[] steps = [1, 50, 199, 1000, 2500, 3999, 4500, 5900, 5999, 6000];
        var curve = new JointCurve("c", history, steps, [.. steps.Select(_ => 3.0)]) { BatchTokens = 5e5 };
        double top = lrs.Max(), u = JointLaw.BatchFactor(5e5);
        foreach (double power in new[] { 0.2, 0.333, 0.47, 1.0, 1.21, 1.5 })
        {
            var at = JointLawFitter.InterpolatedNoise(curve, power);
            var exact = JointFeatures.Exact(history, steps, 0, noisePower: power);
            for (int i = 0; i < steps.Length; i++)
                for (int m = 0; m < JointLaw.NoiseCount; m++)
                {
                    // Absolute, in units of the run's floor scale u top^p (the interpolation's error bound; a feature near 0 has no relative accuracy to keep).
                    double error = Math.Abs(at[i, m] - u * exact.Noise[i, m]) / (u * Math.Pow(top, power));
                    Assert.True(error <= 1e-9, $"p {power}, step {steps[i]}, lag {m}: error {error:E2} of u top^p");
                }
        }
    }

    [Fact]
    public void Fitting_the_power_needs_the_free_noise()
    {
        var curve = new JointCurve("c", new ScheduleHistory([.. Enumerable.Repeat(1e-3, 100)]), [50, 100], [3.5, 3.4]);
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit([curve], new JointFitOptions { FitNoisePower = true, Noise = JointNoise.Spectrum }));
        Assert.NotEqual(HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions()), HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions { FitNoisePower = true }));
    }
}
