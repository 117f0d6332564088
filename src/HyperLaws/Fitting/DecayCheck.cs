using HyperLaws.Laws;
using HyperLaws.Laws.Joint;

namespace HyperLaws.Fitting;

/// <summary>
/// The physical checks of protocol 14e/15e's rule (<see cref="IdentificationRule.Evidence"/>, docs/VALIDATION.md): whether the
/// free fit of a decay seen only in part read a decay from the decrement, or something no loss does. No constant here is fitted
/// to any data set:
/// <list type="bullet">
/// <item>C1, a failed fit: a non-finite parameter, or an objective above the prior-held fit's (the free law contains the prior-held
/// one, so it could have reached that point; relative tolerance 1e-9, floating point).</item>
/// <item>C2, a negative floor: L0 &lt; 0. For MPL, tissue and OptLaw L0 is the loss after unlimited training at a constant LR, and
/// a loss is not negative.</item>
/// <item>C3, a decay that is not one: each fitted curve (last fitted step T, LR eta_T &gt; 0 there) continued by T more steps with
/// the LR held at eta_T (<c>hold</c>) or lowered linearly to 0 at 2T (<c>decay</c>): the loss at 2T under <c>decay</c> must be
/// finite, positive, strictly below <c>hold</c>'s (annealing lowers the loss; a decay term switched off or run to a bound gives
/// no drop, or a rise from the smaller LR sum), and at most the curve's L_ref (the median of its last 5 fitted losses).</item>
/// </list>
/// </summary>
public static class DecayCheck
{
    /// <summary>C1's relative tolerance on the objectives (floating point, not a fitted constant).</summary>
    public const double ObjectiveTolerance = 1e-9;

    /// <summary>
    /// Why <paramref name="free"/> is non-physical (the first check it fails, one phrase), or null when it passes every check.
    /// </summary>
    /// <param name="law">The law both fits are of (a <see cref="CachedLaw"/> is unwrapped to find L0).</param>
    /// <param name="free">The free fit.</param>
    /// <param name="prior">The prior-held fit of the same curves (full parameter vector); null skips C1's comparison.</param>
    /// <param name="targets">The fitted curves.</param>
    public static string? Failure(IFittableLaw law, LawFit free, LawFit? prior, IReadOnlyList<FitTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(free);
        ArgumentNullException.ThrowIfNull(targets);
        if (!free.HasFiniteParameters || !double.IsFinite(free.Objective)) return "its free fit has non-finite parameters or objective (C1)";
        if (prior is not null && double.IsFinite(prior.Objective) && free.Objective > prior.Objective * (1 + ObjectiveTolerance))
            return FormattableString.Invariant($"its free fit failed: objective {free.Objective:G3} above the prior-held fit's {prior.Objective:G3} (C1)");
        if (FloorIndex(law) is int l0 && free.Parameters[l0] < 0)
            return FormattableString.Invariant($"its free fit's floor L0 = {free.Parameters[l0]:G4} is negative (C2)");
        foreach (var t in targets)
        {
            if (t.Steps.Length == 0) continue;
            int last = t.Steps[^1];
            double eta = t.History.Eta(last);
            if (!(eta > 0)) continue;
            var (hold, decay) = Probes(t.History, last);
            double lHold = free.Predict(hold, [2 * last], t.ModelSize)[0];
            double lDecay = free.Predict(decay, [2 * last], t.ModelSize)[0];
            double lref = DecayPrior.ReferenceLoss(t);
            if (!double.IsFinite(lDecay) || !(lDecay > 0))
                return FormattableString.Invariant($"its free fit predicts {lDecay:G4} after a decay to 0 over {last} more steps of {t.Name} (C3)");
            if (!(lDecay < lHold))
                return FormattableString.Invariant($"its free fit's decay does not lower the loss: {lDecay:G6} after a decay to 0 over {last} more steps of {t.Name}, {lHold:G6} with the LR held (C3)");
            if (lDecay > lref)
                return FormattableString.Invariant($"its free fit predicts {lDecay:G5} after a decay to 0 over {last} more steps of {t.Name}, above the last fitted losses' {lref:G5} (C3)");
        }
        return null;
    }

    /// <summary>
    /// C3's continuations of <paramref name="history"/> cut at <paramref name="last"/>: steps 1..last as they were, then last more steps
    /// with the LR held at eta_last (<c>Hold</c>) or lowered linearly to 0 at 2 last (<c>Decay</c>: eta_last (2 last - s) / last).
    /// </summary>
    public static (ScheduleHistory Hold, ScheduleHistory Decay) Probes(ScheduleHistory history, int last)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (last < 1 || last > history.Steps) throw new ArgumentOutOfRangeException(nameof(last), $"step {last} is outside the schedule's 1..{history.Steps}.");
        var hold = new double[2 * last];
        var decay = new double[2 * last];
        for (int s = 1; s <= last; s++) hold[s - 1] = decay[s - 1] = history.Eta(s);
        double eta = history.Eta(last);
        for (int s = last + 1; s <= 2 * last; s++)
        {
            hold[s - 1] = eta;
            decay[s - 1] = eta * (2.0 * last - s) / last;
        }
        return (new ScheduleHistory(hold), new ScheduleHistory(decay));
    }

    /// <summary>The index of L0 in the law's parameters, for the laws whose decay <see cref="DecayPrior"/> covers; null otherwise.</summary>
    private static int? FloorIndex(IFittableLaw law) => Identification.Unwrap(law) switch
    {
        MultiPowerLaw => MultiPowerLaw.L0,
        AnnealingLaw => AnnealingLaw.L0,
        OptLaw => OptLaw.L0,
        _ => null,
    };
}
