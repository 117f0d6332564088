using CsCheck;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Laws;

public sealed class OptLawTests
{
    private static double[] Wsd(int steps, int warmup, double peak, int decayFrom, double floor) =>
        Enumerable.Range(1, steps).Select(t => t <= warmup ? peak * t / warmup
            : t <= decayFrom ? peak : peak + (floor - peak) * (t - decayFrom) / (double)(steps - decayFrom)).ToArray();

    private static double[] Cosine(int steps, int warmup, double peak, double floor) =>
        Enumerable.Range(1, steps).Select(t => t <= warmup ? peak * t / warmup
            : floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * (t - warmup) / (steps - warmup)))).ToArray();

    private static double[] Step(int steps, int warmup, double peak, int at, double after) =>
        Enumerable.Range(1, steps).Select(t => t <= warmup ? peak * t / warmup : t <= at ? peak : after).ToArray();

    [Fact]
    public void NoiseFeatures_AreTheExponentialAverageOfTheDefinition()
    {
        var law = new OptLaw([1e-3, 0.05], [2e-4]);
        double[] lr = Cosine(600, 50, 1e-3, 1e-4);
        var h = new ScheduleHistory(lr);
        int[] steps = [1, 37, 300, 600];
        const double p = 0.8;
        var f = law.FeatureMatrix(h, steps, p);
        for (int s = 0; s < steps.Length; s++)
        {
            int t = steps[s];
            for (int m = 0; m < 2; m++)
            {
                // N_m(t) = sum_k (1 - d_k) level_k prod_{j=k+1..t} d_j with d_j = exp(-eta_j / tau_m).
                double tau = law.Lags[m], expected = 0;
                for (int k = 1; k <= t; k++)
                {
                    double level = OptLaw.ReferenceLr * Math.Pow(lr[k - 1] / OptLaw.ReferenceLr, p);
                    double decayAfter = Math.Exp(-(h.S1(t) - h.S1(k)) / tau);
                    expected += (1 - Math.Exp(-lr[k - 1] / tau)) * level * decayAfter;
                }
                Assert.Equal(expected, f[s, m], 14);
            }
            double escape = lr.Take(t).Sum(eta => eta * Math.Exp(-2e-4 / eta));
            Assert.Equal(escape, f[s, 2], 14);
        }
    }

    [Fact]
    public void NoiseFeatures_AtP1AndLongLagsAreTheSdeExcessLoss()
    {
        // For eta << tau, 1 - exp(-eta/tau) ~ eta/tau: N = (1/tau) sum_k eta_k^2 exp(-(S1(t) - S1(k))/tau) (schedule-laws.md).
        var law = new OptLaw([0.5], []);
        double[] lr = Wsd(3000, 100, 3e-4, 2000, 3e-5);
        var h = new ScheduleHistory(lr);
        var f = law.FeatureMatrix(h, [2500, 3000], 1);
        foreach (var (t, i) in new[] { (2500, 0), (3000, 1) })
        {
            double sde = 0;
            for (int k = 1; k <= t; k++) sde += lr[k - 1] * lr[k - 1] * Math.Exp(-(h.S1(t) - h.S1(k)) / 0.5) / 0.5;
            Property.Near(sde, f[i, 0], 1e-3, $"step {t}");
        }
    }

    [Fact]
    public void NoiseFeatures_SettleAtTheStationaryLevelUnderAConstantLr()
    {
        var law = new OptLaw([1e-3, 1e-2], []);
        var f = law.FeatureMatrix(new ScheduleHistory(Enumerable.Repeat(2e-4, 20000).ToArray()), [20000], 0.7);
        double level = OptLaw.ReferenceLr * Math.Pow(0.2, 0.7);
        Assert.Equal(level, f[0, 0], 12);
        Assert.Equal(level, f[0, 1], 8);
    }

    [Fact]
    public void Explain_TermsSumToThePrediction()
    {
        var law = new OptLaw();
        var h = new ScheduleHistory(Cosine(5000, 300, 6e-4, 6e-5));
        var gen = Gen.Select(Gen.Double[2, 4], Property.LogUniform(0.05, 2), Property.LogUniform(0.1, 1.5), Property.LogUniform(0.5, 1.2), Gen.Int[1, 5000], Gen.Int[0, int.MaxValue],
            (l0, a, alpha, pw, step, seed) => (l0, a, alpha, pw, step, seed));
        Property.ForAll(gen, s =>
        {
            var rng = new Random(s.seed);
            double[] p = [s.l0, s.a, s.alpha, 0.01, s.pw, .. law.Lags.Select(_ => rng.NextDouble() < 0.4 ? rng.NextDouble() * 100 : 0)];
            var y = new double[1];
            law.Predict(p, h, [s.step], y);
            var terms = law.Explain(p, h, s.step);
            Assert.Equal(y[0], terms.Sum(t => t.Contribution), 12);
            Assert.All(terms.Skip(2), t => Assert.StartsWith("noise[tau=", t.Name));
        }, iterations: 60);
    }

    [Fact]
    public void Fit_RecoversASyntheticLawAndPredictsAnUnseenSchedule()
    {
        var law = new OptLaw();
        double[] truth = [2.9, 0.6, 0.45, 0.05, 0.8, .. law.Lags.Select((tau, i) => i == 4 ? 150.0 : i == 7 ? 60.0 : 0)];
        FitTarget Curve(string name, double[] lr)
        {
            var h = new ScheduleHistory(lr);
            int[] steps = [.. Enumerable.Range(1, lr.Length / 100).Select(i => i * 100)];
            var y = new double[steps.Length];
            law.Predict(truth, h, steps, y);
            return new FitTarget(name, h, steps, y);
        }
        var train = new[]
        {
            Curve("constant", Step(12000, 500, 3e-4, 12000, 3e-4)),
            Curve("cosine", Cosine(12000, 500, 3e-4, 3e-5)),
            Curve("step", Step(8000, 500, 3e-4, 4000, 9e-5)),
        };
        var fit = LawFitter.Fit(law, train);
        Assert.Contains("variable projection", fit.StopReason);
        Assert.True(fit.Objective < 1e-11, $"objective {fit.Objective}");
        Assert.Equal(0.8, fit.Parameters[OptLaw.Power], 2);
        Assert.Equal(0.45, fit.Parameters[OptLaw.Alpha], 2);

        var test = Curve("wsd", Wsd(12000, 500, 3e-4, 10000, 3e-5));
        var predicted = fit.Predict(test.History, test.Steps);
        for (int i = 0; i < predicted.Length; i++) Property.Near(test.Loss[i], predicted[i], 2e-4, $"step {test.Steps[i]}");
    }

    [Fact]
    public void Fit_IsDeterministicAndKeepsTheSigns()
    {
        var law = new OptLaw(OptLaw.Grid(1e-3, 1, 1), [3e-4]);
        var rng = new Random(7);
        var lr = Cosine(6000, 300, 5e-4, 5e-5);
        var h = new ScheduleHistory(lr);
        int[] steps = [.. Enumerable.Range(1, 60).Select(i => i * 100)];
        double[] loss = [.. steps.Select(t => 3 + 2 * Math.Pow(h.S1(t), -0.4) + 40 * lr[t - 1] + 0.002 * (rng.NextDouble() - 0.5))];
        var targets = new[] { new FitTarget("noisy", h, steps, loss) };
        var a = LawFitter.Fit(law, targets);
        var b = LawFitter.Fit(law, targets);
        Assert.Equal(a.Parameters, b.Parameters);
        for (int k = 0; k < law.Lags.Count; k++) Assert.True(a.Parameters[OptLaw.FirstWeight + k] >= 0);
        Assert.True(a.Parameters[^1] <= 0, "escape weights lower the loss");
        Assert.True(a.Parameters[OptLaw.A] >= 0);
    }

    [Fact]
    public void Catalog_CreatesOptLawAndRejectsBadGrids()
    {
        Assert.IsType<OptLaw>(LawCatalog.Create("optlaw"));
        Assert.Throws<ArgumentException>(() => new OptLaw([], []));
        Assert.Throws<ArgumentException>(() => new OptLaw([0.1, -1], []));
        Assert.Throws<ArgumentException>(() => new OptLaw([0.1], [double.NaN]));
        var p = new double[new OptLaw().ParameterNames.Count - 1];
        Assert.Throws<ArgumentException>(() => new OptLaw().Predict(p, new ScheduleHistory([1e-3]), [1], new double[1]));
    }

    [Fact]
    public void Gradient_MatchesCentralDifferences()
    {
        var law = new OptLaw(OptLaw.Grid(1e-3, 1, 1), [3e-4]);
        var h = new ScheduleHistory(Wsd(4000, 200, 6e-4, 3000, 3e-5));
        int[] steps = [150, 1000, 3200, 4000];
        double[] p = [2.8, 0.7, 0.45, 0.02, 0.85, 40, 0, 25, 60, -0.5];
        int n = p.Length;
        var y = new double[steps.Length];
        var g = new double[steps.Length * n];
        law.PredictWithGradient(p, h, steps, y, g);
        var plain = new double[steps.Length];
        law.Predict(p, h, steps, plain);
        Assert.Equal(plain, y);
        for (int j = 0; j < n; j++)
        {
            var numeric = CentralDifference.Of(law, p, h, steps, j, 1e-6 * Math.Max(1, Math.Abs(p[j])));
            for (int i = 0; i < steps.Length; i++)
                Assert.True(Math.Abs(numeric[i] - g[i * n + j]) <= 1e-6 * Math.Max(1, Math.Abs(numeric[i])), $"d/d{law.ParameterNames[j]} at step {steps[i]}: {g[i * n + j]} vs {numeric[i]}");
        }
    }
}
