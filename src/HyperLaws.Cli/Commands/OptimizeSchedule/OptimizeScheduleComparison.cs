using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.OptimizeSchedule;

/// <summary>The --compare-mpl result: per size, the schedules optimised under each law and the baselines, scored under both.</summary>
/// <param name="Sizes">One comparison per model size.</param>
/// <param name="Seconds">Wall time.</param>
internal sealed record OptimizeScheduleComparison(IReadOnlyList<SizeComparison> Sizes, double Seconds);
