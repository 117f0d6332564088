using HyperLaws.Evaluation;
using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>A <see cref="IPlanLaw"/> that can split the gap between two schedules' final losses into its terms (the decisive term of a family choice).</summary>
public interface IExplainablePlanLaw : IPlanLaw
{
    /// <summary>The law's terms for <paramref name="winner"/> minus <paramref name="reference"/>, largest effect first; null when it cannot tell.</summary>
    IReadOnlyList<TermDifference>? Compare(LrSchedule winner, LrSchedule reference, PlanTarget target);
}
