namespace HyperLaws.Fitting;

/// <summary>
/// What <see cref="StallCheck"/>'s forecast of a stalled curve holds after its fitted window (docs/VALIDATION.md, "Curves that stop
/// improving" and "A stall hold of the progress alone").
/// </summary>
public enum StallHold
{
    /// <summary>The recent level, flat: no further change of any kind.</summary>
    Level,

    /// <summary>
    /// The law's progress (the part that falls with intrinsic time) frozen at the window's end and re-levelled to the recent level, the
    /// law's drop from the schedule's later LR changes kept (<see cref="StallCheck.Forecast(CurveStall, StallHold, Laws.ILossLaw, double[], Laws.ScheduleHistory, Laws.ScheduleHistory, int[], double[], double)"/>);
    /// a law without that split (<see cref="Laws.IProgressLaw"/>) holds the level.
    /// </summary>
    Progress,
}
