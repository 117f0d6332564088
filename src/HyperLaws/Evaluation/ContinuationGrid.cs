using HyperLaws.Schedules;

namespace HyperLaws.Evaluation;

/// <summary>
/// Candidate continuations of an existing run for <see cref="SchedulePreselection"/>: re-warm length x new peak x decay
/// family, each a <see cref="ContinuedSchedule"/> (the run's history followed by the new schedule of <c>steps</c> steps),
/// so a law ranking them sees the whole history. Decays: constant, cosine (to 0), linear (to 0), wsd (linear cooldown
/// over the last 20% of the continuation, to 0). A re-warm of 0 starts at the new peak at once; otherwise the re-warm
/// is linear from 0 (<see cref="RewarmFrom.Zero"/>) or from the run's last LR (<see cref="RewarmFrom.Current"/>).
/// </summary>
public sealed record ContinuationGrid(IReadOnlyList<int> Rewarms, IReadOnlyList<double> Peaks, IReadOnlyList<string> Decays, RewarmFrom RewarmFrom = RewarmFrom.Zero)
{
    /// <summary>The decay families a continuation may use: constant, cosine, linear, wsd.</summary>
    public static readonly IReadOnlyList<string> KnownDecays =
        [ScheduleFamily.Constant.Name, ScheduleFamily.Cosine.Name, ScheduleFamily.Linear.Name, ScheduleFamily.Wsd.Name];

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad grid value.</summary>
    public void Check(int steps)
    {
        if (Rewarms.Count == 0) throw new ArgumentException("rewarm: none given.");
        if (Peaks.Count == 0) throw new ArgumentException("peaks: none given.");
        if (Decays.Count == 0) throw new ArgumentException("decay: none given.");
        foreach (var w in Rewarms)
            if (w < 0 || w >= steps) throw new ArgumentException($"rewarm: {w} is not a whole number of steps in [0, {steps}).");
        foreach (var p in Peaks)
            if (!(p > 0) || !double.IsFinite(p)) throw new ArgumentException($"peaks: {p} is not a positive learning rate.");
        foreach (var d in Decays)
            if (!KnownDecays.Contains(d)) throw new ArgumentException($"decay: '{d}' is not one of {string.Join(", ", KnownDecays)}.");
    }

    /// <summary>Every continuation of <paramref name="previous"/> by <paramref name="steps"/> steps, duplicates removed.</summary>
    public IReadOnlyList<ContinuedSchedule> Schedules(LrSchedule previous, int steps)
    {
        ArgumentNullException.ThrowIfNull(previous);
        if (steps < 2) throw new ArgumentException($"steps: {steps} is fewer than 2.");
        Check(steps);
        var list = new List<ContinuedSchedule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var decay in Decays.Distinct())
            foreach (var peak in Peaks)
                foreach (var rewarm in Rewarms)
                {
                    LrSchedule next = decay switch
                    {
                        _ when decay == ScheduleFamily.Constant.Name => new ConstantSchedule(peak, steps, rewarm),
                        _ when decay == ScheduleFamily.Cosine.Name => new CosineSchedule(peak, steps, rewarm),
                        _ when decay == ScheduleFamily.Linear.Name => new LinearSchedule(peak, steps, rewarm),
                        _ => new WsdSchedule(peak, steps, rewarm, cooldownSteps: Math.Min(steps - rewarm, Math.Max(1, (int)Math.Round(0.2 * steps)))),
                    };
                    var c = new ContinuedSchedule(previous, next, rewarm > 0 ? RewarmFrom : RewarmFrom.Zero);
                    if (seen.Add(c.ToSpec())) list.Add(c);
                }
        return list;
    }
}
