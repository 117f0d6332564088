using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Evaluation;

/// <summary>
/// Screens a schedule for divergence before a law ranks it (e.g. a divergence model fitted on runs that blew up).
/// Returns true (diverges), false (trains), or null when the screen cannot tell.
/// </summary>
public interface IDivergenceScreen
{
    bool? Diverges(ScheduleHistory history, double modelSize);
}
