using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// The divergence guard of a plan for an optimizer that no divergence prior was fitted on (the shipped prior is Step Law's, AdamW runs
/// only): the runs' own evidence (<see cref="RunEvidence"/>), no model. A schedule diverges when its peak LR (target units) reaches the
/// lowest peak that diverged among the runs, <see cref="LowestDiverged"/> = that run's peak / <c>runUnitsPerTarget</c>; with no run
/// diverged nothing is known to diverge and the guard never fires (the peak is then held only by the runs' LR range). The highest
/// peak that trained (<see cref="HighestTrained"/>) is stated with it. Verdicts are 0/1: there is no fitted slope to give a probability.
/// </summary>
public sealed class EvidenceDivergenceGuard : IDivergenceGuard
{
    /// <summary>The guard from <paramref name="evidence"/>, its peaks carried to the target's units by dividing by <paramref name="runUnitsPerTarget"/> (1 when not a positive number).</summary>
    public EvidenceDivergenceGuard(RunEvidence evidence, double runUnitsPerTarget, string optimizer)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        double u = runUnitsPerTarget > 0 && double.IsFinite(runUnitsPerTarget) ? runUnitsPerTarget : 1;
        Evidence = evidence;
        HighestTrained = evidence.HighestTrained / u;
        LowestDiverged = evidence.LowestDiverged / u;
        Source = FormattableString.Invariant($"the runs' own evidence ({optimizer}: no divergence prior for it): trained up to peak {ScalingRules.G(HighestTrained)}, ")
            + (double.IsFinite(LowestDiverged) ? FormattableString.Invariant($"lowest diverged peak {ScalingRules.G(LowestDiverged)}") : "none diverged");
    }

    /// <summary>The runs' evidence, in their units.</summary>
    public RunEvidence Evidence { get; }

    /// <summary>The highest peak that trained, target units (NaN when none).</summary>
    public double HighestTrained { get; }

    /// <summary>The lowest peak that diverged, target units (+infinity when none).</summary>
    public double LowestDiverged { get; }

    /// <inheritdoc/>
    public string Source { get; }

    /// <inheritdoc/>
    public DivergenceCheck Check(LrSchedule schedule, PlanTarget target)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        double peak = schedule.Evaluate().Max();
        bool diverges = peak >= LowestDiverged;
        return new DivergenceCheck(diverges, diverges ? 1 : 0, double.IsFinite(LowestDiverged) ? LowestDiverged : double.NaN,
            double.IsFinite(LowestDiverged) ? peak / LowestDiverged : double.NaN);
    }

    /// <inheritdoc/>
    public double HighestSafePeak(Func<double, LrSchedule?> shape, PlanTarget target, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(shape);
        bool Diverges(double peak) => shape(peak) is { } s && Check(s, target).Diverges;
        if (!Diverges(high)) return high;
        if (LowestDiverged <= low || Diverges(low)) return double.NaN;
        // Just below the lowest diverged peak; the shape may round the peak (3 significant digits) back up to it.
        double peak = Math.Min(high, LowestDiverged * 0.999);
        for (int i = 0; i < 8 && Diverges(peak); i++) peak *= 0.999;
        return Math.Max(low, peak);
    }
}
