using CsCheck;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>The prefix sums of <see cref="ScheduleHistory"/> (Q is built on first use, in place).</summary>
public sealed class ScheduleHistoryTests
{
    /// <summary>Neumaier's compensated sum, written out: the reference for S1 and Q.</summary>
    private static double[] Prefix(double[] x)
    {
        var result = new double[x.Length + 1];
        double sum = 0, c = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double t = sum + x[i];
            c += Math.Abs(sum) >= Math.Abs(x[i]) ? (sum - t) + x[i] : (x[i] - t) + sum;
            sum = t;
            result[i + 1] = sum + c;
        }
        return result;
    }

    [Fact]
    public void PrefixSumsEqualTheCompensatedSumsOfTheLrsAndTheirSquares()
    {
        var gen = Gen.Select(Gen.Int[1, 2000], Gen.Int[0, int.MaxValue]).Select((n, seed) =>
        {
            var random = new Random(seed);
            return Enumerable.Range(0, n).Select(_ => random.Next(10) == 0 ? 0 : Math.Exp(random.NextDouble() * Math.Log(1e4)) * 1e-6).ToArray();
        });
        Property.ForAll(gen, lr =>
        {
            var h = new ScheduleHistory(lr);
            var s1 = Prefix(lr);
            var q = Prefix([.. lr.Select(x => x * x)]);
            Assert.Equal(lr.Length, h.Steps);
            Assert.Equal(0, h.Eta(0));
            for (int t = 0; t <= lr.Length; t++)
            {
                Assert.Equal(s1[t], h.S1(t));   // bit for bit: the same operations in the same order
                Assert.Equal(q[t], h.Q(t));
                if (t > 0) Assert.Equal(lr[t - 1], h.Eta(t));
            }
        }, iterations: 50);
    }

    [Fact]
    public void QBuiltConcurrentlyIsTheSameArray()
    {
        var lr = Enumerable.Range(1, 5000).Select(t => 1e-4 * (1 + Math.Sin(t * 0.01))).ToArray();
        var h = new ScheduleHistory(lr);
        var values = new double[8];
        Parallel.For(0, values.Length, i => values[i] = h.Q(4000 + i));
        var q = Prefix([.. lr.Select(x => x * x)]);
        for (int i = 0; i < values.Length; i++) Assert.Equal(q[4000 + i], values[i]);
    }

    [Fact]
    public void RejectsANegativeOrNonFiniteLr()
    {
        Assert.Throws<ArgumentException>(() => new ScheduleHistory([1e-3, -1e-4]));
        Assert.Throws<ArgumentException>(() => new ScheduleHistory([1e-3, double.NaN]));
        Assert.Throws<ArgumentException>(() => new ScheduleHistory(ReadOnlySpan<double>.Empty));
    }
}
