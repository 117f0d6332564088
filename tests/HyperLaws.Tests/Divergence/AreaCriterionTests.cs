using HyperLaws.Divergence;
using Xunit;

namespace HyperLaws.Tests.Divergence;

public sealed class AreaCriterionTests
{
    [Fact]
    public void ConstantScheduleAreasAreRectangles()
    {
        // eta_t = c for S steps: S2 = S (c - L), S1 = S L for L < c; nothing above for L >= c.
        const double c = 0.01;
        const int s = 500;
        var p = LrProfile.FromLearningRates(Enumerable.Repeat(c, s).ToArray());
        Assert.Equal(s * (c - 0.004), p.AreaAbove(0.004), 12);
        Assert.Equal(s * 0.004, p.AreaBelow(0.004), 12);
        Assert.Equal((c - 0.004) / 0.004, p.Ratio(0.004), 10);
        Assert.Equal(0, p.AreaAbove(0.02));
        Assert.Equal(0, p.Ratio(0.02));
        Assert.Equal(s * c, p.AreaBelow(0.02), 12);
        Assert.Equal(s, p.StepsAbove(0.004));
    }

    [Fact]
    public void WarmupAndCooldownMatchTheHandComputedSums()
    {
        // Warmup eta_t = t/100 (t = 1..100), linear cooldown eta = (200 - k)/200 (k = 1..200), L = 0.5:
        // above: sum_{j=1..50} j/100 + sum_{j=1..99} j/200 = 12.75 + 24.75 = 37.5; total = 50.5 + 99.5 = 150;
        // S1 = 112.5, R = 1/3 (the triangle's geometry: the part above half height is a quarter of the area).
        var lr = Enumerable.Range(1, 100).Select(t => t / 100.0).Concat(Enumerable.Range(1, 200).Select(k => (200 - k) / 200.0)).ToArray();
        var p = LrProfile.FromLearningRates(lr);
        Assert.Equal(150, p.Total, 10);
        Assert.Equal(37.5, p.AreaAbove(0.5), 10);
        Assert.Equal(112.5, p.AreaBelow(0.5), 10);
        Assert.Equal(1.0 / 3, p.Ratio(0.5), 10);
    }

    [Fact]
    public void LongSchedulesAreCompressedWithinTheMidpointError()
    {
        // Warmup over W, linear cooldown over C, peak P; continuous closed form at L = P h (0 < h < 1):
        // S2 = (W + C) P (1 - h)^2 / 2, total = (W + C) P / 2; discrete sums differ by O(P), i.e. O(1/S) relatively.
        const long w = 200_000, cd = 800_000;
        const double peak = 3e-3, h = 0.3;
        var p = LrProfile.FromFunction(t => t <= w ? peak * t / w : peak * (w + cd - t) / cd, w + cd);
        double s2 = (w + cd) * peak * (1 - h) * (1 - h) / 2, total = (w + cd) * peak / 2;
        Assert.Equal(w + cd, p.Steps);
        Assert.True(Math.Abs(p.AreaAbove(peak * h) / s2 - 1) < 1e-4, $"S2 {p.AreaAbove(peak * h)} vs {s2}");
        Assert.True(Math.Abs(p.Total / total - 1) < 1e-4, $"total {p.Total} vs {total}");
    }

    [Fact]
    public void TheCriterionFlipsWhereS2EqualsS1()
    {
        // Constant c: R = (c - L)/L = 1 at L = c/2; a rule with eta_L just below it predicts divergence, just above it does not.
        const double c = 0.008;
        var x = DivergenceExample.FromSchedule("const", "g", ThresholdRule.NRef, ThresholdRule.BatchRef, Enumerable.Repeat(c, 1000).ToArray(), false);
        var below = new ThresholdRule(Math.Log(c / 2 * (1 - 1e-6)), 0.3, -0.2, 0, 1);
        var above = new ThresholdRule(Math.Log(c / 2 * (1 + 1e-6)), 0.3, -0.2, 0, 1);
        Assert.True(below.Predicts(x));
        Assert.False(above.Predicts(x));
        // Warmup + cooldown triangle of peak P: R = (1-h)^2 / (1 - (1-h)^2) = 1 at h = 1 - 1/sqrt(2).
        var tri = Enumerable.Range(1, 1000).Select(t => 0.01 * t / 1000).Concat(Enumerable.Range(1, 3000).Select(k => 0.01 * (3000 - k) / 3000)).ToArray();
        var y = DivergenceExample.FromSchedule("tri", "g", ThresholdRule.NRef, ThresholdRule.BatchRef, tri, false);
        Assert.Equal(1000, y.WarmupSteps);
        double flip = 0.01 * (1 - 1 / Math.Sqrt(2));
        Assert.True(new ThresholdRule(Math.Log(flip * 0.99), 0, 0, 0, 1).Predicts(y));
        Assert.False(new ThresholdRule(Math.Log(flip * 1.01), 0, 0, 0, 1).Predicts(y));
    }

    [Fact]
    public void ThresholdScalesAsAPowerLaw()
    {
        var r = new ThresholdRule(Math.Log(0.004), -0.5, 0.25, 0.1, 2);
        Assert.Equal(0.004, r.EtaL(ThresholdRule.NRef, ThresholdRule.BatchRef, ThresholdRule.WarmupRef), 12);
        Assert.Equal(0.004 * Math.Pow(4, -0.5) * Math.Pow(16, 0.25) * Math.Pow(2, 0.1), r.EtaL(4 * ThresholdRule.NRef, 16 * ThresholdRule.BatchRef, 2 * ThresholdRule.WarmupRef), 12);
    }

    [Fact]
    public void BadSchedulesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => LrProfile.FromLearningRates([]));
        Assert.Throws<ArgumentException>(() => LrProfile.FromLearningRates([1e-3, double.NaN]));
        Assert.Throws<ArgumentException>(() => DivergenceExample.FromSchedule("z", "g", 1e8, 1e6, new double[10], false));
        Assert.Throws<ArgumentException>(() => DivergenceExample.FromSchedule("n", "g", -1, 1e6, [1e-3], false));
        Assert.Throws<ArgumentOutOfRangeException>(() => LrProfile.FromLearningRates([1e-3]).AreaAbove(0));
    }
}
