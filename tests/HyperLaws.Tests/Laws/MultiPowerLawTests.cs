using CsCheck;
using HyperLaws.Laws;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

public sealed class MultiPowerLawTests
{
    /// <summary>A schedule with a linear warmup, then one of: constant, cosine to a floor, a step drop, linear decay to zero.</summary>
    private static readonly Gen<double[]> Schedules =
        Gen.Select(Gen.Int[1, 400], Gen.Int[500, 6000], Gen.Int[0, 3], LogUniform(1e-4, 3e-3), Gen.Double[0, 0.5])
            .Select(t =>
            {
                var (warmup, steps, shape, peak, floorFraction) = t;
                var lr = new double[steps];
                for (int s = 1; s <= steps; s++)
                {
                    double p = s <= warmup ? 0 : (s - warmup) / (double)(steps - warmup);
                    lr[s - 1] = s <= warmup ? peak * s / warmup : shape switch
                    {
                        0 => peak,
                        1 => peak * floorFraction + peak * (1 - floorFraction) * 0.5 * (1 + Math.Cos(Math.PI * p)),
                        2 => p < 0.6 ? peak : peak * floorFraction,
                        _ => peak * (1 - p),
                    };
                }
                return lr;
            });

    private static readonly Gen<double[]> Parameters =
        Gen.Select(Gen.Double[2, 4], Gen.Double[0.2, 1], Gen.Double[0.3, 0.7], LogUniform(50, 1000), Gen.Double[0.5, 4], Gen.Double[0.3, 0.9], Gen.Double[0.3, 0.9])
            .Select(t => new[] { t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7 });

    [Fact]
    public void TreeEvaluationStaysWithinItsStatedBoundOfTheExactSum() =>
        ForAll(Gen.Select(Schedules, Parameters), t =>
        {
            var (lr, p) = t;
            var h = new ScheduleHistory(lr);
            var law = new MultiPowerLaw(tolerance: 1e-6);
            int[] steps = Enumerable.Range(1, 40).Select(i => Math.Max(1, i * h.Steps / 40)).Distinct().ToArray();
            var fast = new double[steps.Length];
            law.Predict(p, h, steps, fast);
            for (int i = 0; i < steps.Length; i++)
            {
                int s = steps[i];
                double exact = p[MultiPowerLaw.L0] + p[MultiPowerLaw.A] * Math.Pow(h.S1(s), -p[MultiPowerLaw.Alpha])
                               - p[MultiPowerLaw.B] * MultiPowerLaw.ExactLossDropOverB(h, s, p[MultiPowerLaw.C], p[MultiPowerLaw.Beta], p[MultiPowerLaw.Gamma]);
                Assert.True(Math.Abs(fast[i] - exact) <= 1e-6 * (1 + 1e-9), $"step {s}: tree {fast[i]:R} vs exact {exact:R}");
            }
        }, iterations: 60);

    [Fact]
    public void GradientMatchesCentralDifferencesOfTheExactSum() =>
        ForAll(Gen.Select(Schedules, Parameters), t =>
        {
            var (lr, p) = t;
            var h = new ScheduleHistory(lr);
            var law = new MultiPowerLaw(tolerance: 0);
            int[] steps = Enumerable.Range(1, 12).Select(i => Math.Max(1, i * h.Steps / 12)).Distinct().ToArray();
            var y = new double[steps.Length];
            var g = new double[steps.Length * 7];
            law.PredictWithGradient(p, h, steps, y, g);
            var plain = new double[steps.Length];
            law.Predict(p, h, steps, plain);
            var up = new double[steps.Length];
            var down = new double[steps.Length];
            for (int j = 0; j < 7; j++)
            {
                double step = 1e-5 * Math.Abs(p[j]);
                var q = p.ToArray();
                q[j] = p[j] + step; law.Predict(q, h, steps, up);
                q[j] = p[j] - step; law.Predict(q, h, steps, down);
                double scale = 0;
                for (int i = 0; i < steps.Length; i++) scale = Math.Max(scale, Math.Abs(g[i * 7 + j]));
                for (int i = 0; i < steps.Length; i++)
                {
                    double fd = (up[i] - down[i]) / (2 * step);
                    Assert.True(Math.Abs(fd - g[i * 7 + j]) <= 1e-6 * scale + 1e-9 / step,
                        $"parameter {j}, step {steps[i]}: analytic {g[i * 7 + j]:R} vs central difference {fd:R}");
                }
            }
            for (int i = 0; i < steps.Length; i++) Assert.Equal(plain[i], y[i], 12);
        }, iterations: 40);

