using HyperLaws.Schedules;

namespace HyperLaws.ScheduleOptimization;

/// <summary>The optimised schedule, its predicted final loss, the start's, and what it cost.</summary>
public sealed record OptimizedSchedule(TableSchedule Schedule, double PredictedLoss, TableSchedule Start, double StartLoss,
    IReadOnlyList<double> KnotValues, IReadOnlyList<int> KnotSteps, int Evaluations);
