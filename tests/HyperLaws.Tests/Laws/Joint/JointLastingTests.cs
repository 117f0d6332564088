using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>The lasting part set by the peak LR (<see cref="JointFitOptions.LastingLr"/>, <see cref="JointLaw.LastingWeight"/>, <see cref="JointLaw.LastingScale"/>).</summary>
public sealed class JointLastingTests
{
    /// <summary>The shared test vector with the lasting term set.</summary>
    private static double[] WithLasting(double g, double kappaL, double kappa = 500, double c = 2, double stepNoise = 30)
    {
        var p = JointLawTests.Parameters(kappa: kappa, c: c, stepNoise: stepNoise);
        p[JointLaw.LastingWeight] = g;
        p[JointLaw.LastingScale] = kappaL;
        return p;
    }

    [Fact]
    public void The_parameters_are_appended_and_named()
    {
        var law = new JointLaw();
        Assert.Equal("G_lasting", law.ParameterNames[JointLaw.LastingWeight]);
        Assert.Equal("kappa_lasting", law.ParameterNames[JointLaw.LastingScale]);
        Assert.Equal(JointLaw.LastingWeight + 1, JointLaw.LastingScale);
        Assert.Equal(JointLaw.NoiseSizeExponent + 1, JointLaw.LastingWeight);
        Assert.False(law.Positive[JointLaw.LastingWeight]);
        Assert.True(law.Positive[JointLaw.LastingScale]);
    }

    [Fact]
    public void Prediction_adds_G_times_g_of_the_peak_so_far_and_nothing_else()
    {
        // Warmup to 2e-3, a dip to 5e-4, back to 1e-3, a cooldown: the peak so far is the running maximum, not the current LR.
        var lrs = Enumerable.Range(1, 1200).Select(t => t <= 100 ? 2e-3 * t / 100 : t <= 400 ? 5e-4 : t <= 900 ? 1e-3 : 1e-3 * (1200 - t) / 300.0).ToArray();
        var history = new ScheduleHistory(lrs);
        int[] steps = [10, 50, 100, 300, 600, 1200];
        var law = new JointLaw();
        foreach (double kappaL in new[] { 0.0, 300.0, 2000.0 })
        {
            var without = WithLasting(0, kappaL);
            var with = WithLasting(-75, kappaL);
            var y0 = new double[steps.Length];
            var y1 = new double[steps.Length];
            law.Predict(without, history, steps, y0);
            law.Predict(with, history, steps, y1);
            for (int i = 0; i < steps.Length; i++)
            {
                double peak = lrs.Take(steps[i]).Max();
                Property.Near(y0[i] - 75 * peak / (1 + kappaL * peak), y1[i], 1e-13, $"kappa_l {kappaL}, step {steps[i]}");
            }
            var terms = law.Explain(with, history, 1200);
            Property.Near(y1[^1], terms.Sum(t => t.Contribution), 1e-12, "terms sum to the prediction");
            Property.Near(-75 * 2e-3 / (1 + kappaL * 2e-3), terms.Single(t => t.Name == "lasting").Contribution, 1e-12, "lasting term");
        }
        // G = 0: no lasting term listed, and the law before bit for bit (the old vector, without the two parameters, gives the same).
        Assert.DoesNotContain(law.Explain(WithLasting(0, 300), history, 1200), t => t.Name == "lasting");
    }

    [Fact]
    public void A_cooldown_removes_the_noise_but_not_the_lasting_part()
    {
        // Constant at eta against the same run with a cooldown: the lasting contributions are equal (the peak is unchanged).
        var law = new JointLaw();
        var p = WithLasting(-60, 800);
        foreach (double eta in new[] { 3e-4, 1e-3, 3e-3 })
        {
            var constant = new ScheduleHistory([.. Enumerable.Repeat(eta, 3000)]);
            var cooled = new ScheduleHistory(JointLawTests.Wsd(3000, 1, eta, 0.3));
            double Lasting(ScheduleHistory h) => law.Explain(p, h, 3000).Single(t => t.Name == "lasting").Contribution;
            Assert.Equal(Lasting(constant), Lasting(cooled));
            Property.Near(-60 * eta / (1 + 800 * eta), Lasting(constant), 1e-12, $"eta {eta}");
        }
    }

    [Fact]
    public void Predicted_final_loss_keeps_an_interior_optimum_in_the_peak_LR_with_a_lasting_term_of_either_sign()
    {
        // g is bounded by 1/kappa_l, while the cost K and the noise left at the end grow linearly in the peak: the rising branch
        // survives any G. The scan reaches 1e4 so that the linear growth (C K >= 0.01 x peak) outweighs |G|/kappa_l <= 20 nats.
        var gen = Gen.Select(Property.LogUniform(0.1, 2), Property.LogUniform(1e-3, 0.1), Property.LogUniform(10, 3000), Property.LogUniform(0.01, 10),
            Gen.Double[-200, 200], Property.LogUniform(10, 1e4), Gen.Double[0.1, 0.8]);
        var law = new JointLaw();
        Property.ForAll(gen, x =>
        {
            var (a, sw, kappa, c, g, kappaL, cooldown) = x;
            var p = WithLasting(g, kappaL, kappa, c);
            p[JointLaw.A] = a;
            p[JointLaw.Sw] = sw;
            var shape = JointLawTests.Wsd(2000, 50, 1, cooldown);
            var opt = law.OptimalPeak(p, peak => [.. shape.Select(s => s * peak)], 1e-5, 1e4);
            Assert.True(opt.Interior, $"optimum at {opt.Peak} (G {g}, kappa_l {kappaL})");
            double Final(double peak) => law.PredictFinal(p, new ScheduleHistory([.. shape.Select(s => s * peak)]));
            Assert.True(opt.Loss < Final(1e-5) && opt.Loss < Final(1e4));
        }, iterations: 30);
    }

