using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Fitting;

public sealed class LawFitterTests
{
    private static FitTarget Synthetic(IFittableLaw law, double[] p, double[] lr, string name, double noise = 0)
    {
        var h = new ScheduleHistory(lr);
        int[] steps = Enumerable.Range(1, 40).Select(i => i * lr.Length / 40).ToArray();
        var y = new double[steps.Length];
        law.Predict(p, h, steps, y);
        var rng = new Random(7);
        for (int i = 0; i < y.Length; i++) y[i] *= 1 + noise * (2 * rng.NextDouble() - 1);
        return new FitTarget(name, h, steps, y);
    }

    private static double[] Wsd(int steps, double peak, double cooldown) =>
        Enumerable.Range(1, steps).Select(t => t <= 100 ? peak * t / 100 : t <= steps * (1 - cooldown) ? peak : peak * (steps - t + 1) / (steps * cooldown)).ToArray();

    [Fact]
    public void RecoversTheParametersOfNoiselessAnnealingCurves()
    {
        var law = new AnnealingLaw();
        double[] truth = [2.9, 0.6, 0.45, 0.5];
        var targets = new[] { Synthetic(law, truth, Wsd(4000, 1e-3, 0.2), "a"), Synthetic(law, truth, Wsd(6000, 1e-3, 0.5), "b") };
        var fit = LawFitter.Fit(law, targets);
        for (int j = 0; j < truth.Length; j++) Assert.Equal(truth[j], fit.Parameters[j], 4);
        Assert.True(fit.Objective < 1e-12);
        Assert.True(fit.Converged);
    }

    [Fact]
    public void HuberLossResistsAnOutlier()
    {
        var law = new ConvexBoundLaw();
        double[] truth = [3.0, 0.05, 200];
        var clean = Synthetic(law, truth, Wsd(3000, 1e-3, 0.3), "clean");
        var y = clean.Loss.ToArray();
        y[20] *= 1.5; // one corrupted point, 50% off
        var fit = LawFitter.Fit(law, [clean with { Loss = y }]);
        var predicted = fit.Predict(clean.History, clean.Steps);
        int good = Enumerable.Range(0, y.Length).Count(i => i != 20 && Math.Abs(predicted[i] / clean.Loss[i] - 1) < 1e-3);
        Assert.Equal(y.Length - 1, good);
    }

    [Fact]
    public void IsDeterministicAndChecksItsInput()
    {
        var law = new AnnealingLaw();
        var target = Synthetic(law, [3, 0.5, 0.5, 0.3], Wsd(2000, 1e-3, 0.2), "t", noise: 1e-3);
        Assert.Equal(LawFitter.Fit(law, [target]).Parameters, LawFitter.Fit(law, [target]).Parameters);
        Assert.Throws<ArgumentException>(() => LawFitter.Fit(law, []));
        Assert.Throws<ArgumentException>(() => LawFitter.Fit(law, [target with { Loss = [.. target.Loss.Take(3)] }]));
        Assert.Throws<ArgumentException>(() => LawFitter.Fit(law, [target], new FitOptions { Starts = [[1.0, 2.0]] }));
    }
}
