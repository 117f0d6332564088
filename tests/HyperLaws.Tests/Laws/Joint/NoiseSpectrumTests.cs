using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

public sealed class NoiseSpectrumTests
{
    /// <summary>The mixture's kernel sum_m w_m exp(-x/L_m) (+ w_0 at x = 0) at a lag x.</summary>
    private static double Mixed(double[] lags, double lambda, double b, double x)
    {
        var w = new double[lags.Length];
        double w0 = NoiseSpectrum.Weights(lags, lambda, b, w);
        double k = x == 0 ? w0 : 0;
        for (int m = 0; m < lags.Length; m++) k += w[m] * Math.Exp(-x / lags[m]);
        return k;
    }

    [Fact]
    public void Weights_sum_to_one_and_the_mixture_is_the_closed_form_kernel()
    {
        // Property: for scales and exponents inside the fitter's bounds, the exponential mixture reproduces
        // (1 + x/lambda)^-b to 5e-5 (absolute; 1e-5 measured at b = 5) over the grid's span, less the slow tail put on the longest lag
        // (bounded by its weight times x / L_max).
        var lags = NoiseSpectrum.StepLags;
        var (lo, hi) = NoiseSpectrum.ScaleRange(true);
        var gen = CsCheck.Gen.Select(Property.LogUniform(lo, hi), Property.LogUniform(NoiseSpectrum.ShapeLo, NoiseSpectrum.ShapeHi), Property.LogUniform(lags[0] * 3, lags[^1] / 3));
        Property.ForAll(gen, s =>
        {
            var (lambda, b, x) = s;
            var w = new double[lags.Length];
            double w0 = NoiseSpectrum.Weights(lags, lambda, b, w);
            Assert.True(w0 >= 0 && w.All(v => v >= 0));
            Assert.Equal(1, w0 + w.Sum(), 12);
            Assert.Equal(1, Mixed(lags, lambda, b, 0), 12);
            // Components faster than the grid (weight w0) have decayed by exp(-3) at least at x >= 3 L_min.
            double tail = w[^1] * x / lags[^1] + w0 * Math.Exp(-x / lags[0]);
            double error = Math.Abs(Mixed(lags, lambda, b, x) - NoiseSpectrum.Kernel(x, lambda, b));
            Assert.True(error <= 5e-5 + tail, $"x {x}: mixture {Mixed(lags, lambda, b, x)}, closed form {NoiseSpectrum.Kernel(x, lambda, b)}");
        }, iterations: 100);
    }

    [Fact]
    public void Relaxation_features_equal_the_MPL_drop_form_summed_step_by_step()
    {
        // M(t) = sum_k (eta_k - eta_{k-1}) (1 - k(n)), n = t - k + 1 the updates since step k: the relaxation
        // N_L(t) = d N_L(t-1) + (1 - d) eta_t with d = exp(-1/L) keeps d^n of a change made at step k (summation by
        // parts), so the mixed features equal the MPL drop form with the mixture's kernel exactly, and with the
        // closed-form kernel to the quadrature's accuracy.
        var lr = JointLawTests.Wsd(3000, 100, 1e-3, 0.4);
        var h = new ScheduleHistory(lr);
        int[] at = [500, 1800, 2400, 3000];
        double lambdaT = 3e-2, lambdaS = 400, b = 0.7;
        var raw = NoiseSpectrum.Features(h, at);
        var mt = new double[at.Length];
        var ms = new double[at.Length];
        NoiseSpectrum.Mix(raw, lambdaT, lambdaS, b, mt, ms);
        for (int i = 0; i < at.Length; i++)
        {
            int t = at[i];
            double direct = 0, closed = 0;
            for (int k = 1; k <= t; k++)
            {
                double delta = lr[k - 1] - (k > 1 ? lr[k - 2] : 0);
                if (delta == 0) continue;
                // A step-k change has relaxed for (t - k + 1) updates: N_L keeps d^(t-k+1) of it.
                double n = t - k + 1;
                direct += delta * (1 - Mixed(NoiseSpectrum.StepLags, lambdaS, b, n));
                closed += delta * (1 - NoiseSpectrum.Kernel(n, lambdaS, b));
            }
            Assert.Equal(direct, ms[i], 1e-12);
            // The closed-form kernel differs only by the quadrature (and the instantaneous part at n >= 1).
            Assert.True(Math.Abs(closed - ms[i]) <= 2e-3 * 1e-3, $"step {t}: closed form {closed}, mixture {ms[i]}");
            Assert.True(mt[i] > 0);
        }
    }

