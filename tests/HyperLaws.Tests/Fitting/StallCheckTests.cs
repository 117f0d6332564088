using HyperLaws.Fitting;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Fitting;

/// <summary>
/// <see cref="StallCheck"/> (docs/VALIDATION.md, "Curves that stop improving: a stall check"): a falling curve passes, a flat or
/// rising one under a falling law is flagged, the noise decides at the stated level, and the held level is the trend line at T.
/// </summary>
public sealed class StallCheckTests
{
    /// <summary>Steps 100, 200, ..., 100 n.</summary>
    private static int[] Steps(int n) => [.. Enumerable.Range(1, n).Select(i => 100 * i)];

    private static double[] Map(int[] steps, Func<int, double> f) => [.. steps.Select(f)];

    /// <summary>A standard normal draw (Box-Muller) from a seeded generator: deterministic.</summary>
    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void A_falling_curve_that_the_law_follows_passes()
    {
        int[] t = Steps(100);
        double[] law = Map(t, s => 3 + 2 / Math.Sqrt(s));
        var random = new Random(1);
        double[] loss = [.. law.Select(y => y + 1e-4 * Normal(random))];
        var stall = StallCheck.Of("falling", t, loss, law);
        Assert.True(stall.Tested);
        Assert.False(stall.Stalled);
        Assert.True(stall.ObservedChange < 0);                    // the fall over the window is seen
        Assert.Equal(50, stall.Points);                            // the fitted steps' second half: 5,100..10,000
        Assert.Equal(5100, stall.FromStep);
        // Even a law that falls much faster than the data is not a stall while the loss itself still falls significantly (test A).
        double[] steeper = Map(t, s => 3 + 6 / Math.Sqrt(s));
        Assert.False(StallCheck.Of("falling", t, loss, steeper).Stalled);
    }

    [Fact]
    public void A_flat_curve_under_a_falling_law_is_flagged_and_held_at_its_level()
    {
        int[] t = Steps(100);
        double[] law = Map(t, s => 3 + 2 / Math.Sqrt(s));         // falls by about 0.008 over the window
        var random = new Random(2);
        double[] loss = Map(t, s => s <= 5000 ? law[s / 100 - 1] : 3.03 + 1e-4 * Normal(random));
        var stall = StallCheck.Of("flat", t, loss, law);
        Assert.True(stall.Stalled);
        Assert.InRange(stall.Level, 3.03 - 1e-3, 3.03 + 1e-3);
        Assert.Equal(stall.Level, StallCheck.Forecast(stall, 20000, 2.9));   // after T: the recent level
        Assert.Equal(2.9, StallCheck.Forecast(stall, 10000, 2.9));           // within the fitted steps: the law
        Assert.Contains("stopped improving", stall.Describe("mpl"));
    }

    [Fact]
    public void A_rising_curve_is_flagged_and_its_level_is_the_trend_line_at_T()
    {
        int[] t = Steps(60);
        double[] law = Map(t, s => 3.5 - 1e-5 * s);
        double[] loss = Map(t, s => 3 + 1e-5 * s);                // exactly linear, rising: the level is 3 + 1e-5 T
        var stall = StallCheck.Of("rising", t, loss, law);
        Assert.True(stall.Stalled);
        Assert.Equal(3 + 1e-5 * 6000, stall.Level, 12);
        Assert.Equal(1e-5 * (6000 - 3100), stall.ObservedChange, 12);
        Assert.Equal(-1e-5 * (6000 - 3100), stall.LawChange, 12);
        Assert.Equal(0, stall.Noise, 12);                          // the residuals lie on their line
        // A law that rises as fast as the data is no stall (test B): the run is not forecast below what it shows.
        Assert.False(StallCheck.Of("rising", t, loss, Map(t, s => 3.1 + 1e-5 * s)).Stalled);
    }

    [Fact]
    public void The_noise_decides_whether_a_small_law_fall_is_a_stall()
    {
        // A flat loss 3 +- sigma (alternating), a law falling linearly by 0.01 over the window (50 points): the fall is flagged when the
        // noise on the window's slope (about 0.5 sigma, times t* = 1.68) is well below it, and not when it is well above it.
        int[] t = Steps(100);
        double[] law = Map(t, s => 3.01 - 0.01 * (s - 5100) / 4900.0);
        double[] Flat(double sigma) => Map(t, s => 3 + sigma * ((s / 100) % 2 == 0 ? 1 : -1));
        Assert.True(StallCheck.Of("quiet", t, Flat(0.001), law).Stalled);
        Assert.False(StallCheck.Of("noisy", t, Flat(0.1), law).Stalled);
    }