    [Fact]
    public void The_fit_recovers_a_lasting_term_tied_to_kappa_and_leaves_it_off_when_not_asked()
    {
        var truth = WithLasting(-40, 400, kappa: 400, c: 0);
        var train = JointLawTests.Synthetic(truth);
        // A p = 1 truth: the fit as the law before (both powers where identified, the default since helper lagdefault, off).
        var fit = JointLawFitter.Fit(train, new JointFitOptions { NoisePowersWhereIdentified = false, LastingLr = true });
        var off = JointLawFitter.Fit(train, new JointFitOptions { NoisePowersWhereIdentified = false });
        Assert.Contains("lasting G fitted", fit.StopReason, StringComparison.Ordinal);
        Assert.True(fit.Objective < 1e-9 && fit.Objective < off.Objective, $"with {fit.Objective}, without {off.Objective}");
        Property.Near(-40, fit.Parameters[JointLaw.LastingWeight], 0.05, "G");
        Assert.Equal(fit.Parameters[JointLaw.Kappa], fit.Parameters[JointLaw.LastingScale]);
        Assert.Equal(0, off.Parameters[JointLaw.LastingWeight]);
        Assert.Equal(0, off.Parameters[JointLaw.LastingScale]);
    }

    [Fact]
    public void The_own_scale_fits_a_lasting_term_the_tied_one_cannot()
    {
        // Truth with kappa_l well below kappa (nearly linear over the data): the tied fit cannot represent it, the own scale can.
        var truth = WithLasting(-40, 50, kappa: 400, c: 0);
        var train = JointLawTests.Synthetic(truth);
        // A p = 1 truth: the fit as the law before (both powers where identified, the default since helper lagdefault, off).
        var own = JointLawFitter.Fit(train, new JointFitOptions { NoisePowersWhereIdentified = false, LastingLr = true, LastingOwnScale = true });
        var tied = JointLawFitter.Fit(train, new JointFitOptions { NoisePowersWhereIdentified = false, LastingLr = true });
        Assert.True(own.Objective < 1e-8 && own.Objective < 0.1 * tied.Objective, $"own {own.Objective}, tied {tied.Objective}");
        Assert.True(own.Parameters[JointLaw.LastingWeight] < 0);
        // The bound: kappa_l >= 0.1 / the largest LR in the data (3e-3).
        Assert.True(own.Parameters[JointLaw.LastingScale] >= JointFitOptions.LastingScaleFloor / 3e-3 * (1 - 1e-12));
    }

    [Fact]
    public void With_one_peak_LR_the_lasting_term_is_off_like_the_other_LR_mechanisms()
    {
        var truth = WithLasting(0, 0, kappa: 0, c: 0);
        var law = new JointLaw();
        var train = new List<JointCurve>();
        foreach (double cd in new[] { 0.1, 0.3, 0.5 })
        {
            var h = new ScheduleHistory(JointLawTests.Wsd(3000, 100, 1e-3, cd));
            int[] at = [.. Enumerable.Range(1, 30).Select(i => i * 100)];
            var y = new double[at.Length];
            law.Predict(truth, h, at, y);
            train.Add(new JointCurve($"cd={cd}", h, at, y));
        }
        var fit = JointLawFitter.Fit(train, new JointFitOptions { LastingLr = true, LastingOwnScale = true });
        Assert.DoesNotContain("lasting", fit.StopReason, StringComparison.Ordinal);
        Assert.Equal(0, fit.Parameters[JointLaw.LastingWeight]);
        Assert.Equal(0, fit.Parameters[JointLaw.LastingScale]);
    }

    [Fact]
    public void A_saved_joint_fit_from_before_the_lasting_term_reads_it_as_zero_and_predicts_as_before()
    {
        var law = new JointLaw();
        var p = JointLawTests.Parameters();
        var old = law.ParameterNames.Select((n, i) => (n, i)).Where(x => x.n is not ("G_lasting" or "kappa_lasting")).ToDictionary(x => x.n, x => p[x.i]);
        var (back, q) = new HyperLaws.Fitting.FittedLawDocument("joint", old, 0, true, "", []).Instantiate();
        Assert.IsType<JointLaw>(back);
        Assert.Equal(p, q);
        Assert.Equal(0, q[JointLaw.LastingWeight]);
        var history = new ScheduleHistory(JointLawTests.Wsd(2000, 50, 1e-3, 0.2));
        Assert.Equal(law.PredictFinal(p, history), ((JointLaw)back).PredictFinal(q, history));
    }

    [Fact]
    public void Options_that_key_the_fit_cache_tell_the_lasting_variants_apart()
    {
        var curve = new JointCurve("c", new ScheduleHistory([.. Enumerable.Repeat(1e-3, 100)]), [50, 100], [3.5, 3.4]);
        var plain = HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions());
        var tied = HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions { LastingLr = true });
        var own = HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions { LastingLr = true, LastingOwnScale = true });
        Assert.NotEqual(plain, tied);
        Assert.NotEqual(tied, own);
    }
}
