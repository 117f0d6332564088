using System.Globalization;
using HyperLaws.Divergence;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using static System.FormattableString;

namespace HyperLaws.Validation;

/// <summary>A baseline's pick at the target horizon and its regret.</summary>
/// <param name="Name">Short name.</param>
/// <param name="Rule">What the baseline does, in words.</param>
/// <param name="Run">The grid run it maps to (null for the median, which is a loss, not a run).</param>
/// <param name="Loss">Its actual final validation loss.</param>
/// <param name="Regret">Loss / best loss at the horizon - 1.</param>
public sealed record BacktestBaseline(string Name, string Rule, GridRun? Run, double Loss, double Regret);
