namespace HyperLaws.Planning;

/// <summary>
/// The schedule-regret rule's decision (<see cref="ObservedBest"/>): the law's pick against the schedule the runs show best, taken
/// to the target, with the numbers that decided it. <see cref="PlanExplainer"/> writes it in words (a <see cref="ReasonKind.ObservedBest"/> reason).
/// </summary>
/// <param name="Outcome">What the rule decided.</param>
/// <param name="Run">The best run (the incumbent): the lowest final loss among the runs of the longest horizon compared; "" when none.</param>
/// <param name="RunLoss">Its final loss (final evaluation when the runs compared have one, else its last logged loss); NaN when none.</param>
/// <param name="RunsCompared">How many runs of that horizon (and size) were compared.</param>
/// <param name="Incumbent">The incumbent's schedule taken to the target (its family, warmup, cooldown and floor as fractions of the run, at its own peak when <see cref="OwnPeak"/>, else at the pick's); "" when none.</param>
/// <param name="ShapeMismatch">RMS difference between the incumbent's LRs and the planner schedule that reads it, as a fraction of its peak.</param>
/// <param name="PickLoss">The law's final loss of its own pick at the target.</param>
/// <param name="IncumbentLoss">The law's final loss of the incumbent at the target.</param>
/// <param name="Gain">The law's predicted gain of its pick over the incumbent: <paramref name="IncumbentLoss"/> / <paramref name="PickLoss"/> - 1.</param>
/// <param name="Threshold">The law's schedule-comparison error measured on the runs (the finite-sample 90% quantile of |e|, <see cref="ObservedBest.ComparisonThreshold"/>); NaN when too few comparisons.</param>
/// <param name="Comparisons">How many within-runs comparisons (pairs of runs of one horizon and peak LR) the threshold comes from.</param>
/// <param name="Applied">True when the plan follows the rule (<see cref="PlanOptions.ObservedBest"/>); false: reported only.</param>
public sealed record ObservedBestDecision(ObservedBestOutcome Outcome, string Run, double RunLoss, int RunsCompared, string Incumbent, double ShapeMismatch,
    double PickLoss, double IncumbentLoss, double Gain, double Threshold, int Comparisons, bool Applied)
{
    /// <summary>The law's pick (its schedule spec at the target), whatever the outcome.</summary>
    public string Pick { get; init; } = "";

    /// <summary>The pick's peak LR (target units).</summary>
    public double PickPeak { get; init; } = double.NaN;

    /// <summary>The incumbent's peak LR at the target: its own (the peak decision for its shape) when <see cref="OwnPeak"/>, else the pick's.</summary>
    public double IncumbentPeak { get; init; } = double.NaN;

    /// <summary>True when the incumbent was taken to the target at its own peak (<see cref="PlanOptions.PeakForKeptSchedule"/>).</summary>
    public bool OwnPeak { get; init; }

    /// <summary>
    /// The schedule the plan keeps when <see cref="KeptIncumbent"/>: the incumbent as decided (at the pick's warmup), or rebuilt at its
    /// run's own warmup (the caller's <c>warmupFor</c>) and its peak decided again for it; "" when the incumbent is not kept.
    /// </summary>
    public string Kept { get; init; } = "";

    /// <summary>The law's final loss of <see cref="Kept"/> at the target; NaN when the incumbent is not kept.</summary>
    public double KeptLoss { get; init; } = double.NaN;

    /// <summary>True when the plan's schedule is the incumbent (the rule kept it and was applied).</summary>
    public bool KeptIncumbent => Applied && Outcome is ObservedBestOutcome.KeptUnmeasured or ObservedBestOutcome.KeptWithinError;
}
