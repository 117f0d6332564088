namespace HyperLaws.Planning;

/// <summary>
/// How far a prediction reaches beyond the law's runs, for an <see cref="IIntervalProvider"/> that widens with it: each a
/// ratio >= 1 of the target to the nearest run (NaN: unknown). <see cref="HorizonRatio"/>: steps over the longest run's;
/// <see cref="SizeRatio"/>: N over the nearest run size (either way up); <see cref="LrRatio"/>: the peak LR over the
/// supported range's nearer edge (1 inside it).
/// </summary>
public sealed record PlanExtrapolation(double HorizonRatio, double SizeRatio, double LrRatio)
{
    /// <summary>
    /// The schedule-shape distance D of the planned schedule from the nearest run the law was fitted on
    /// (<see cref="Evaluation.ScheduleShape.OfSchedule"/>); 0 (the default): not measured, no shape term. Read only by an interval calibrated
    /// with a shape growth (<see cref="PlanOptions.ShapeIntervals"/>; docs/VALIDATION.md "Intervals widened by the schedule-shape distance").
    /// </summary>
    public double Shape { get; init; }
}
