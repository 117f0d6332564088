using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// The flat-ridge stop (FitOptions.RidgeTolerance, FlatRidgeStop; docs/VALIDATION.md, "MPL: stopping on a flat ridge"): its
/// test on a synthetic ridge walk, the fit stopping on a law with a true ridge, and the fit unchanged where it does not fire.
/// </summary>
public sealed class FlatRidgeStopTests
{
    private const double Delta = 1e-3;

    /// <summary>psi of a relative residual r, as LawFitter computes it.</summary>
    private static double Psi(double r) => Math.Abs(r) <= Delta ? r : Math.Sign(r) * Math.Sqrt(Delta * (2 * Math.Abs(r) - Delta));

    private static double Rms(IEnumerable<double> v) => Math.Sqrt(v.Average(x => x * x));

    [Fact]
    public void Stops_at_the_first_window_whose_predictions_moved_less_than_the_tolerance_of_the_residual_rms()
    {
        // A ridge walk: residuals r(a) = limit + 0.6^a d, the limit's residuals up to 5x the Huber threshold (psi beyond it is
        // compressed, so the test also checks that r is recovered from psi); the walk's moves shrink geometrically.
        const int points = 200, window = 5;
        const double tolerance = 0.01;
        var rng = new Random(3);
        var limit = Enumerable.Range(0, points).Select(_ => 5e-3 * (2 * rng.NextDouble() - 1)).ToArray();
        var d = Enumerable.Range(0, points).Select(_ => 4e-3 * (2 * rng.NextDouble() - 1)).ToArray();
        double[] R(int a) => [.. limit.Select((l, i) => l + Math.Pow(0.6, a) * d[i])];
        int expected = -1;
        for (int a = window; a < 200 && expected < 0; a++)
        {
            var now = R(a);
            var before = R(a - window);
            if (Rms(now.Select((x, i) => x - before[i])) < tolerance * Rms(now)) expected = a;
        }
        Assert.True(expected > 2 * window, $"the synthetic walk should take several windows (fires at {expected})");

        var stop = new FlatRidgeStop(points, window, tolerance, Delta);
        int fired = -1;
        for (int a = 0; a < 200 && fired < 0; a++)
            if (stop.Add([.. R(a).Select(Psi)])) fired = a;
        Assert.Equal(expected, fired);
        Assert.True(stop.LastRatio < tolerance);
    }

    [Fact]
    public void Never_fires_before_a_full_window_nor_while_the_curves_move()
    {
        var stop = new FlatRidgeStop(3, 4, 0.01, Delta);
        double[] still = [Psi(2e-3), Psi(-1e-4), Psi(5e-4)];
        for (int a = 0; a < 4; a++) Assert.False(stop.Add(still));   // points 0..3: no window yet
        Assert.True(stop.Add(still));                                // point 4: nothing moved over 4 iterations

        var moving = new FlatRidgeStop(3, 2, 0.01, Delta);
        for (int a = 0; a < 50; a++) Assert.False(moving.Add([Psi(1e-3 * (1 + 0.05 * a)), Psi(-2e-3), Psi(0)]));
    }

    [Fact]
    public void Rejects_a_bad_window_or_tolerance()
    {
        var curves = SyntheticCurves.Tissue(1, 0.002, seed: 4);
        Assert.Throws<ArgumentException>(() => LawFitter.Fit(new AnnealingLaw(), curves, new FitOptions { RidgeWindow = 0 }));
        Assert.Throws<ArgumentException>(() => LawFitter.Fit(new AnnealingLaw(), curves, new FitOptions { RidgeTolerance = -1 }));
        Assert.Throws<ArgumentException>(() => LawFitter.Fit(new AnnealingLaw(), curves, new FitOptions { RidgeTolerance = double.NaN }));
    }

    /// <summary>
    /// L(t) = a + b (1 - exp(-t / c)) on data from a straight line: as c -> infinity with b / c fixed the curve tends to the line
    /// a + (b / c) t, so the least-squares fit walks a ridge (b and c growing by decades) toward an optimum at infinity, as MPL's
    /// beta -> 0 with B beta fixed.
    /// </summary>
    private sealed class SaturatingLaw : IFittableLaw
    {
        public string Name => "saturating";

        public IReadOnlyList<string> ParameterNames { get; } = ["a", "b", "c"];

        public IReadOnlyList<bool> Positive { get; } = [true, true, true];

        public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets) => [[2.0, 0.5, 1000]];

        public void Predict(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
        {
            for (int i = 0; i < steps.Length; i++)
            {
                // 1 - exp(-x), by its series where x is small (no cancellation far along the ridge).
                double x = steps[i] / p[2];
                output[i] = p[0] + p[1] * (x < 1e-4 ? x * (1 - x / 2 * (1 - x / 3)) : 1 - Math.Exp(-x));
            }
        }
    }

