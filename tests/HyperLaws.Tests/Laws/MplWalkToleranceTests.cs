using CsCheck;
using HyperLaws.Laws;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// MPL's tree walk at a looser tolerance (issue 12, helper mplfast's fourth round; docs/VALIDATION.md, "MPL: fewer terms by a looser
/// walk tolerance"): at eps = 1e-5 (the default), 1e-4 (the declared variant) and 1e-3 every value stays within eps of the exact
/// O(t) sum per point (<see cref="MultiPowerLaw.ExactLossDropOverB"/>) on generated schedules of five families, and the looser walk
/// is another walk (fewer terms), not the default's.
/// </summary>
public sealed class MplWalkToleranceTests
{
    private static readonly double[] Tolerances = [1e-5, 1e-4, 1e-3];

    /// <summary>
    /// A schedule of 1,000-6,000 steps with a linear warmup of 0-300 steps, then by family: 0 cosine to a floor (0-30% of the peak),
    /// 1 WSD with a linear cooldown (5-70% of the steps) to the floor, 2 step decay (x0.3 at half, x0.1 at 80%), 3 constant, 4 a warmup
    /// over every step (the LR only rises: every drop negative).
    /// </summary>
    private static readonly Gen<(int Family, double[] Eta)> Schedules =
        Gen.Select(Gen.Int[1000, 6000], Gen.Int[0, 4], LogUniform(1e-4, 3e-3), Gen.Double[0, 0.3], Gen.Double[0.05, 0.7], Gen.Int[0, 300])
            .Select(s =>
            {
                var (steps, family, peak, floor, cooldown, warmup) = s;
                var eta = new double[steps];
                for (int k = 0; k < steps; k++)
                {
                    double u = (double)k / steps, c = (k - (1 - cooldown) * steps) / (cooldown * steps);
                    double f = family == 4 ? (k + 1.0) / steps
                        : k < warmup ? (k + 1.0) / warmup
                        : family switch
                        {
                            0 => floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * u)),
                            1 => c <= 0 ? 1 : 1 - (1 - floor) * c,
                            2 => u < 0.5 ? 1 : u < 0.8 ? 0.3 : 0.1,
                            _ => 1,
                        };
                    eta[k] = peak * f;
                }
                return (family, eta);
            });

    /// <summary>Drop shapes around the fits' (B 50-2,000, C 0.1-10, beta 0.1-2, gamma 0.1-1.5), L0, A and alpha near the published fits.</summary>
    private static readonly Gen<double[]> Parameters =
        Gen.Select(LogUniform(50, 2000), LogUniform(0.1, 10), LogUniform(0.1, 2), LogUniform(0.1, 1.5))
            .Select(s => new[] { 2.6, 0.6, 0.45, s.Item1, s.Item2, s.Item3, s.Item4 });

    private static double[] Exact(double[] p, ScheduleHistory h, int[] at) =>
        [.. at.Select(s => p[MultiPowerLaw.L0] + p[MultiPowerLaw.A] * Math.Pow(h.S1(s), -p[MultiPowerLaw.Alpha])
                           - p[MultiPowerLaw.B] * MultiPowerLaw.ExactLossDropOverB(h, s, p[MultiPowerLaw.C], p[MultiPowerLaw.Beta], p[MultiPowerLaw.Gamma]))];

    /// <summary>
    /// |walk - exact| &lt;= eps plus the sums' rounding (1e-12 of B sum|Delta eta| and of the loss, as <c>MplSpreadBoundsTests</c>) for
    /// Predict, PredictWithGradient's values and the fused walk's plain values, at each tolerance; every family is drawn; at 1e-4 the
    /// walk differs from the default's somewhere (it sums other terms).
    /// </summary>
    [Fact]
    public void The_walk_stays_within_each_tolerance_of_the_exact_sum()
    {
        var families = new HashSet<int>();
        int differs = 0;
        ForAll(Gen.Select(Schedules, Parameters, Gen.Int[20, 50]), s =>
        {
            var ((family, lr), p, points) = s;
            families.Add(family);
            var h = new ScheduleHistory(lr);
            int[] at = [.. Enumerable.Range(1, points).Select(k => k * h.Steps / points)];
            var exact = Exact(p, h, at);
            double absDrop = 0;
            for (int k = 1; k <= h.Steps; k++) absDrop += Math.Abs(h.Eta(k - 1) - h.Eta(k));
            var byTolerance = new double[Tolerances.Length][];
            for (int j = 0; j < Tolerances.Length; j++)
            {
                var law = new MultiPowerLaw(Tolerances[j]);
                double allowed = Tolerances[j] + 1e-12 * (p[MultiPowerLaw.B] * absDrop + 4);
                var values = MplCalls.Values(law, p, h, at);
                var (gradValues, _) = MplCalls.Gradient(law, p, h, at);
                var (plain, _, _) = MplCalls.Fused(law, p, h, at);
                for (int i = 0; i < at.Length; i++)
                {
                    Assert.True(Math.Abs(values[i] - exact[i]) <= allowed, $"eps {Tolerances[j]}, family {family}, Predict at {at[i]}: {values[i]:R} vs exact {exact[i]:R}");
                    Assert.True(Math.Abs(gradValues[i] - exact[i]) <= allowed, $"eps {Tolerances[j]}, family {family}, PredictWithGradient at {at[i]}: {gradValues[i]:R} vs exact {exact[i]:R}");
                    Assert.True(Math.Abs(plain[i] - exact[i]) <= allowed, $"eps {Tolerances[j]}, family {family}, fused at {at[i]}: {plain[i]:R} vs exact {exact[i]:R}");
                }
                byTolerance[j] = values;
            }
            if (!byTolerance[0].SequenceEqual(byTolerance[1])) differs++;
        }, iterations: 30);
        Assert.Equal(5, families.Count);
        Assert.True(differs > 0, "the walk at 1e-4 gave the default's values on every sample");
    }
}
