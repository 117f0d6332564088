using HyperLaws.Fitting;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Fitting;

/// <summary>
/// <see cref="StallCheck.Forecast(CurveStall, StallHold, ILossLaw, double[], ScheduleHistory, ScheduleHistory, int[], double[], double)"/>
/// with <see cref="StallHold.Progress"/> (docs/VALIDATION.md, "A stall hold of the progress alone"): a run that levels off at a constant
/// LR before a cooldown keeps the law's cooldown drop below its recent level; where the schedule stays constant after the window the
/// forecast is the level hold, to the bit, for every law with a progress split; a law without the split holds the level.
/// </summary>
public sealed class StallHoldTests
{
    private const int Warmup = 2160, Horizon = 24000, Window = 12000;
    private const double Peak = 3e-4;

    /// <summary>Warmup to 3e-4, constant, then (with a cooldown) linear to 3e-5 over the last 20% of 24,000 steps.</summary>
    private static ScheduleHistory Schedule(bool cooldown) => new([.. Enumerable.Range(1, Horizon).Select(s =>
        s <= Warmup ? Peak * s / Warmup
        : !cooldown || s <= 19200 ? Peak
        : Peak - (Peak - 3e-5) * (s - 19200) / 4800.0)]);

    private static readonly int[] Fitted = [.. Enumerable.Range(1, Window / 500).Select(i => 500 * i)];

    /// <summary>A run that follows <paramref name="law"/> to step 6,000 and stays at its level there up to 12,000 (the fitted steps), checked against the law.</summary>
    private static CurveStall LevelledOff(ILossLaw law, double[] p, ScheduleHistory history)
    {
        var own = new double[Fitted.Length];
        law.Predict(p, history, Fitted, own);
        double plateau = own[Array.IndexOf(Fitted, 6000)];
        var stall = StallCheck.Of("levels", Fitted, [.. Fitted.Select((s, i) => s <= 6000 ? own[i] : plateau)], own);
        Assert.True(stall.Stalled);
        Assert.Equal(plateau, stall.Level, 9);
        return stall;
    }

    private static double[] Forecast(CurveStall stall, StallHold hold, ILossLaw law, double[] p, ScheduleHistory history, int[] steps)
    {
        var own = new double[steps.Length];
        law.Predict(p, history, steps, own);
        return StallCheck.Forecast(stall, hold, law, p, history, history, steps, own);
    }

    [Fact]
    public void A_plateau_before_a_cooldown_keeps_the_laws_cooldown_drop()
    {
        var law = new MultiPowerLaw();
        double[] p = [.. MultiPowerLaw.Published["25M"]];
        var wsd = Schedule(cooldown: true);
        var stall = LevelledOff(law, p, wsd);
        int[] at = [Window, 18000, Horizon];
        double[] own = new double[at.Length];
        law.Predict(p, wsd, at, own);
        var level = StallCheck.Forecast(stall, StallHold.Level, law, p, wsd, wsd, at, own);
        var progress = Forecast(stall, StallHold.Progress, law, p, wsd, at);
        Assert.Equal([own[0], stall.Level, stall.Level], level);                 // the level hold: flat after T
        Assert.Equal(own[0], progress[0]);                                      // within the window: the law's own
        // Before the cooldown the LR is T's: the level (within MPL's evaluation tolerance, 1e-5 per history: the two differ after 19,200).
        Assert.InRange(progress[1] - stall.Level, -2e-5, 2e-5);
        // After the cooldown: the level plus MPL's drop from the cooldown, -LD on the schedule less -LD on it held at 3e-4 (the law's
        // "loss drop" term), which is a fall of several hundredths here; the law's further progress from 12,000 on is not added.
        var c = Schedule(cooldown: false);
        double drop = law.Explain(p, wsd, Horizon)[2].Contribution - law.Explain(p, c, Horizon)[2].Contribution;
        Assert.True(drop < -0.05, $"drop {drop}");
        Assert.Equal(stall.Level + drop, progress[2], 6);
        Assert.True(progress[2] > own[2]);                                      // less than the law's own fall (no progress after T)
    }

    [Fact]
    public void Where_the_schedule_stays_constant_the_progress_hold_is_the_level_hold_for_every_split_law()
    {
        var constant = Schedule(cooldown: false);
        int[] at = [Window, 15000, Horizon];
        (ILossLaw Law, double[] P)[] laws =
        [
            (new MultiPowerLaw(), [.. MultiPowerLaw.Published["25M"]]),
            (new AnnealingLaw(), [3.0, 0.5, 0.5, 300]),
            (new OptLaw(), [3.0, 0.5, 0.5, 0.1, 0.8, .. new OptLaw().Lags.Select((_, k) => k % 3 == 0 ? 50.0 : 0)]),
            (new ConvexBoundLaw(), [3.0, 0.5, 20]),
        ];
        foreach (var (law, p) in laws)
        {
            Assert.IsAssignableFrom<IProgressLaw>(law);
            var stall = LevelledOff(law, p, constant);
            var progress = Forecast(stall, StallHold.Progress, law, p, constant, at);
            Assert.Equal(stall.Level, progress[1]);                             // exactly: the same schedule arrays, D - D = 0
            Assert.Equal(stall.Level, progress[2]);
        }
    }

    [Fact]
    public void A_law_without_a_progress_split_holds_the_level()
    {
        var law = new Linear();
        double[] p = [3.5, 1e-5];
        var wsd = Schedule(cooldown: true);
        var stall = LevelledOff(law, p, wsd);
        Assert.Equal([stall.Level, stall.Level], Forecast(stall, StallHold.Progress, law, p, wsd, [18000, Horizon]));
    }

    [Fact]
    public void A_curve_that_is_not_stalled_keeps_the_laws_own_forecast()
    {
        var law = new MultiPowerLaw();
        double[] p = [.. MultiPowerLaw.Published["25M"]];
        var wsd = Schedule(cooldown: true);
        var own = new double[Fitted.Length];
        law.Predict(p, wsd, Fitted, own);
        var stall = StallCheck.Of("follows", Fitted, own, own);
        Assert.False(stall.Stalled);
        int[] at = [18000, Horizon];
        var ownAt = new double[2];
        law.Predict(p, wsd, at, ownAt);
        Assert.Equal(ownAt, StallCheck.Forecast(stall, StallHold.Progress, law, p, wsd, wsd, at, ownAt));
    }

    /// <summary>L(t) = a - b t: a law with no progress split (not <see cref="IProgressLaw"/>).</summary>
    private sealed class Linear : ILossLaw
    {
        public string Name => "linear";

        public IReadOnlyList<string> ParameterNames { get; } = ["a", "b"];

        public void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
        {
            for (int i = 0; i < steps.Length; i++) output[i] = parameters[0] - parameters[1] * steps[i];
        }
    }
}