    [Fact]
    public void A_fit_with_the_spectrum_recovers_a_spectrum_law_and_the_free_option_still_fits()
    {
        var truth = JointLawTests.Parameters(kappa: 400, c: 1.5, timeNoise: 0, stepNoise: 0);
        truth[JointLaw.NoiseStepWeight] = 30;
        truth[JointLaw.NoiseStepScale] = 500;
        truth[JointLaw.NoiseTimeWeight] = 5;
        truth[JointLaw.NoiseTimeScale] = 1e-2;
        truth[JointLaw.NoiseShape] = 0.8;
        var law = new JointLaw();
        JointCurve Curve(double peak, double cooldown, int steps)
        {
            var hist = new ScheduleHistory(JointLawTests.Wsd(steps, 100, peak, cooldown));
            int[] at = [.. Enumerable.Range(1, steps / 100).Select(i => i * 100)];
            var y = new double[at.Length];
            law.Predict(truth, hist, at, y);
            return new JointCurve($"lr={peak} cd={cooldown}", hist, at, y);
        }
        var train = new List<JointCurve>();
        foreach (double peak in new[] { 3e-4, 1e-3, 3e-3 })
            foreach (double cd in new[] { 0.1, 0.5 })
                train.Add(Curve(peak, cd, 4000));
        var fit = JointLawFitter.Fit(train, new JointFitOptions { Noise = JointNoise.Spectrum });
        Assert.True(fit.Objective < 1e-8, $"objective {fit.Objective}");
        // A cooldown length never seen: the kernel carries the drop's dependence on it.
        var test = Curve(1e-3, 0.3, 4000);
        Property.Near(test.Loss[^1], fit.Predict(test.History, [test.Steps[^1]])[0], 5e-4, "held-out cooldown");
        var free = JointLawFitter.Fit(train, new JointFitOptions { Noise = JointNoise.Free });
        Assert.True(double.IsFinite(free.Objective));
        Assert.Equal(0, free.Parameters[JointLaw.NoiseTimeWeight]);
        Assert.Equal(0, free.Parameters[JointLaw.NoiseStepWeight]);
    }

    [Fact]
    public void With_spectrum_noise_the_predicted_final_loss_keeps_an_interior_optimum_in_the_peak_LR()
    {
        // Property (as JointLawTests' for the free weights): saturation plus noise relaxed with the MPL kernel in
        // steps on the run's scale (lambda 100..3,000 steps on 2,000) leaves an interior minimum over the peak of a WSD shape,
        // lower than both ends. (With lambda far beyond the run, or b small, the noise builds up as slowly as it
        // relaxes: (1 + 2000/746)^-0.16 = 0.81 of it never arrives in 2,000 steps, and with a small weight the
        // minimum can lie above 0.1; hence b >= 0.5 and W >= 3 here.)
        var gen = CsCheck.Gen.Select(Property.LogUniform(0.1, 2), Property.LogUniform(10, 3000), Property.LogUniform(3, 100),
            Property.LogUniform(100, 3000), Property.LogUniform(0.5, NoiseSpectrum.ShapeHi), CsCheck.Gen.Double[0.1, 0.8]);
        var law = new JointLaw();
        Property.ForAll(gen, x =>
        {
            var (a, kappa, w, lambda, b, cooldown) = x;
            var p = JointLawTests.Parameters(a: a, kappa: kappa, c: 0, timeNoise: 0, stepNoise: 0);
            p[JointLaw.NoiseStepWeight] = w;
            p[JointLaw.NoiseStepScale] = lambda;
            p[JointLaw.NoiseShape] = b;
            p[JointLaw.NoiseTimeScale] = 1e-2;
            var shape = JointLawTests.Wsd(2000, 50, 1, cooldown);
            var opt = law.OptimalPeak(p, peak => [.. shape.Select(v => v * peak)], 1e-5, 1e-1);
            Assert.True(opt.Interior, $"optimum at {opt.Peak}");
            double Final(double peak) => law.PredictFinal(p, new ScheduleHistory([.. shape.Select(v => v * peak)]));
            Assert.True(opt.Loss < Final(1e-5) && opt.Loss < Final(1e-1));
        }, iterations: 25);
    }
}
