using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// The planner's law seam: what the planner asks of a loss law. It predicts the loss of a schedule given in the target's
/// absolute LRs, trained at the <see cref="PlanTarget"/> (N, D, batch, steps), and says which peak LRs its runs support.
/// The planner decides the peak LR, warmup and cooldown as this law's optimum (1-D searches with intervals), so a law with
/// an interior optimum in LR plugs in by implementing this interface (or an adapter to it) and passing it in
/// <see cref="PlanOptions.Law"/>. <see cref="FittedScheduleLaw"/> adapts the schedule-to-loss laws of one budget
/// (<see cref="Laws.ILossLaw"/> fits in the runs' LR units).
/// Implementations must be safe to call from several threads at once.
/// </summary>
public interface IPlanLaw
{
    /// <summary>The law's short name (shown in the plan).</summary>
    string Name { get; }

    /// <summary>
    /// Writes the predicted loss after each of <paramref name="steps"/> (1-based, ascending, at most the schedule's steps)
    /// of <paramref name="schedule"/> (absolute LRs) for a run at <paramref name="target"/> into <paramref name="output"/>.
    /// The planner's final loss is the value at <c>schedule.Steps</c>.
    /// </summary>
    void Predict(LrSchedule schedule, PlanTarget target, ReadOnlySpan<int> steps, Span<double> output);

    /// <summary>The peak LRs (absolute, at <paramref name="target"/>) the law's runs support.</summary>
    PeakSupport Support(PlanTarget target);
}
