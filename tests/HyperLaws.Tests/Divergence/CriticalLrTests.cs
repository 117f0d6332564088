using CsCheck;
using HyperLaws.Divergence;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Tests.Divergence;

/// <summary>The divergence boundary on the peak-LR axis: recovery of a known rule, monotonicity as fitted, the API's identities.</summary>
public sealed class CriticalLrTests
{
    // eta_crit falls with N and batch, rises a little with tokens; logistic slope 10 (the width of the transition, 1/10 in ln LR, is a third of the grid's step).
    private static readonly CriticalLrRule Truth = new(Math.Log(6e-3), -0.4, -0.15, 0.1, 0, 10);

    private static DivergenceExample Run(double n, double batch, int steps, double peak, int warmup = 200)
    {
        var lr = Enumerable.Range(1, steps).Select(t => t <= warmup ? peak * t / warmup : peak * 0.5 * (1 + Math.Cos(Math.PI * (t - warmup) / (steps - warmup)))).ToArray();
        return DivergenceExample.FromSchedule(FormattableString.Invariant($"n{n}-b{batch}-s{steps}-p{peak}"), FormattableString.Invariant($"N={n},S={steps}"), n, batch, lr, false);
    }

    // A grid of (N, batch, steps) with peaks from 5e-4 to 5e-2, labelled by drawing from the true logistic (seeded).
    private static List<DivergenceExample> Synthetic(int seed)
    {
        var rng = new Random(seed);
        var list = new List<DivergenceExample>();
        foreach (double n in new[] { 5e7, 2e8, 8e8 })
            foreach (double b in new[] { 2.5e5, 1e6, 4e6 })
                foreach (int s in new[] { 1000, 4000 })
                    for (int i = 0; i < 24; i++)
                    {
                        var x = Run(n, b, s, 5e-4 * Math.Pow(100, i / 23.0));
                        double p = Truth.Probability(x.PeakLr, n, b, s * b, x.WarmupSteps);
                        list.Add(x with { Diverged = rng.NextDouble() < p });
                    }
        return list;
    }

    [Fact]
    public void The_fit_recovers_a_known_boundary_from_noisy_labels()
    {
        var data = Synthetic(7);
        var rule = CriticalLrFitter.Fit(data);
        // 432 noisy labels: exponents within 0.12 of the truth, the level within 15%, the slope within a factor 1.6.
        Assert.InRange(rule.B, Truth.B - 0.12, Truth.B + 0.12);
        Assert.InRange(rule.C, Truth.C - 0.12, Truth.C + 0.12);
        Assert.InRange(rule.E, Truth.E - 0.12, Truth.E + 0.12);
        Assert.InRange(Math.Exp(rule.A - Truth.A), 0.85, 1.15);
        Assert.InRange(rule.Slope / Truth.Slope, 1 / 1.6, 1.6);
        Assert.Equal(0, rule.W);
    }

    [Fact]
    public void The_fitted_boundary_falls_with_size_and_batch_as_its_exponents_say()
    {
        var model = DivergenceFitting.Fit(Synthetic(11));
        Assert.True(model.Rule.B < 0 && model.Rule.C < 0, $"B = {model.Rule.B}, C = {model.Rule.C}");
        Property.ForAll(Gen.Select(Property.LogUniform(1e7, 1e10), Property.LogUniform(1e5, 1e7), Property.LogUniform(1e9, 1e12), Gen.Double[1.01, 4]), c =>
        {
            double eta = model.CriticalPeakLr(c.Item1, c.Item2, c.Item3, 1000);
            Assert.True(model.CriticalPeakLr(c.Item1 * c.Item4, c.Item2, c.Item3, 1000) < eta);
            Assert.True(model.CriticalPeakLr(c.Item1, c.Item2 * c.Item4, c.Item3, 1000) < eta);
            // Exactly the power law: doubling N multiplies eta_crit by 2^B.
            Assert.Equal(Math.Pow(2, model.Rule.B), model.CriticalPeakLr(2 * c.Item1, c.Item2, c.Item3, 1000) / eta, 10);
        });
    }

