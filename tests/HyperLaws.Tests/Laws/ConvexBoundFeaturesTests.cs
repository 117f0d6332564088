using CsCheck;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// The convex bound's telescoped, tree-summed features equal the O(T) definition. Schedules decay to a floor
/// (1% of the peak) or stop at 0 in a zero stretch (the definition is used there): on an LR decayed to ~1e-12 of
/// S1 both forms lose their digits to the rounding of S1(T) - S1(k), each differently.
/// </summary>
public sealed class ConvexBoundFeaturesTests
{
    private static readonly Gen<(double[] Lr, int[] Steps)> Case =
        Gen.Select(Gen.Int[20, 4000], Gen.Int[0, 3], Gen.Int[0, int.MaxValue]).Select((n, kind, seed) =>
        {
            var random = new Random(seed);
            double peak = Math.Exp(random.NextDouble() * Math.Log(1e4)) * 1e-5;
            int warmup = random.Next(0, n / 3);
            var lr = new double[n];
            for (int t = 1; t <= n; t++)
            {
                double x = (double)t / n;
                double eta = kind switch
                {
                    0 => peak * (0.01 + 0.5 * (1 + Math.Cos(Math.PI * x))),                      // cosine to a floor
                    1 => t < n * 0.8 ? peak : peak * (1 - 0.99 * (x - 0.8) / 0.2),             // WSD to a floor
                    2 => peak * (1 + random.NextDouble()),                                        // noisy
                    _ => (t / 53) % 4 == 0 ? 0 : peak * Math.Exp(-4 * x),                         // zero stretches
                };
                lr[t - 1] = t <= warmup ? eta * (t - 1) / warmup : eta;                          // warmup from 0
            }
            int[] steps = [.. Enumerable.Range(1, n).Where(t => random.NextDouble() < 0.02 || t == n)];
            return (lr, steps);
        });

    [Fact]
    public void TreeFeatures_EqualTheDefinition_OnRandomSchedules()
    {
        Property.ForAll(Case, c =>
        {
            var h = new ScheduleHistory(c.Lr);
            foreach (int t in c.Steps)
            {
                if (h.S1(t) == 0) continue;   // the bound is undefined before any step with eta > 0
                var (u, v) = ConvexBoundLaw.Features(h, t);
                var (eu, ev) = ConvexBoundLaw.ExactFeatures(h, t);
                Assert.Equal(eu, u);
                // Rounding of S1(T) - S1(k) for k just before T (a_k ~ eta_T) bounds the agreement: 1e-10, not 1e-15.
                Assert.True(Math.Abs(v - ev) <= 1e-10 * Math.Abs(ev), $"step {t}: v {v:R} vs definition {ev:R}");
            }
        }, iterations: 60);
    }
}