    private static FitTarget[] Line()
    {
        var rng = new Random(7);
        int[] steps = [.. Enumerable.Range(1, 80).Select(i => 50 * i)];
        double[] loss = [.. steps.Select(t => (2.0 + 1e-4 * t) * (1 + 1e-3 * (2 * rng.NextDouble() - 1)))];
        return [new FitTarget("line", new ScheduleHistory(Enumerable.Repeat(1e-3, 4000).ToArray()), steps, loss)];
    }

    [Fact]
    public void A_fit_walking_a_ridge_stops_early_with_the_curve_where_the_full_walk_leaves_it()
    {
        var law = new SaturatingLaw();
        var curves = Line();
        var off = LawFitter.Fit(law, curves, new FitOptions { RidgeTolerance = 0 });
        var on = LawFitter.Fit(law, curves, new FitOptions { RidgeTolerance = FitOptions.DeclaredRidgeTolerance });
        Assert.Contains("flat ridge", on.StopReason, StringComparison.Ordinal);
        Assert.True(on.Converged);
        Assert.DoesNotContain("flat ridge", off.StopReason, StringComparison.Ordinal);
        Assert.True(on.Iterations < off.Iterations, $"on {on.Iterations} iterations, off {off.Iterations}");
        // The walk off goes on along the ridge: c grows far beyond where the rule stopped.
        Assert.True(off.Parameters[2] > 10 * on.Parameters[2], $"c off {off.Parameters[2]:G4}, on {on.Parameters[2]:G4}");
        // ... while the objective and the curve hardly change: the rule stopped on a flat ridge.
        Assert.True(on.Objective <= 1.05 * off.Objective, $"objective on {on.Objective:G6}, off {off.Objective:G6}");
        var h = curves[0].History;
        var a = new double[curves[0].Steps.Length];
        var b = new double[a.Length];
        law.Predict(on.Parameters, h, curves[0].Steps, a);
        law.Predict(off.Parameters, h, curves[0].Steps, b);
        double residualRms = Math.Sqrt(2 * off.Objective);
        Assert.True(Rms(a.Select((x, i) => (x - b[i]) / curves[0].Loss[i])) < 0.5 * residualRms);
    }

    [Fact]
    public void Off_by_default_and_the_same_fit_bit_for_bit_where_the_rule_does_not_fire()
    {
        var mpl = new MultiPowerLaw();
        double[] truth = [.. MultiPowerLaw.Published["25M"]];
        FitTarget[] curves = [SyntheticCurves.Curve(mpl, truth, SyntheticCurves.Wsd(3000, 0.2), "a", 0.002, 1), SyntheticCurves.Curve(mpl, truth, SyntheticCurves.Wsd(2500, 0.5), "b", 0.002, 2)];
        Assert.Equal(0, new FitOptions().RidgeTolerance);
        var byDefault = LawFitter.Fit(mpl, curves);
        var off = LawFitter.Fit(mpl, curves, new FitOptions { RidgeTolerance = 0 });
        // A tolerance no window reaches: the rule is checked at every accepted point but never fires.
        var never = LawFitter.Fit(mpl, curves, new FitOptions { RidgeTolerance = 1e-300 });
        foreach (var fit in new[] { off, never })
        {
            Assert.Equal(byDefault.Parameters, fit.Parameters);
            Assert.Equal(byDefault.Objective, fit.Objective);
            Assert.Equal(byDefault.Iterations, fit.Iterations);
            Assert.Equal(byDefault.Evaluations, fit.Evaluations);
            Assert.Equal(byDefault.StopReason, fit.StopReason);
        }
    }

    [Fact]
    public void The_fit_cache_key_holds_the_effective_tolerance()
    {
        var mpl = new MultiPowerLaw();
        var curves = SyntheticCurves.Tissue(1, 0.002, seed: 5);
        string Key(FitOptions o) => FitCacheKey.Of(mpl, curves, o);
        Assert.Equal(Key(new FitOptions()), Key(new FitOptions { RidgeTolerance = 0 }));
        Assert.NotEqual(Key(new FitOptions()), Key(new FitOptions { RidgeTolerance = 0.01 }));
        Assert.NotEqual(Key(new FitOptions { RidgeTolerance = 0.01 }), Key(new FitOptions { RidgeTolerance = 0.01, RidgeWindow = 3 }));
        Assert.Equal(Key(new FitOptions { RidgeWindow = 3 }), Key(new FitOptions()));
    }
}
