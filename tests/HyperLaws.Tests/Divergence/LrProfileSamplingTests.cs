using System.Buffers;
using CsCheck;
using HyperLaws.Divergence;
using Xunit;

namespace HyperLaws.Tests.Divergence;

/// <summary>
/// <see cref="LrProfile.FromLearningRates"/> samples its span in place (issue 12: no copy of 10^5-10^6 LRs per screen): the same
/// profile, bit for bit, as the old path (<see cref="LrProfile.FromFunction"/> over a copy), and a profile keeps nothing of the span
/// (a pooled buffer refilled after it was built leaves it unchanged).
/// </summary>
public sealed class LrProfileSamplingTests
{
    private static readonly double[] Thresholds = [1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 1];

    private static void AssertSame(LrProfile expected, LrProfile actual)
    {
        Assert.Equal(expected.Steps, actual.Steps);
        Assert.Equal(expected.Total, actual.Total);   // exact: xUnit compares doubles for equality without a precision
        Assert.Equal(expected.Peak, actual.Peak);
        foreach (double l in Thresholds)
        {
            Assert.Equal(expected.AreaAbove(l), actual.AreaAbove(l));
            Assert.Equal(expected.StepsAbove(l), actual.StepsAbove(l));
        }
    }

    /// <summary>A random schedule: piecewise-constant or noisy LRs in [0, 1e-2], lengths below and above MaxSamples (odd and even blocks).</summary>
    private static readonly Gen<double[]> Schedules =
        Gen.Int[1, 9000].SelectMany(n => Gen.Int[0, 1].SelectMany(kind => Gen.Int[1, 1 << 30].Select(seed =>
        {
            var rng = new Random(seed);
            var lr = new double[n];
            double level = rng.NextDouble() * 1e-2;
            for (int t = 0; t < n; t++)
            {
                if (kind == 0 && rng.Next(200) == 0) level = rng.NextDouble() * 1e-2;
                lr[t] = kind == 0 ? level : rng.NextDouble() * 1e-2;
            }
            return lr;
        })));

    [Fact]
    public void The_span_path_equals_the_copy_and_closure_path_bit_for_bit()
    {
        Property.ForAll(Schedules, lr =>
        {
            var copy = (double[])lr.Clone();
            AssertSame(LrProfile.FromFunction(t => copy[t - 1], copy.Length), LrProfile.FromLearningRates(lr));
        }, iterations: 200);
    }

    [Fact]
    public void Two_profiles_built_from_one_reused_pooled_buffer_each_stay_their_own_schedules()
    {
        Property.ForAll(Schedules.SelectMany(a => Schedules.Select(b => (a, b))), x =>
        {
            var buffer = ArrayPool<double>.Shared.Rent(Math.Max(x.a.Length, x.b.Length));
            try
            {
                x.a.CopyTo(buffer, 0);
                var first = LrProfile.FromLearningRates(buffer.AsSpan(0, x.a.Length));
                Array.Fill(buffer, double.NaN);   // the buffer reused: a profile that read it later would see NaN
                x.b.CopyTo(buffer, 0);
                var second = LrProfile.FromLearningRates(buffer.AsSpan(0, x.b.Length));
                AssertSame(LrProfile.FromLearningRates((double[])x.a.Clone()), first);
                AssertSame(LrProfile.FromLearningRates((double[])x.b.Clone()), second);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(buffer);
            }
        }, iterations: 100);
    }

    [Fact]
    public void A_long_schedule_is_sampled_the_same_way()
    {
        // The planner's horizon (~193k steps at 400M): blocks of 189 steps (odd) and a shorter last block.
        var lr = new double[193_346];
        for (int t = 0; t < lr.Length; t++) lr[t] = 1e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * t / lr.Length)));
        var copy = (double[])lr.Clone();
        AssertSame(LrProfile.FromFunction(t => copy[t - 1], copy.Length), LrProfile.FromLearningRates(lr));
    }
}
