using System.Globalization;
using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using HyperLaws.Tests.Fitting;
using Xunit;
using Xunit.Sdk;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// MPL's walk with its tails (C x + 1)^-beta computed by SIMD (<c>MultiPowerLaw.VectorTails</c>, an option, issue 12) against the
/// reference walk (Math.Log, Math.Exp and Math.Pow, as before): the same values and derivatives within the stated bound, over random
/// schedules (cosine, WSD, constant with a drop to zero) and parameters, edge parameters included; and the same fit.
/// </summary>
public sealed class MplVectorTailsTests
{
    /// <summary>The stated bound (docs/VALIDATION.md, "MPL: the walk's tails by SIMD"): |B LD_vector - B LD_reference| &lt;= 1e-12 B sum|Delta eta|.</summary>
    private const double Bound = 1e-12;

    private static double[] Schedule(int kind, int steps, double peak) => kind switch
    {
        0 => LrSchedule.Parse(string.Create(CultureInfo.InvariantCulture, $"cosine(peak={peak:R},steps={steps},warmup={steps / 50 + 1},floor={0.1 * peak:R})")).Evaluate(),
        1 => LrSchedule.Parse(string.Create(CultureInfo.InvariantCulture, $"wsd(peak={peak:R},steps={steps},warmup={steps / 50 + 1},cooldown=0.2,shape=linear,floor={0.1 * peak:R})")).Evaluate(),
        // A cooldown to exactly 0 (G = 1 terms at eta_k = 0).
        _ => [.. SyntheticCurves.Wsd(steps, 0.3).Select(v => v * peak / 1e-3)],
    };

    private static void AssertWithinBound(double[] p, ScheduleHistory history, int[] at)
    {
        var vector = new MultiPowerLaw { VectorTails = true };
        var reference = new MultiPowerLaw();
        Assert.False(reference.VectorTails);   // the default: the previous walk
        double absDrop = 0;
        for (int k = 1; k <= history.Steps; k++) absDrop += Math.Abs(history.Eta(k - 1) - history.Eta(k));
        double allowed = Bound * Math.Abs(p[MultiPowerLaw.B]) * absDrop;
        var (y, yr) = (new double[at.Length], new double[at.Length]);
        vector.Predict(p, history, at, y);
        reference.Predict(p, history, at, yr);
        var (yg, ygr, g, gr) = (new double[at.Length], new double[at.Length], new double[7 * at.Length], new double[7 * at.Length]);
        vector.PredictWithGradient(p, history, at, yg, g);
        reference.PredictWithGradient(p, history, at, ygr, gr);
        // The fused walk's two values are now one: Predict's value is the gradient walk's (both by exp(-beta ln q)).
        var (plain, fusedValues, fusedGradient) = (new double[at.Length], new double[at.Length], new double[7 * at.Length]);
        ((IFusedGradientLaw)vector).PredictFused(p, history, at, plain, fusedValues, fusedGradient);
        Assert.Equal(y, plain);
        Assert.Equal(yg, fusedValues);
        Assert.Equal(g, fusedGradient);
        for (int i = 0; i < at.Length; i++)
        {
            Close(yr[i], y[i], allowed, $"Predict at step {at[i]}");
            Close(ygr[i], yg[i], allowed, $"PredictWithGradient's value at step {at[i]}");
            for (int j = 0; j < 7; j++)
            {
                // Each derivative is a sum of the same terms with each tail within the same relative rounding: within 1e-9 of the
                // column's largest magnitude (sums with cancellation, e.g. over a warmup's negative drops, are checked absolutely; NaN and infinite entries must match).
                double scale = 0;
                for (int r = 0; r < at.Length; r++) if (double.IsFinite(gr[7 * r + j])) scale = Math.Max(scale, Math.Abs(gr[7 * r + j]));
                Close(gr[7 * i + j], g[7 * i + j], 1e-9 * scale, $"derivative {j} at step {at[i]}");
            }
        }
    }

    private static void Close(double expected, double actual, double allowed, string what)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            if (!(double.IsNaN(expected) && double.IsNaN(actual))) throw new XunitException($"{what}: expected {expected:R}, got {actual:R}");
            return;
        }
        if (expected == actual) return;   // infinities of one sign included
        double ulps = 4 * Math.BitIncrement(Math.Abs(expected)) - 4 * Math.Abs(expected);
        if (!(Math.Abs(actual - expected) <= allowed + ulps))
            throw new XunitException($"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(actual - expected):G3} > {allowed + ulps:G3})");
    }

    [Fact]
    public void The_SIMD_tails_give_the_reference_walks_values_and_derivatives_within_the_bound() =>
        ForAll(Gen.Select(Gen.Int[0, 2], Gen.Int[2000, 12000], LogUniform(1e-4, 3e-3), Gen.Select(LogUniform(50, 5000), LogUniform(0.05, 20), LogUniform(0.05, 3), LogUniform(0.05, 2))), s =>
        {
            var (kind, steps, peak, (b, c, beta, gamma)) = s;
            var history = new ScheduleHistory(Schedule(kind, steps, peak));
            int every = Math.Max(1, steps / 150);
            int[] at = [.. Enumerable.Range(1, steps / every).Select(k => k * every)];
            AssertWithinBound([2.6, 0.6, 0.45, b, c, beta, gamma], history, at);
        }, iterations: 25);

    [Fact]
    public void Edge_parameters_give_the_reference_walks_values_within_the_bound()
    {
        var history = new ScheduleHistory(SyntheticCurves.Wsd(5000, 0.3));
        int[] at = [.. Enumerable.Range(1, 100).Select(k => k * 50)];
        // As MultiPowerLawFusedTests: a degenerate drop (beta -> 0, B large); C, gamma and beta at the edge of the double range
        // (C x + 1 and the moments overflow; lanes outside the SIMD range go to Math.Log and Math.Exp); a tiny B.
        double[][] parameters =
        [
            MultiPowerLaw.Published["25M"], [2.5, 0.7, 0.4, 5e6, 0.3, 1e-6, 0.2], [2.6, 0.8, 0.3, 400, 5e36, 0.6, 46],
            [2.6, 0.8, 0.3, 400, 1e300, 3.5e9, 0.5], [2.55, 0.79, 0.31, 8.9e-51, 1e-300, 3.7e-60, 4.4e-21], [2.6, 0.6, 0.45, 400, 2, 900, 0.6],
        ];
        foreach (var p in parameters) AssertWithinBound(p, history, at);
    }

    [Fact]
    public void A_fit_with_SIMD_tails_is_the_reference_fit_within_1e_6()
    {
        var truth = MultiPowerLaw.Published["100M"];
        var law = new MultiPowerLaw();
        FitTarget[] curves =
        [
            SyntheticCurves.Curve(law, truth, Schedule(0, 4000, 3e-4), "cosine", 0.002, 3),
            SyntheticCurves.Curve(law, truth, Schedule(1, 5000, 6e-4), "wsd", 0.002, 4),
            SyntheticCurves.Curve(law, truth, Schedule(2, 3000, 1e-3), "to zero", 0.002, 5),
        ];
        var vector = LawFitter.Fit(new MultiPowerLaw { VectorTails = true }, curves);
        var reference = LawFitter.Fit(law, curves);
        for (int j = 0; j < 7; j++) Near(reference.Parameters[j], vector.Parameters[j], 1e-6, law.ParameterNames[j]);
        Near(reference.Objective, vector.Objective, 1e-9, "objective");
    }
}
