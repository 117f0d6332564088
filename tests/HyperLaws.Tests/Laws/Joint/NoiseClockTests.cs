using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

public sealed class NoiseClockTests
{
    /// <summary>
    /// A random schedule of 50-4,000 steps: a linear warmup, then 1-5 segments (constant, linear or cosine decay to a
    /// random level, possibly 0, a step drop, a re-warmup), each at least one step long.
    /// </summary>
    private static double[] RandomSchedule(int seed)
    {
        var rng = new Random(seed);
        int steps = rng.Next(50, 4001);
        double peak = Math.Exp(rng.NextDouble() * Math.Log(1e-2 / 1e-4)) * 1e-4;
        var lr = new List<double>(steps);
        int warmup = rng.Next(0, steps / 5 + 1);
        for (int t = 1; t <= warmup; t++) lr.Add(peak * t / warmup);
        double level = peak;
        while (lr.Count < steps)
        {
            int length = Math.Min(steps - lr.Count, rng.Next(1, steps / 2 + 2));
            double target = rng.Next(4) == 0 ? 0 : level * rng.NextDouble();
            switch (rng.Next(5))
            {
                case 0: for (int i = 0; i < length; i++) lr.Add(level); break;
                case 1: for (int i = 1; i <= length; i++) lr.Add(level + (target - level) * i / length); level = target; break;
                case 2: for (int i = 1; i <= length; i++) lr.Add(target + (level - target) * 0.5 * (1 + Math.Cos(Math.PI * i / length))); level = target; break;
                case 3: level = target; for (int i = 0; i < length; i++) lr.Add(level); break;
                default: target = peak * (0.2 + rng.NextDouble()); for (int i = 1; i <= length; i++) lr.Add(level + (target - level) * i / length); level = target; break;
            }
        }
        return [.. lr];
    }

    [Fact]
    public void The_tree_evaluation_is_within_its_bound_of_the_term_by_term_sum_on_random_schedules()
    {
        // Property: M_clock from the Multi-Power Law's segment tree (the fit's and the prediction's evaluator) differs
        // from the exact O(t) sum -sum_k (eta_{k-1} - eta_k) G(eta_k^-gamma S_k(t)) by at most RelativeTolerance times
        // sum |eta_{k-1} - eta_k| (floating-point rounding of the O(t) reference aside), over the fit's ranges of beta
        // and gamma and C across six decades.
        var gen = CsCheck.Gen.Select(CsCheck.Gen.Int[0, int.MaxValue], Property.LogUniform(1e-2, 1e4), Property.LogUniform(NoiseClock.ShapeLo, NoiseClock.ShapeHi),
            CsCheck.Gen.Double[NoiseClock.ExponentLo, NoiseClock.ExponentHi]);
        Property.ForAll(gen, x =>
        {
            var (seed, c, beta, gamma) = x;
            var lr = RandomSchedule(seed);
            var h = new ScheduleHistory(lr);
            int[] at = [.. new[] { 1, lr.Length / 3, lr.Length / 2, lr.Length - 1, lr.Length }.Where(s => s >= 1).Distinct().Order()];
            var tree = new double[at.Length];
            NoiseClock.Level(h, at, 1, c, beta, gamma, tree);
            for (int i = 0; i < at.Length; i++)
            {
                int t = at[i];
                double abs = 0, etaMax = 0;
                for (int k = 1; k <= t; k++)
                {
                    abs += Math.Abs(h.Eta(k - 1) - h.Eta(k));
                    etaMax = Math.Max(etaMax, h.Eta(k));
                }
                double exact = NoiseClock.Exact(h, t, 1, c, beta, gamma);
                double bound = NoiseClock.RelativeTolerance * abs + 1e-14 * t * etaMax;
                Assert.True(Math.Abs(tree[i] - exact) <= bound, $"step {t}: tree {tree[i]:G17}, exact {exact:G17}, bound {bound:G3}");
            }
        }, iterations: 120);
    }

