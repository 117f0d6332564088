using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Laws;

public sealed class PeerLawTests
{
    private static double[] Cosine(int steps, int warmup, double peak, double floor) =>
        Enumerable.Range(1, steps).Select(t => t <= warmup ? peak * t / warmup
            : floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * (t - warmup) / (steps - warmup)))).ToArray();

    [Fact]
    public void AnnealingLaw_MatchesItsRecursionAndIgnoresTheInitialWarmup()
    {
        double[] lr = Cosine(3000, 200, 1e-3, 1e-4);
        var h = new ScheduleHistory(lr);
        double[] s2 = AnnealingLaw.AnnealingArea(h, 0.999);
        // Reference: the recursion written out, m_i counted from the end of the warmup (step 200).
        double m = 0, sum = 0;
        for (int i = 1; i <= 3000; i++)
        {
            if (i > 200) m = 0.999 * m + (lr[i - 2] - lr[i - 1]);
            sum += m;
            Assert.Equal(sum, s2[i], 12);
        }
        double[] p = [3, 0.5, 0.5, 0.4];
        var y = new double[2];
        new AnnealingLaw().Predict(p, h, [100, 3000], y);
        Assert.Equal(3 + 0.5 * Math.Pow(h.S1(100), -0.5), y[0], 12); // no annealing during warmup
        Assert.Equal(3 + 0.5 * Math.Pow(h.S1(3000), -0.5) - 0.4 * s2[3000], y[1], 12);
    }

    [Fact]
    public void AnnealingLaw_CountsReWarmingAsNegativeAnnealing()
    {
        double[] lr = [.. Enumerable.Repeat(1e-3, 100), .. Enumerable.Repeat(1e-4, 100), .. Enumerable.Repeat(1e-3, 100)];
        double[] s2 = AnnealingLaw.AnnealingArea(new ScheduleHistory(lr), 0.9);
        Assert.True(s2[200] > 0);
        Assert.True(s2[300] < s2[200]);
    }

    [Fact]
    public void ConvexBound_FeaturesMatchTheDefinition()
    {
        double[] lr = Cosine(400, 20, 1e-2, 0);
        var h = new ScheduleHistory(lr);
        foreach (int T in new[] { 1, 50, 399, 400 })
        {
            var (u, v) = ConvexBoundLaw.Features(h, T);
            double s = lr.Take(T).Sum(), q = lr.Take(T).Sum(x => x * x), tail = 0;
            for (int k = 1; k < T; k++)
            {
                double a = lr.Skip(k).Take(T - k).Sum();
                double b = lr.Skip(k - 1).Take(T - k + 1).Sum();
                double g = lr.Skip(k - 1).Take(T - k + 1).Sum(x => x * x);
                if (a > 0 && lr[k - 1] > 0) tail += lr[k - 1] / a * (g / b);
            }
            Assert.Equal(0.5 / s, u, 12);
            Assert.Equal(q / (2 * s) + 0.5 * tail, v, 9);
        }
    }

    [Fact]
    public void ConvexBound_CooldownLowersTheBoundAgainstConstant()
    {
        // Schaipp et al.: a cooldown at the end gives a lower last-iterate bound than a constant LR of the same peak.
        double[] constant = Enumerable.Repeat(1e-2, 1000).ToArray();
        double[] cooled = Enumerable.Range(1, 1000).Select(t => t <= 800 ? 1e-2 : 1e-2 * (1000 - t) / 200.0 + 1e-5).ToArray();
        double[] p = [0, 1, 1];
        var a = new double[1];
        var b = new double[1];
        new ConvexBoundLaw().Predict(p, new ScheduleHistory(constant), [1000], a);
        new ConvexBoundLaw().Predict(p, new ScheduleHistory(cooled), [1000], b);
        Assert.True(b[0] < a[0]);
    }

    [Fact]
    public void Explain_TermsSumToThePrediction_ForEveryPeer()
    {
        var h = new ScheduleHistory(Cosine(6000, 300, 3e-4, 3e-5));
        (IExplainableLaw Law, double[] P)[] cases =
        [
            (new MultiPowerLaw(), MultiPowerLaw.Published["100M"]),
            (new AnnealingLaw(), [3, 0.5, 0.5, 0.4]),
            (new ConvexBoundLaw(), [2.5, 1e-3, 400]),
        ];
        foreach (var (law, p) in cases)
            foreach (int step in new[] { 1, 2500, 6000 })
            {
                var y = new double[1];
                law.Predict(p, h, [step], y);
                var terms = law.Explain(p, h, step);
                Assert.Equal(3, terms.Count);
                Assert.Equal(y[0], terms.Sum(t => t.Contribution), 10);
            }
    }
}