    [Fact]
    public void The_verdict_is_the_peak_against_eta_crit_and_the_probability_is_its_logistic()
    {
        var model = new DivergenceModel(Truth);
        Property.ForAll(Gen.Select(Property.LogUniform(1e8, 1e9), Gen.Double[0.05, 1], Gen.Bool).Select(t => (t.Item1, t.Item3 ? Math.Exp(t.Item2) : Math.Exp(-t.Item2))), c =>
        {
            double eta = model.CriticalPeakLr(c.Item1, 1e6, 1000 * 1e6, 200);
            var p = model.Predict(Run(c.Item1, 1e6, 1000, eta * c.Item2));
            Assert.Equal(eta, p.EtaL, 12);
            Assert.Equal(c.Item2 > 1, p.Diverges);
            Assert.Equal(Math.Log(c.Item2), p.Margin, 9);
            Assert.Equal(1 / (1 + Math.Pow(c.Item2, -Truth.Slope)), p.Probability, 9);
            // The peak at a risk p is eta_crit (p/(1-p))^(1/k): P = 1/2 at eta_crit, a tenth at eta_crit 9^(-1/k).
            Assert.Equal(eta, Truth.PeakAtProbability(0.5, c.Item1, 1e6, 1e9, 200), 12);
            Assert.Equal(0.1, Truth.Probability(Truth.PeakAtProbability(0.1, c.Item1, 1e6, 1e9, 200), c.Item1, 1e6, 1e9, 200), 9);
        });
    }

    [Fact]
    public void The_fit_refuses_labels_without_an_LR_boundary()
    {
        var data = Synthetic(3);
        Assert.Throws<ArgumentException>(() => CriticalLrFitter.Fit(data.Select(x => x with { Diverged = false }).ToList()));
        Assert.Throws<ArgumentException>(() => CriticalLrFitter.Fit([]));
        // Labels that diverge at the LOW peaks: more LR, less divergence, no boundary on the LR axis.
        var inverted = data.Select(x => x with { Diverged = x.PeakLr < 3e-3 }).ToList();
        var e = Assert.Throws<ArgumentException>(() => CriticalLrFitter.Fit(inverted));
        Assert.Contains("LR axis", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Truth.CriticalPeakLr(-1, 1e6, 1e9, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => Truth.PeakAtProbability(1, 1e8, 1e6, 1e9, 100));
    }

    [Fact]
    public void The_screen_caps_a_plan_at_its_own_size_batch_and_length()
    {
        var model = new DivergenceModel(Truth);
        var screen = new DivergenceScreen(model, 3e8, 5e5);
        Assert.Equal(Truth.CriticalPeakLr(3e8, 5e5, 20000 * 5e5, 200), screen.CriticalPeakLr(20000, 200), 15);
        // Just below the cap a 20,000-step cosine trains, just above it diverges.
        double cap = screen.CriticalPeakLr(20000, 200);
        ScheduleHistoryOf(cap * 0.99, out var below);
        ScheduleHistoryOf(cap * 1.01, out var above);
        Assert.False(screen.Predict(below).Diverges);
        Assert.True(screen.Predict(above).Diverges);
        Assert.True(screen.PeakAtProbability(0.1, 20000, 200) < cap);
    }

    [Fact]
    public void The_screen_of_a_schedules_LRs_equals_the_screen_of_its_history()
    {
        var screen = new DivergenceScreen(new DivergenceModel(Truth), 3e8, 5e5);
        double cap = screen.CriticalPeakLr(20000, 200);
        foreach (double m in new[] { 0.5, 0.99, 1.01, 3 })
        {
            ScheduleHistoryOf(cap * m, out var history);
            var lr = Enumerable.Range(1, history.Steps).Select(history.Eta).ToArray();
            // A record: every field (eta_L, the peak, the areas, the ratio, the probability, the verdict) equal, bit for bit.
            Assert.Equal(screen.Predict(history), screen.Predict(lr));
        }
        var e = Assert.Throws<ArgumentException>(() => screen.Predict(new[] { 1e-3, -1e-4, 1e-3 }));
        Assert.Contains("step 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => screen.Predict(new[] { 1e-3, double.NaN }));
    }

    private static void ScheduleHistoryOf(double peak, out HyperLaws.Laws.ScheduleHistory history)
    {
        const int steps = 20000, warmup = 200;
        history = new HyperLaws.Laws.ScheduleHistory(Enumerable.Range(1, steps).Select(t => t <= warmup ? peak * t / warmup : peak * 0.5 * (1 + Math.Cos(Math.PI * (t - warmup) / (steps - warmup)))).ToArray());
    }
}
