using HyperLaws.Laws;

namespace HyperLaws.Tests.Fitting;

/// <summary>Loss curves drawn from a law with known parameters plus seeded Gaussian relative noise.</summary>
internal static class SyntheticCurves
{
    public static readonly double[] TissueTruth = [2.9, 0.6, 0.45, 0.5];

    /// <summary>A warmup-stable-decay LR schedule: 100 warmup steps to 1e-3, then a linear cooldown over the last fraction.</summary>
    public static double[] Wsd(int steps, double cooldown) =>
        [.. Enumerable.Range(1, steps).Select(t => t <= 100 ? 1e-3 * t / 100 : t <= steps * (1 - cooldown) ? 1e-3 : 1e-3 * (steps - t + 1) / (steps * cooldown))];

    /// <summary>
    /// The law's curve at <paramref name="points"/> evenly spaced steps, each loss times (1 + sigma z) with z
    /// standard normal (Box-Muller from a seeded System.Random).
    /// </summary>
    public static FitTarget Curve(IFittableLaw law, double[] p, double[] lr, string name, double sigma, int seed, int points = 60)
    {
        var h = new ScheduleHistory(lr);
        int[] steps = [.. Enumerable.Range(1, points).Select(i => i * lr.Length / points)];
        var y = new double[steps.Length];
        law.Predict(p, h, steps, y);
        var rng = new Random(seed);
        for (int i = 0; i < y.Length; i++)
        {
            double z = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            y[i] *= 1 + sigma * z;
        }
        return new FitTarget(name, h, steps, y);
    }

    /// <summary><paramref name="count"/> tissue curves with cooldowns of 10%..60% and lengths 3000..5500 steps.</summary>
    public static FitTarget[] Tissue(int count, double sigma, int seed, double[]? truth = null) =>
        [.. Enumerable.Range(0, count).Select(c => Curve(new AnnealingLaw(), truth ?? TissueTruth, Wsd(3000 + 500 * c, 0.1 + 0.5 * c / Math.Max(1, count - 1)), $"c{c}", sigma, seed * 100 + c))];
}