    [Fact]
    public void The_clock_level_is_the_MPL_drop_and_relaxes_to_the_LR_at_a_constant_LR()
    {
        // At a constant LR from step 1 (eta_0 = 0): M_clock(t) = eta G(eta^-gamma t eta) -> eta; the formula by hand.
        double eta = 1e-3, c = 2, beta = 0.6, gamma = 0.5;
        var h = new ScheduleHistory([.. Enumerable.Repeat(eta, 1000)]);
        var y = new double[3];
        NoiseClock.Level(h, [1, 100, 1000], 1, c, beta, gamma, y);
        int[] at = [1, 100, 1000];
        for (int i = 0; i < 3; i++)
            Property.Near(eta * (1 - Math.Pow(1 + c * Math.Pow(eta, -gamma) * at[i] * eta, -beta)), y[i], 1e-12, $"step {at[i]}");
        // gamma = 0 is the spectrum's intrinsic-time kernel (1 + x/lambda)^-b with lambda = 1/C (closed form).
        var lr = JointLawTests.Wsd(3000, 100, 1e-3, 0.4);
        var w = new ScheduleHistory(lr);
        double direct = 0;
        for (int k = 1; k <= 3000; k++)
        {
            double delta = w.Eta(k) - w.Eta(k - 1);
            if (delta != 0) direct += delta * (w.Eta(k) == 0 ? 1 : 1 - NoiseSpectrum.Kernel(w.S1(3000) - w.S1(k - 1), 1 / c, beta));
        }
        Property.Near(direct, NoiseClock.Exact(w, 3000, 1, c, beta, 0), 1e-12, "gamma = 0");
    }

    [Fact]
    public void A_coarse_history_with_a_stride_gives_the_clock_of_the_full_history()
    {
        double[] coarse = [.. Enumerable.Range(0, 60).Select(j => j < 5 ? 1e-3 * (j + 1) / 5 : j < 40 ? 1e-3 : 1e-3 * (60 - j) / 20.0)];
        double[] full = [.. coarse.SelectMany(x => Enumerable.Repeat(x, 10))];
        var a = new double[2];
        var b = new double[2];
        NoiseClock.Level(new ScheduleHistory(coarse), [45, 60], 10, 3, 0.7, 0.6, a);
        NoiseClock.Level(new ScheduleHistory(full), [450, 600], 1, 3, 0.7, 0.6, b);
        Property.Near(b[0], a[0], 1e-9, "stride 10, entry 45");
        Property.Near(b[1], a[1], 1e-9, "stride 10, entry 60");
    }

    /// <summary>The law's parameters with the clock noise on (free weights off).</summary>
    private static double[] ClockParameters(double a = 0.5, double kappa = 500, double c = 2, double w = 30, double v = 5, double clockC = 2, double beta = 0.6, double gamma = 0.5)
    {
        var p = JointLawTests.Parameters(a: a, kappa: kappa, c: c, timeNoise: 0, stepNoise: 0);
        p[JointLaw.ClockWeight] = w;
        p[JointLaw.NoiseLevel] = v;
        p[JointLaw.ClockScale] = clockC;
        p[JointLaw.ClockShape] = beta;
        p[JointLaw.ClockExponent] = gamma;
        return p;
    }

    [Fact]
    public void Prediction_with_the_clock_is_the_formula_and_its_terms_sum_to_it()
    {
        var lr = JointLawTests.Wsd(2000, 50, 1e-3, 0.3);
        var h = new ScheduleHistory(lr);
        var p = ClockParameters();
        var law = new JointLaw();
        var withClock = new double[1];
        law.Predict(p, h, [2000], withClock);
        var q = (double[])p.Clone();
        q[JointLaw.ClockWeight] = 0;
        q[JointLaw.NoiseLevel] = 0;
        var without = new double[1];
        law.Predict(q, h, [2000], without);
        double noise = p[JointLaw.ClockWeight] * NoiseClock.Exact(h, 2000, 1, p[JointLaw.ClockScale], p[JointLaw.ClockShape], p[JointLaw.ClockExponent]) + p[JointLaw.NoiseLevel] * h.Eta(2000);
        Assert.Equal(without[0] + noise, withClock[0], 1e-9);
        Assert.Equal(withClock[0], law.Explain(p, h, 2000).Sum(t => t.Contribution), 1e-12);
        Assert.Equal("gamma_clock", law.ParameterNames[JointLaw.ClockExponent]);
    }

