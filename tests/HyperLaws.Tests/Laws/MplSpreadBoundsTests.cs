using CsCheck;
using HyperLaws.Laws;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// MPL's node test bounded by the node's spread (<c>MultiPowerLaw.SpreadBounds</c>, issue 12; docs/VALIDATION.md, "MPL: the walk's
/// node test bounded by the node's spread"): the walk accepts wider nodes, and every value stays within the tolerance eps of the
/// exact O(n^2) sum (<see cref="MultiPowerLaw.ExactLossDropOverB"/>) on random schedules and drop shapes.
/// </summary>
public sealed class MplSpreadBoundsTests
{
    /// <summary>A random schedule of 1,500-8,000 steps: linear warmup, then cosine to a floor, WSD with a linear or sqrt cooldown (some to exactly 0), or a step decay.</summary>
    private static readonly Gen<double[]> Schedules =
        Gen.Select(Gen.Int[1500, 8000], Gen.Int[0, 3], LogUniform(1e-4, 3e-3), Gen.Double[0, 0.3], Gen.Double[0.05, 0.7], Gen.Int[0, 400], Gen.Bool)
            .Select(s =>
            {
                var (steps, shape, peak, floor, cooldown, warmup, toZero) = s;
                double end = toZero ? 0 : floor;
                var eta = new double[steps];
                for (int k = 0; k < steps; k++)
                {
                    double u = (double)k / steps, c = (k - (1 - cooldown) * steps) / (cooldown * steps);
                    double f = k < warmup ? (k + 1.0) / warmup
                        : shape switch
                        {
                            0 => end + (1 - end) * 0.5 * (1 + Math.Cos(Math.PI * u)),
                            1 => c <= 0 ? 1 : 1 - (1 - end) * c,
                            2 => c <= 0 ? 1 : 1 - (1 - end) * Math.Sqrt(c),
                            _ => u < 0.5 ? 1 : u < 0.8 ? 0.3 : 0.1,
                        };
                    eta[k] = peak * f;
                }
                return eta;
            });

    /// <summary>Drop shapes over the ranges fits reach (B 1e-2..1e6, C 1e-6..50, beta 1e-3..5, gamma 0.05..3), L0, A and alpha near the published fits.</summary>
    private static readonly Gen<double[]> Parameters =
        Gen.Select(LogUniform(1e-2, 1e6), LogUniform(1e-6, 50), LogUniform(1e-3, 5), LogUniform(0.05, 3))
            .Select(s => new[] { 2.6, 0.6, 0.45, s.Item1, s.Item2, s.Item3, s.Item4 });

    private static double[] Exact(double[] p, ScheduleHistory h, int[] at) =>
        [.. at.Select(s => p[MultiPowerLaw.L0] + p[MultiPowerLaw.A] * Math.Pow(h.S1(s), -p[MultiPowerLaw.Alpha])
                           - p[MultiPowerLaw.B] * MultiPowerLaw.ExactLossDropOverB(h, s, p[MultiPowerLaw.C], p[MultiPowerLaw.Beta], p[MultiPowerLaw.Gamma]))];

    /// <summary>
    /// |walk - exact| &lt;= eps plus the sums' rounding (1e-12 of B sum|Delta eta|, the largest the drop can be, and of the loss):
    /// Predict, PredictWithGradient's values and both values of the fused walk; the fused outputs equal the separate calls bit for bit.
    /// </summary>
    [Fact]
    public void The_walk_stays_within_its_tolerance_of_the_exact_sum() =>
        ForAll(Gen.Select(Schedules, Parameters, Gen.Int[20, 80]), s =>
        {
            var (lr, p, points) = s;
            var h = new ScheduleHistory(lr);
            int[] at = [.. Enumerable.Range(1, points).Select(k => k * h.Steps / points)];   // 20-80 points, unevenly spaced by rounding
            var law = new MultiPowerLaw { SpreadBounds = true };
            var exact = Exact(p, h, at);
            double absDrop = 0;
            for (int k = 1; k <= h.Steps; k++) absDrop += Math.Abs(h.Eta(k - 1) - h.Eta(k));
            double allowed = law.Tolerance + 1e-12 * (p[MultiPowerLaw.B] * absDrop + 4);
            var values = MplCalls.Values(law, p, h, at);
            var (gradValues, gradient) = MplCalls.Gradient(law, p, h, at);
            var (plain, fusedValues, fusedGradient) = MplCalls.Fused(law, p, h, at);
            Assert.Equal(values, plain);
            Assert.Equal(gradValues, fusedValues);
            Assert.Equal(gradient, fusedGradient);
            for (int i = 0; i < at.Length; i++)
            {
                Assert.True(Math.Abs(values[i] - exact[i]) <= allowed, $"Predict at {at[i]}: {values[i]:R} vs exact {exact[i]:R} (p = {string.Join(", ", p)})");
                Assert.True(Math.Abs(gradValues[i] - exact[i]) <= allowed, $"PredictWithGradient at {at[i]}: {gradValues[i]:R} vs exact {exact[i]:R}");
            }
        }, iterations: 40);

    /// <summary>
    /// Not vacuous: with the spread bounds the walk accepts wider nodes, so on a long stable phase its error uses more of the
    /// tolerance than the width's bounds do (both within eps), and the two walks differ.
    /// </summary>
    [Fact]
    public void The_spread_bounds_accept_wider_nodes_within_the_tolerance()
    {
        var h = new ScheduleHistory([.. Enumerable.Range(0, 8000).Select(k => k < 6000 ? 3e-4 : 3e-4 * (8000 - k) / 2000.0)]);
        var p = MultiPowerLaw.Published["100M"];
        int[] at = [.. Enumerable.Range(1, 80).Select(k => k * 100)];
        var exact = Exact(p, h, at);
        var spread = MplCalls.Values(new MultiPowerLaw { SpreadBounds = true }, p, h.Copy(), at);
        var width = MplCalls.Values(new MultiPowerLaw(), p, h.Copy(), at);   // the default: the width's bounds
        double spreadError = at.Select((_, i) => Math.Abs(spread[i] - exact[i])).Max();
        double widthError = at.Select((_, i) => Math.Abs(width[i] - exact[i])).Max();
        Assert.True(spreadError <= 1e-5 && widthError <= 1e-5, $"errors {spreadError:G3} (spread), {widthError:G3} (width)");
        Assert.True(spreadError > widthError, $"errors {spreadError:G3} (spread), {widthError:G3} (width)");
    }
}
