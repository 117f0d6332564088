using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Evaluation;

/// <summary>
/// Screens a schedule for divergence before a law ranks it (e.g. a divergence model fitted on runs that blew up).
/// Returns true (diverges), false (trains), or null when the screen cannot tell.
/// </summary>
public interface IDivergenceScreen
{
    /// <summary>Whether a run with this LR history and <paramref name="modelSize"/> parameters diverges: true, false, or null when the screen cannot tell.</summary>
    bool? Diverges(ScheduleHistory history, double modelSize);

    /// <summary>
    /// The verdict and P(diverge) from one look at the schedule. The default has no probability (NaN); a screen with one
    /// (<c>Divergence.DivergenceScreen</c>: the critical-LR boundary's logistic) overrides it so both come from one prediction.
    /// </summary>
    ScreenVerdict Screen(ScheduleHistory history, double modelSize) => new(Diverges(history, modelSize), double.NaN);
}