    [Fact]
    public void A_fit_with_the_clock_recovers_a_clock_law_and_predicts_an_unseen_cooldown_length()
    {
        var truth = ClockParameters(kappa: 400, c: 1.5, w: 40, v: 10, clockC: 3, beta: 0.7, gamma: 0.6);
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
        var fit = JointLawFitter.Fit(train, new JointFitOptions { Noise = JointNoise.Clock });
        Assert.True(fit.Objective < 1e-8, $"objective {fit.Objective}");
        Assert.True(fit.Parameters[JointLaw.ClockWeight] > 0);
        Assert.Equal(0, fit.Parameters[JointLaw.NoiseTimeWeight]);
        Assert.Equal(0, fit.Parameters[JointLaw.FirstNoise]);
        foreach (double cd in new[] { 0.3, 0.8 })
        {
            var test = Curve(1e-3, cd, 4000);
            Property.Near(test.Loss[^1], fit.Predict(test.History, [test.Steps[^1]])[0], 5e-4, $"held-out cooldown {cd}");
        }
    }

    [Fact]
    public void With_clock_noise_the_predicted_final_loss_keeps_an_interior_optimum_in_the_peak_LR()
    {
        // Property (as JointLawTests' for the free weights and NoiseSpectrumTests' for the spectrum): saturation and no
        // cost; the clock's noise left at the end of a cooldown to 0. Scaling the peak by s scales the LRs by s and the
        // clock x = eta^-gamma S by s^(1 - gamma), so the noise left grows like s^(1 - (1 - gamma) beta) at large s when
        // (1 - gamma) beta < 1 (here gamma >= 0.4 and beta <= 1.5: at most 0.9), while the progress saturates. For the
        // minimum to fall inside [1e-5, 1e-1] the noise must relax on the run's scale, as in the other two properties
        // (lags of 1,000 steps, or lambda 100..3,000 steps, on 2,000): C = C' (1e-3)^gamma / S_ref with S_ref = 2 the LR
        // sum of the run at peak 1e-3, so C x = 1 after 1/C' of that run (C' from 1 to 30), beta >= 0.5 and W >= 3.
        // (A noise relaxed within a few steps leaves nothing at the end: the loss then falls up to the top of the range.)
        var gen = CsCheck.Gen.Select(Property.LogUniform(0.1, 2), Property.LogUniform(10, 3000), Property.LogUniform(3, 100),
            Property.LogUniform(1, 30), Property.LogUniform(0.5, 1.5), CsCheck.Gen.Double[0.4, 1], CsCheck.Gen.Double[0.1, 0.8]);
        var law = new JointLaw();
        Property.ForAll(gen, x =>
        {
            var (a, kappa, w, relative, beta, gamma, cooldown) = x;
            double clockC = relative * Math.Pow(1e-3, gamma) / 2;
            var p = ClockParameters(a: a, kappa: kappa, c: 0, w: w, v: 0, clockC: clockC, beta: beta, gamma: gamma);
            var shape = JointLawTests.Wsd(2000, 50, 1, cooldown);
            var opt = law.OptimalPeak(p, peak => [.. shape.Select(v => v * peak)], 1e-5, 1e-1);
            Assert.True(opt.Interior, $"optimum at {opt.Peak}");
            double Final(double peak) => law.PredictFinal(p, new ScheduleHistory([.. shape.Select(v => v * peak)]));
            Assert.True(opt.Loss < Final(1e-5) && opt.Loss < Final(1e-1));
        }, iterations: 25);
    }
}
