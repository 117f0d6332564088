using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>The noise power p fitted as a continuous parameter (<see cref="JointFitOptions.FitNoisePower"/>) and dL/dp (<see cref="JointLaw.NoisePowerSlope"/>).</summary>
public sealed class JointFittedNoisePowerTests
{
    /// <summary>The fitter's objective: the mean Huber loss (threshold delta) of the relative residuals of the law's own predictions, every point weighted 1.</summary>
    private static double LawObjective(double[] p, IReadOnlyList<JointCurve> curves, double delta = 1e-3)
    {
        var law = new JointLaw();
        double total = 0;
        int rows = 0;
        foreach (var c in curves)
        {
            var y = new double[c.Steps.Length];
            law.Predict(p, c.History, c.ModelSize, c.BatchTokens, c.Steps, y, c.Stride);
            for (int i = 0; i < y.Length; i++, rows++)
            {
                double r = Math.Abs((y[i] - c.Loss[i]) / c.Loss[i]);
                total += r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta);
            }
        }
        return total / rows;
    }

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
        // The fit's objective (on interpolated columns) is the law's own at the fitted parameters (features exact at p).
        double own = LawObjective(fit.Parameters, train);
        Assert.True(Math.Abs(own - fit.Objective) <= 1e-6 * Math.Max(own, 1e-12) + 1e-14, $"fit {fit.Objective}, law {own}");
        Assert.Contains("noise power fitted", fit.StopReason, StringComparison.Ordinal);
        if (power != 1)
        {
            var one = JointLawFitter.Fit(train, new JointFitOptions());
            Assert.True(fit.Objective < one.Objective, $"fitted {fit.Objective}, p = 1 {one.Objective}");
        }
    }

    [Fact]
    public void The_fit_objective_is_the_law_objective_on_noisy_data()
    {
        // Away from a perfect fit (noise on the losses) the interpolated columns still give the law's objective.
        var truth = JointLawTests.Parameters(kappa: 400, c: 0);
        truth[JointLaw.NoisePowerLog] = Math.Log(0.45);
        var random = new Random(5);
        var train = JointLawTests.Synthetic(truth).Select(c => c with { Loss = [.. c.Loss.Select(y => y * (1 + 2e-3 * (random.NextDouble() - 0.5)))] }).ToList();
        var fit = JointLawFitter.Fit(train, new JointFitOptions { FitNoisePower = true });
        double own = LawObjective(fit.Parameters, train);
        Assert.True(Math.Abs(own - fit.Objective) <= 1e-6 * own, $"fit {fit.Objective}, law {own}");
        double fitted = JointLaw.NoisePower(fit.Parameters);
        Assert.InRange(fitted, JointFitOptions.FittedPowerLo, JointFitOptions.FittedPowerHi);
    }

    [Fact]
    public void Fitting_the_power_needs_the_free_noise()
    {
        var curve = new JointCurve("c", new ScheduleHistory([.. Enumerable.Repeat(1e-3, 100)]), [50, 100], [3.5, 3.4]);
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit([curve], new JointFitOptions { FitNoisePower = true, Noise = JointNoise.Spectrum }));
        Assert.NotEqual(HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions()), HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions { FitNoisePower = true }));
    }
}
