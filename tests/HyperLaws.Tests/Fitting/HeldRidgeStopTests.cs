using HyperLaws.Fitting;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Fitting;

/// <summary>
/// The flat-ridge stop of MPL's fit held at its decay prior (<see cref="FitOptions.HeldRidgeTolerance"/>; docs/VALIDATION.md, "MPL held
/// at its decay prior: a declared stop on its ridge"): on a constant-LR curve that is log-linear in the LR sum (the limit of
/// L0 + A S1^-alpha as alpha -&gt; 0, so the held fit walks L0 -&gt; -infinity, A -&gt; infinity) it fires; on a power-law curve the held
/// fit converges in a bowl first and is the same bit for bit; off by default; the caller's own ridge tolerance is left as it is.
/// </summary>
public sealed class HeldRidgeStopTests
{
    /// <summary>A constant LR of 1e-3 for 2,000 steps, observed every 10 steps from step 50, with +-0.05% of deterministic noise.</summary>
    private static FitTarget[] Constant(Func<double, double> loss)
    {
        var history = new ScheduleHistory(Enumerable.Repeat(1e-3, 2000).ToArray());
        int[] steps = [.. Enumerable.Range(0, 196).Select(i => 50 + 10 * i)];
        double[] y = [.. steps.Select((t, i) => loss(history.S1(t)) * (1 + 5e-4 * Math.Sin(2.7 * i)))];
        return [new FitTarget("constant", history, steps, y)];
    }

    /// <summary>Log-linear in S1: the held fit's ridge.</summary>
    private static FitTarget[] Ridge() => Constant(s1 => 4.0 - 0.12 * Math.Log(s1));

    /// <summary>A power law in S1 (alpha 0.5): a bowl.</summary>
    private static FitTarget[] Bowl() => Constant(s1 => 2.5 + 1.5 * Math.Pow(s1, -0.5));

    private static IdentifiedFit Fit(FitTarget[] curves, FitOptions options)
    {
        var fit = IdentifiedFitter.Fit(new MultiPowerLaw(), curves, options);
        Assert.NotNull(fit.Pins);   // the decay is held at its prior (no LR decay in the curve)
        return fit;
    }

    [Fact]
    public void On_a_ridge_the_held_fit_stops_early_where_the_walk_to_the_cap_would_go_on()
    {
        var curves = Ridge();
        var off = Fit(curves, new FitOptions { HeldRidgeTolerance = 0 }).Fit;
        var on = Fit(curves, new FitOptions { HeldRidgeTolerance = FitOptions.DeclaredRidgeTolerance }).Fit;
        Assert.Contains("flat ridge", on.StopReason, StringComparison.Ordinal);
        Assert.DoesNotContain("flat ridge", off.StopReason, StringComparison.Ordinal);
        Assert.True(on.Iterations < off.Iterations, $"on {on.Iterations} iterations, off {off.Iterations}");
        // Off, the walk goes on along the ridge: L0 further down and alpha smaller than where the stop left them.
        Assert.True(off.Parameters[MultiPowerLaw.L0] < on.Parameters[MultiPowerLaw.L0] && off.Parameters[MultiPowerLaw.Alpha] < on.Parameters[MultiPowerLaw.Alpha],
            $"L0 off {off.Parameters[MultiPowerLaw.L0]:G4}, on {on.Parameters[MultiPowerLaw.L0]:G4}; alpha off {off.Parameters[MultiPowerLaw.Alpha]:G4}, on {on.Parameters[MultiPowerLaw.Alpha]:G4}");
        Assert.True(on.Objective >= off.Objective && on.Objective <= 1.1 * off.Objective, $"objective on {on.Objective:G6}, off {off.Objective:G6}");
    }

