using HyperLaws.Schedules;

namespace HyperLaws.Validation;

/// <summary>One schedule's predicted final loss under each law of one size.</summary>
public sealed record ScheduleUnderLaws(string Name, LrSchedule Schedule, IReadOnlyDictionary<string, double> Loss, double MaxDifferenceFromMpl, int CooldownStart);
