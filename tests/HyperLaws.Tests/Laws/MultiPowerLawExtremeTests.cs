using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// MPL's tree evaluation at the extreme parameters real fits reach on the 124M grid (protocol 3): gamma
/// above 20 with C below 1e-50, on schedules whose LR falls to 1e-8 (a sqrt cooldown to 0) or rises
/// from lr/100 (a warmup). There e_k = eta_k^(-gamma) spans 1e60..1e170: e_k^2 overflows, C^3/q^3
/// underflows and the moment differences cancel. The tree must still stay within its tolerance of the
/// exact sum, never return NaN.
/// </summary>
public sealed class MultiPowerLawExtremeTests
{
    /// <summary>
    /// llm-baselines' schedules: WSD (linear warmup from lr/100 over 300 steps, then a sqrt or linear cooldown
    /// to 0) or PyTorch's OneCycleLR cosine (cosine warmup from lr/100 over 299 steps, cosine to lr/10).
    /// </summary>
    private static double[] Schedule(int steps, double lr, string shape, double fraction)
    {
        const int warmup = 300;
        int anneal = (int)(fraction * steps), hold = steps - anneal;
        static double Anneal(double from, double to, double pct) => to + (from - to) / 2 * (Math.Cos(Math.PI * pct) + 1);
        var eta = new double[steps];
        for (int k = 0; k < steps; k++)
        {
            double f = shape == "cosine" ? (k <= warmup - 1 ? Anneal(0.01, 1, k / (warmup - 1.0)) : Anneal(1, 0.1, (k - warmup + 1.0) / (steps - warmup)))
                : k < warmup ? (double)k / warmup + (1 - (double)k / warmup) / 100
                : k < hold ? 1
                : shape == "sqrt" ? 1 - Math.Sqrt((k - hold) / (double)anneal)
                : 1 - (k - hold) / (double)anneal;
            eta[k] = lr * f;
        }
        return eta;
    }

    public static TheoryData<string, double, string, double, double[]> Cases => new()
    {
        // Fitted on all LRs at once (fraction 0.2): NaN on sqrt cooldowns before the fix.
        { "pooled fit, sqrt cooldown", 1e-4, "sqrt", 0.2, [2.54058, 0.805422, 0.319496, 3998.62, 7.65203e-58, 0.00236398, 21.0034] },
        { "pooled fit, linear cooldown", 2e-3, "linear", 0.6, [2.54058, 0.805422, 0.319496, 3998.62, 7.65203e-58, 0.00236398, 21.0034] },
        // Fitted per LR (fraction 0.6): nodes of the warmup looked exact (C^3/q^3 underflowed) and were off by 5e-5; NaN at the end of cooldowns.
        { "per-LR fit, cosine", 2e-3, "cosine", 0, [2.742, 0.8764, 0.471, 374.7, 5.596e-56, 0.01499, 23.58] },
        { "per-LR fit, linear cooldown", 2e-3, "linear", 0.6, [2.763, 1.115, 0.5013, 993.5, 2.371e-50, 0.002523, 23.79] },
        // Levenberg-Marquardt trial points of a 100k-step fit (rejected, but evaluated): every Taylor bound overflows, and
        // the tree summed them exactly, O(t) per point, before the value-range bound (G = 1 almost everywhere here).
        { "trial point, C = inf", 3e-4, "linear", 0.2, [2.586, 0.5901, 0.4543, 0.000565, double.PositiveInfinity, 5.537e-14, 2.517e-06] },
        { "trial point, gamma = 2e192", 3e-4, "cosine", 0, [2.761, 0.3709, 0.5709, 842.8, 5.541e+35, 6.14e+71, 2.072e+192] },
        { "trial point, C = 4e40, gamma = 229", 3e-4, "sqrt", 0.2, [2.816, 0.4546, 0.4988, 888.5, 4.186e+40, 1.867e+06, 229] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TreeStaysWithinItsToleranceOfTheExactSum(string what, double lr, string shape, double fraction, double[] p)
    {
        const double tolerance = 1e-5;
        var h = new ScheduleHistory(Schedule(20000, lr, shape, fraction));
        int[] steps = [.. Enumerable.Range(1, 40).Select(i => i * h.Steps / 40)];
        var fast = new double[steps.Length];
        var spread = new double[steps.Length];
        new MultiPowerLaw(tolerance).Predict(p, h, steps, fast);
        new MultiPowerLaw(tolerance) { SpreadBounds = true }.Predict(p, h.Copy(), steps, spread);   // the node test bounded by the spread
        for (int i = 0; i < steps.Length; i++)
        {
            int s = steps[i];
            double exact = p[MultiPowerLaw.L0] + p[MultiPowerLaw.A] * Math.Pow(h.S1(s), -p[MultiPowerLaw.Alpha])
                           - p[MultiPowerLaw.B] * MultiPowerLaw.ExactLossDropOverB(h, s, p[MultiPowerLaw.C], p[MultiPowerLaw.Beta], p[MultiPowerLaw.Gamma]);
            Assert.True(double.IsFinite(exact), $"{what}: the exact sum is {exact} at step {s}");
            Assert.True(Math.Abs(fast[i] - exact) <= tolerance, $"{what}, step {s}: tree {fast[i]:R} vs exact {exact:R}");
            Assert.True(Math.Abs(spread[i] - exact) <= tolerance, $"{what}, step {s}: tree (spread bounds) {spread[i]:R} vs exact {exact:R}");
        }
    }
}