    [Fact]
    public void TreeGradientIsTheGradientOfTheTreeValues_AndCloseToTheExactGradient() =>
        ForAll(Gen.Select(Schedules, Parameters), t =>
        {
            var (lr, p) = t;
            var h = new ScheduleHistory(lr);
            var tree = new MultiPowerLaw(tolerance: 1e-6);
            int[] steps = Enumerable.Range(1, 12).Select(i => Math.Max(1, i * h.Steps / 12)).Distinct().ToArray();
            var y = new double[steps.Length];
            var g = new double[steps.Length * 7];
            tree.PredictWithGradient(p, h, steps, y, g);
            var plain = new double[steps.Length];
            tree.Predict(p, h, steps, plain);
            var exactY = new double[steps.Length];
            var exactG = new double[steps.Length * 7];
            new MultiPowerLaw(tolerance: 0).PredictWithGradient(p, h, steps, exactY, exactG);
            for (int i = 0; i < steps.Length; i++)
            {
                Assert.True(Math.Abs(y[i] - plain[i]) <= 1e-12, $"step {steps[i]}: gradient pass value {y[i]:R} vs Predict {plain[i]:R}");
                Assert.True(Math.Abs(y[i] - exactY[i]) <= 1e-6 * (1 + 1e-9), $"step {steps[i]}: tree {y[i]:R} vs exact {exactY[i]:R}");
            }
            for (int j = 0; j < 7; j++)
            {
                double scale = 0;
                for (int i = 0; i < steps.Length; i++) scale = Math.Max(scale, Math.Abs(exactG[i * 7 + j]));
                for (int i = 0; i < steps.Length; i++)
                    Assert.True(Math.Abs(g[i * 7 + j] - exactG[i * 7 + j]) <= 1e-3 * scale,
                        $"parameter {j}, step {steps[i]}: tree derivative {g[i * 7 + j]:R} vs exact {exactG[i * 7 + j]:R}");
            }
        }, iterations: 40);

    [Fact]
    public void ZeroToleranceIsTheExactSum()
    {
        double[] lr = Enumerable.Range(1, 3000).Select(s => s <= 100 ? 1e-3 * s / 100 : 1e-3 * (1 - (s - 100) / 2900.0)).ToArray();
        var h = new ScheduleHistory(lr);
        double[] p = [3, 0.5, 0.5, 400, 2, 0.6, 0.6];
        int[] steps = [1, 100, 1500, 2999, 3000];
        var y = new double[steps.Length];
        new MultiPowerLaw(tolerance: 0).Predict(p, h, steps, y);
        for (int i = 0; i < steps.Length; i++)
        {
            double exact = 3 + 0.5 * Math.Pow(h.S1(steps[i]), -0.5) - 400 * MultiPowerLaw.ExactLossDropOverB(h, steps[i], 2, 0.6, 0.6);
            Assert.Equal(exact, y[i], 12);
        }
        Assert.True(double.IsFinite(y[^1])); // the LR reaches 0 at the last step: G = 1 there, not NaN
    }

    [Fact]
    public void ConstantScheduleHasNoLossDropAfterWarmup_AndDecayLowersTheLoss()
    {
        double[] p = MultiPowerLaw.Published["100M"].ToArray();
        var constant = new ScheduleHistory(Enumerable.Repeat(3e-4, 10000).ToArray());
        var decayed = new ScheduleHistory(Enumerable.Range(1, 10000).Select(s => s <= 8000 ? 3e-4 : 3e-5).ToArray());
        var law = new MultiPowerLaw();
        var a = new double[1];
        var b = new double[1];
        law.Predict(p, constant, [8000], a);
        // Without a drop in eta the law is L0 + A S1^-alpha minus the (negative) first-step drop from eta_0 = 0.
        double expected = p[0] + p[1] * Math.Pow(8000 * 3e-4, -p[2]) - p[3] * MultiPowerLaw.ExactLossDropOverB(constant, 8000, p[4], p[5], p[6]);
        Assert.Equal(expected, a[0], 9);
        law.Predict(p, decayed, [10000], b);
        law.Predict(p, constant, [10000], a);
        Assert.True(b[0] < a[0], "annealing must lower the predicted loss");
    }

    [Fact]
    public void RejectsStepsOutsideTheRunOrOutOfOrder()
    {
        var h = new ScheduleHistory([1e-3, 1e-3, 1e-3]);
        var y = new double[2];
        var law = new MultiPowerLaw();
        double[] p = MultiPowerLaw.Published["25M"].ToArray();
        Assert.Throws<ArgumentOutOfRangeException>(() => law.Predict(p, h, [0, 1], y));
        Assert.Throws<ArgumentOutOfRangeException>(() => law.Predict(p, h, [1, 4], y));
        Assert.Throws<ArgumentException>(() => law.Predict(p, h, [3, 2], y));
        var wrongLength = Assert.Throws<ArgumentException>(() => law.Predict([3.0, 0.5], h, [1, 2], y));
        Assert.Contains("7 parameters", wrongLength.Message);
        Assert.Throws<ArgumentException>(() => new ScheduleHistory([1e-3, double.NaN]));
        Assert.Throws<ArgumentException>(() => new ScheduleHistory([-1e-3]));
    }
}