    [Fact]
    public void In_a_bowl_the_held_fit_is_the_same_bit_for_bit()
    {
        var curves = Bowl();
        var off = Fit(curves, new FitOptions { HeldRidgeTolerance = 0 }).Fit;
        var on = Fit(curves, new FitOptions { HeldRidgeTolerance = FitOptions.DeclaredRidgeTolerance }).Fit;
        Assert.DoesNotContain("flat ridge", on.StopReason, StringComparison.Ordinal);
        Assert.Equal(off.Parameters, on.Parameters);
        Assert.Equal(off.Objective, on.Objective);
        Assert.Equal(off.Iterations, on.Iterations);
        Assert.Equal(off.Evaluations, on.Evaluations);
    }

    [Fact]
    public void Off_by_default_and_the_callers_own_ridge_tolerance_is_kept()
    {
        var curves = Ridge();
        Assert.Equal(0, new FitOptions().EffectiveHeldRidgeTolerance);
        var byDefault = Fit(curves, new FitOptions()).Fit;
        var off = Fit(curves, new FitOptions { HeldRidgeTolerance = 0 }).Fit;
        Assert.Equal(off.Parameters, byDefault.Parameters);
        Assert.Equal(off.Iterations, byDefault.Iterations);
        // A caller's own tolerance (the planner's held-out check) is the one the held fit uses, whatever HeldRidgeTolerance says.
        var own = Fit(curves, new FitOptions { RidgeTolerance = 0.05 }).Fit;
        var both = Fit(curves, new FitOptions { RidgeTolerance = 0.05, HeldRidgeTolerance = 1e-6 }).Fit;
        Assert.Equal(own.Parameters, both.Parameters);
        Assert.Equal(own.Iterations, both.Iterations);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_negative_or_non_finite_tolerance_is_refused(double tolerance)
    {
        var options = new FitOptions { HeldRidgeTolerance = tolerance };
        string expected = FormattableString.Invariant($"FitOptions.HeldRidgeTolerance must be 0 (off) or positive and finite (got {tolerance}).");
        // The held fit, and the free fits where nothing is held (priors off; another law), refuse it alike.
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => IdentifiedFitter.Fit(new MultiPowerLaw(), Ridge(), options)).Message);
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => IdentifiedFitter.Fit(new MultiPowerLaw(), Ridge(), options, priors: false)).Message);
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => LawFitter.Fit(new AnnealingLaw(), Ridge(), options)).Message);
        // The bootstrap refuses it before any refit (not as every replicate failing).
        var fit = Fit(Ridge(), new FitOptions());
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => IdentifiedFitter.Bootstrap(new MultiPowerLaw(), Ridge(), fit, new BootstrapOptions { Replicates = 2, Fit = options })).Message);
    }

    [Fact]
    public void The_pinned_bootstrap_refits_with_the_held_ridge_stop_as_the_held_fit_does()
    {
        // The same prior-held fit bootstrapped three ways: the held stop on must equal the caller's own stop at the same tolerance
        // (both are the pinned refits' RidgeTolerance), and differ from the stop off (the refits walk on along the ridge).
        var curves = Ridge();
        var fit = Fit(curves, new FitOptions { HeldRidgeTolerance = FitOptions.DeclaredRidgeTolerance });
        BootstrapSamples Samples(FitOptions options) =>
            IdentifiedFitter.Bootstrap(new MultiPowerLaw(), curves, fit, new BootstrapOptions { Replicates = 6, MaxDegreeOfParallelism = 1, Fit = options }).Bootstrap;
        var held = Samples(new FitOptions { HeldRidgeTolerance = FitOptions.DeclaredRidgeTolerance });
        var own = Samples(new FitOptions { RidgeTolerance = FitOptions.DeclaredRidgeTolerance });
        var off = Samples(new FitOptions { HeldRidgeTolerance = 0 });
        Assert.Equal(own.Samples, held.Samples);
        Assert.NotEqual(off.Samples, held.Samples);
        // Off, the refits go further down the ridge (L0 lower) than where the stop leaves them.
        Assert.True(off.Samples.Average(p => p[MultiPowerLaw.L0]) < held.Samples.Average(p => p[MultiPowerLaw.L0]),
            $"mean L0 off {off.Samples.Average(p => p[MultiPowerLaw.L0]):G6}, held stop {held.Samples.Average(p => p[MultiPowerLaw.L0]):G6}");
    }
}
