using HyperLaws.Schedules;
using HyperLaws.ScheduleOptimization;

namespace HyperLaws.Validation;

/// <summary>One size: the schedules compared and how long it took.</summary>
public sealed record SizeComparison(string Size, IReadOnlyList<ScheduleUnderLaws> Schedules, IReadOnlyDictionary<string, int> Evaluations, double Seconds);
