using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>
/// The prior on the noise lag spectrum (<see cref="JointFitOptions.NoiseLagPrior"/>, <see cref="NoiseLagPrior.Shares"/>): where p is fitted the free-lag
/// weights keep the prior's shares (one column, sum_m s_m N_m(p)), elsewhere the law as validated bit for bit.
/// </summary>
public sealed class JointNoiseLagPriorTests
{
    [Fact]
    public void The_prior_is_the_shares_fitted_once_on_protocol_17s_runs()
    {
        // Pinned: docs/VALIDATION.md, "Protocols 7 and 8: a prior on the noise lag spectrum from outside protocol 8's set" records the fit.
        double[] expected = [0, 0, 0.8815534041237585, 0, 0, 0, 0, 0, 0, 0.0257548757867009, 0.0926917200895406, 0];
        Assert.Equal(JointLaw.NoiseCount, NoiseLagPrior.Shares.Count);
        Assert.Equal(expected, NoiseLagPrior.Shares);
        Assert.Equal(1, NoiseLagPrior.Shares.Sum(), 12);
        Assert.Equal(0.01, JointLaw.TimeLags[2], 12);
        Assert.Equal(3000, JointLaw.StepLags[3]);
        Assert.Equal(10000, JointLaw.StepLags[4]);
        // On by default with both powers where identified (docs/VALIDATION.md, "The joint law's lag prior as the default").
        Assert.True(new JointFitOptions().NoiseLagPrior);
        Assert.True(new JointFitOptions().NoisePowersWhereIdentified);
    }

    [Fact]
    public void Where_p_is_fitted_the_weights_keep_the_priors_shares_and_reproduce_curves_of_that_spectrum()
    {
        var truth = JointLawTests.Parameters(kappa: 400, c: 0, timeNoise: 0, stepNoise: 0);
        for (int m = 0; m < JointLaw.NoiseCount; m++) truth[JointLaw.FirstNoise + m] = 10 * NoiseLagPrior.Shares[m];
        truth[JointLaw.NoisePowerLog] = Math.Log(0.6);
        truth[JointLaw.NoisePeakExponent] = -0.3;
        var train = JointLawTests.Synthetic(truth);
        Assert.True(JointLawFitter.NoisePowerIdentified(train));
        var options = new JointFitOptions { NoisePowersWhereIdentified = true, NoiseLagPrior = true, Mechanism = new JointMechanism(true, false) };
        var fit = JointLawFitter.Fit(train, options);
        Assert.Contains("noise lags at the prior's shares", fit.StopReason, StringComparison.Ordinal);
        double sum = Enumerable.Range(0, JointLaw.NoiseCount).Sum(m => fit.Parameters[JointLaw.FirstNoise + m]);
        Assert.True(sum > 0);
        for (int m = 0; m < JointLaw.NoiseCount; m++)
            Assert.Equal(NoiseLagPrior.Shares[m], fit.Parameters[JointLaw.FirstNoise + m] / sum, 12);
        Assert.InRange(JointLaw.NoisePower(fit.Parameters), 0.55, 0.65);
        foreach (var c in train)
        {
            var y = new double[c.Steps.Length];
            fit.Law.Predict(fit.Parameters, c.History, c.Steps, y);
            for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] / c.Loss[i] - 1) < 1e-3, $"{c.Name} step {c.Steps[i]}");
        }
    }

    [Fact]
    public void Where_p_is_not_fitted_the_option_changes_nothing_bit_for_bit()
    {
        var train = JointLawTests.Synthetic(JointLawTests.Parameters());
        // One peak LR: p is not identified, the twelve weights stay free.
        var onePeak = train.Where(c => c.Name.StartsWith("lr=0.001 ", StringComparison.Ordinal)).ToList();
        Assert.False(JointLawFitter.NoisePowerIdentified(onePeak));
        var plain = JointLawFitter.Fit(onePeak, new JointFitOptions { NoisePowersWhereIdentified = true });
        var prior = JointLawFitter.Fit(onePeak, new JointFitOptions { NoisePowersWhereIdentified = true, NoiseLagPrior = true });
        Assert.Equal(plain.Parameters, prior.Parameters);
        Assert.DoesNotContain("prior's shares", prior.StopReason, StringComparison.Ordinal);
        // p held at 1 (no power option): the option alone changes nothing either.
        var mechanism = new JointMechanism(true, false);
        Assert.Equal(JointLawFitter.Fit(train, new JointFitOptions { Mechanism = mechanism, NoisePowersWhereIdentified = false, NoiseLagPrior = false }).Parameters,
            JointLawFitter.Fit(train, new JointFitOptions { Mechanism = mechanism, NoisePowersWhereIdentified = false, NoiseLagPrior = true }).Parameters);
    }

    [Fact]
    public void One_p_fitted_keeps_the_twelve_weights_free_whatever_the_option()
    {
        // FitNoisePower (ensemble-lr's pooled member, protocols 17 and 3h) was validated with free weights; the lag prior's default does not reach it.
        var train = JointLawTests.Synthetic(JointLawTests.Parameters()).Take(6).ToList();
        var mechanism = new JointMechanism(true, false);
        // The options as they were before the default switch, against today's defaults.
        var off = JointLawFitter.Fit(train, new JointFitOptions { Mechanism = mechanism, FitNoisePower = true, NoisePowersWhereIdentified = false, NoiseLagPrior = false });
        var on = JointLawFitter.Fit(train, new JointFitOptions { Mechanism = mechanism, FitNoisePower = true });
        Assert.Equal(off.Parameters, on.Parameters);
        Assert.DoesNotContain("prior's shares", on.StopReason, StringComparison.Ordinal);
    }
}
