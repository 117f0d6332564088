using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;
using static HyperLaws.Tests.Laws.Joint.JointLawTests;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>omega, the joint law's cost data exponent (<see cref="JointLaw.CostDataExponent"/>): the cost C z^c_N (D_t/1e10)^omega K.</summary>
public sealed class JointCostDataScaleTests
{
    private static double[] WithOmega(double omega)
    {
        var p = Parameters(kappa: 400, c: 1.5, timeNoise: 0);
        p[JointLaw.CostDataExponent] = omega;
        return p;
    }

    private static double CostTerm(double[] p, ScheduleHistory h, int step, double batch) =>
        new JointLaw().Explain(p, h, step, double.NaN, batch).Single(t => t.Name == "cost").Contribution;

    [Fact]
    public void The_parameter_is_named_free_in_sign_and_read_as_zero_when_absent()
    {
        var law = new JointLaw();
        Assert.Equal("omega_cost", law.ParameterNames[JointLaw.CostDataExponent]);
        Assert.Equal(JointLaw.NoiseClockPower + 1, JointLaw.CostDataExponent);   // appended after the parameters before it (b_eta comes after): older vectors stay valid prefixes
        Assert.False(law.Positive[JointLaw.CostDataExponent]);
        Assert.Contains("omega_cost", JointLaw.ZeroWhenAbsent);
        Assert.Equal(1, JointLaw.CostDataFactor(WithOmega(0), 1000, 1e5));
        Assert.Equal(Math.Pow(1000 * 1e5 / 1e10, -0.4), JointLaw.CostDataFactor(WithOmega(-0.4), 1000, 1e5), 14);
        // Unknown batch: B_ref = 1e6 tokens per step.
        Assert.Equal(JointLaw.CostDataFactor(WithOmega(-0.4), 1000, 1e6), JointLaw.CostDataFactor(WithOmega(-0.4), 1000, double.NaN));
    }

    [Fact]
    public void At_D_ref_the_cost_is_C_K_and_elsewhere_the_loss_moves_by_C_K_times_the_factor_minus_one()
    {
        var law = new JointLaw();
        var h = new ScheduleHistory(Wsd(2000, 100, 2e-3, 0.4));
        const double batch = 1e7;                      // step 1000 is D_t = 1e10 = D_ref
        var p0 = WithOmega(0);
        foreach (double omega in new[] { -0.7, 0.3 })
        {
            var p = WithOmega(omega);
            Assert.Equal(CostTerm(p0, h, 1000, batch), CostTerm(p, h, 1000, batch), 14);
            int[] steps = [50, 1000, 1500, 2000];
            var y = new double[steps.Length];
            var y0 = new double[steps.Length];
            law.Predict(p, h, double.NaN, batch, steps, y);
            law.Predict(p0, h, double.NaN, batch, steps, y0);
            for (int i = 0; i < steps.Length; i++)
            {
                double factor = Math.Pow(steps[i] * batch / JointLaw.ReferenceTokens, omega);
                Property.Near(CostTerm(p0, h, steps[i], batch) * (factor - 1), y[i] - y0[i], 1e-12, $"step {steps[i]}");
                Assert.True(CostTerm(p0, h, steps[i], batch) > 0);
            }
        }
    }

    [Fact]
    public void The_fit_recovers_omega_from_three_horizons_and_three_LRs_only_when_asked_and_leaves_one_horizon_bit_for_bit()
    {
        var truth = WithOmega(-0.5);
        const double batch = 1e6;
        var curves = ThreeHorizonsThreeLrs(truth, batch);
        var on = new JointFitOptions { NoisePowersWhereIdentified = false, Noise = JointNoise.Free, CostDataScale = true };
        var off = new JointFitOptions { NoisePowersWhereIdentified = false, Noise = JointNoise.Free };
        var fit = JointLawFitter.Fit(curves, on);
        Assert.Contains("omega (cost's data exponent) fitted", fit.StopReason, StringComparison.Ordinal);
        Assert.True(fit.Objective < 1e-8, $"objective {fit.Objective}");
        Property.Near(-0.5, fit.Parameters[JointLaw.CostDataExponent], 0.05, "omega");
        Assert.Equal(0, JointLawFitter.Fit(curves, off).Parameters[JointLaw.CostDataExponent]);
        // One horizon: omega is not searched, and the fit is the option-off fit bit for bit.
        var one = curves.Where(c => c.History.Steps == 2000).ToList();
        var fitOne = JointLawFitter.Fit(one, on);
        Assert.DoesNotContain("omega", fitOne.StopReason, StringComparison.Ordinal);
        Assert.Equal(JointLawFitter.Fit(one, off).Parameters, fitOne.Parameters);
    }
}