    [Fact]
    public void A_flat_curve_under_a_flat_law_is_flagged_at_about_the_stated_level()
    {
        // Under the null (the residuals' slope is 0, Gaussian noise) test B rejects with probability alpha = 5%, and a flat loss passes
        // test A whenever B rejects: over 600 seeded curves of 40 window points the rate of flags is 5% within sampling error (sd 0.9%).
        int[] t = Steps(80);
        double[] law = Map(t, _ => 3.0);
        int flagged = 0;
        const int trials = 600;
        for (int seed = 0; seed < trials; seed++)
        {
            var random = new Random(1000 + seed);
            double[] loss = Map(t, _ => 3.0 + 0.01 * Normal(random));
            if (StallCheck.Of("null", t, loss, law).Stalled) flagged++;
        }
        Assert.InRange(flagged / (double)trials, 0.025, 0.08);
        // The same flat curves under a law that falls by 10 noise-slopes over the window: test B rejects every time, so a curve is flagged
        // unless its noise shows a significant fall (test A fails with probability alpha): about 95 of 100.
        double[] falling = Map(t, s => 3.2 - 0.2 * s / 8000.0);
        int caught = 0;
        for (int seed = 0; seed < 100; seed++)
        {
            var random = new Random(5000 + seed);
            double[] loss = Map(t, _ => 3.0 + 0.01 * Normal(random));
            if (StallCheck.Of("null", t, loss, falling).Stalled) caught++;
        }
        Assert.InRange(caught, 88, 100);
    }

    [Fact]
    public void Too_few_points_in_the_window_are_not_tested()
    {
        int[] t = Steps(9);                                       // window: 500..900, 5 points: tested; 8 steps: 4 points
        double[] law = Map(t, s => 3.5 - 1e-4 * s);
        Assert.True(StallCheck.Of("five", t, Map(t, _ => 3.0), law).Tested);
        int[] fewer = Steps(8);
        var stall = StallCheck.Of("four", fewer, Map(fewer, _ => 3.0), Map(fewer, s => 3.5 - 1e-4 * s));
        Assert.False(stall.Tested);
        Assert.False(stall.Stalled);
        Assert.Equal(5.0, StallCheck.Forecast(stall, 10000, 5.0));
        Assert.Null(stall.Describe("mpl"));
    }

    [Fact]
    public void Through_a_fitted_law_a_run_that_follows_it_passes_and_one_that_levels_off_is_flagged()
    {
        // The published 25M MPL at a constant LR of 3e-4 (2,160 warmup steps), observed every 500 steps to 24,000.
        var law = new MultiPowerLaw();
        var fit = new LawFit(law, [.. MultiPowerLaw.Published["25M"]], 0, 0, 0, true, "given");
        double[] lr = [.. Enumerable.Range(1, 24000).Select(s => 3e-4 * Math.Min(1.0, s / 2160.0))];
        var history = new ScheduleHistory(lr);
        int[] steps = [.. Enumerable.Range(1, 48).Select(i => 500 * i)];
        double[] own = fit.Predict(history, steps);
        var follows = new FitTarget("follows", history, steps, own);
        double plateau = own[23];                                  // the level at 12,000 steps, held from there on
        var levels = new FitTarget("levels", history, steps, [.. steps.Select((s, i) => s <= 12000 ? own[i] : plateau)]);
        var checks = StallCheck.Of(fit, [follows, levels]);
        Assert.False(checks[0].Stalled);
        Assert.True(checks[1].Stalled);
        Assert.Equal(plateau, checks[1].Level, 9);
    }
}

/// <summary>The planner's warning for a stalled run (<see cref="HyperLaws.Planning.WarningKind.RunStalled"/>) in words: the finding and that the plan is unchanged.</summary>
public sealed class RunStalledWarningTests
{
    [Fact]
    public void The_warning_says_what_was_seen_and_that_the_plan_is_not_changed()
    {
        int[] t = [.. Enumerable.Range(1, 60).Select(i => 100 * i)];
        var stall = StallCheck.Of("r1", t, [.. t.Select(s => 3 + 1e-5 * s)], [.. t.Select(s => 3.5 - 1e-5 * s)]);
        var warning = new HyperLaws.Planning.PlanWarning(HyperLaws.Planning.WarningKind.RunStalled)
        {
            Labels = [stall.Curve], Detail = stall.Finding("tissue")!,
            Quantities = new Dictionary<string, double> { ["level"] = stall.Level },
        };
        string text = HyperLaws.Planning.PlanExplainer.Warning(warning);
        Assert.StartsWith("tissue: r1 has stopped improving: over its last fitted steps 3100-6000 (30 points)", text, StringComparison.Ordinal);
        Assert.Contains("the plan is not changed", text, StringComparison.Ordinal);
        Assert.Contains("3.06", text, StringComparison.Ordinal);   // the recent level, 3 + 1e-5 x 6000
    }
}
