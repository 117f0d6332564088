using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// One schedule of the plan: the schedule in the target's absolute LRs, the law's predicted final loss with its interval,
/// and the divergence guard's verdict. Its predicted loss curve is figure data (<see cref="PlanFigureData"/>).
/// </summary>
/// <param name="Schedule">The schedule to train with (absolute peak LR, <see cref="PlanHyperparameters.Steps"/> steps).</param>
/// <param name="PredictedLoss">The law's final loss.</param>
/// <param name="Lower">Lower end of the interval (NaN when none).</param>
/// <param name="Upper">Upper end of the interval (NaN when none).</param>
/// <param name="Diverges">The divergence guard's verdict; null without a guard.</param>
/// <param name="DivergenceProbability">The guard's probability; NaN without one.</param>
public sealed record PlannedSchedule(LrSchedule Schedule, double PredictedLoss, double Lower, double Upper, bool? Diverges, double DivergenceProbability);
