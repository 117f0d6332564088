using HyperLaws.Schedules;
using HyperLaws.ScheduleOptimization;

namespace HyperLaws.Cli.Commands.OptimizeSchedule;

/// <summary>An optimised schedule against its baselines (all predicted by the law, not measured).</summary>
/// <param name="Optimized">The optimiser's result.</param>
/// <param name="Seconds">Wall time of the optimisation.</param>
/// <param name="Baselines">WSD and cosine of the same peak and warmup.</param>
/// <param name="BaselineLoss">Each baseline's predicted final loss.</param>
/// <param name="Lr">The optimised schedule, one LR per step.</param>
/// <param name="Shape">Where its cooldown starts and its final LR.</param>
internal sealed record OptimizeScheduleResult(
    OptimizedSchedule Optimized, double Seconds, IReadOnlyList<(string Name, LrSchedule Schedule)> Baselines, IReadOnlyList<double> BaselineLoss,
    double[] Lr, ScheduleShape Shape);
