using System.Globalization;
using HyperLaws.Divergence;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using static System.FormattableString;

namespace HyperLaws.Validation;

/// <summary>The backtest's result.</summary>
public sealed record PlanBacktestResult(PlanBacktestOptions Options, double Parameters, IReadOnlyList<HorizonBacktest> Horizons, IReadOnlyList<string> Excluded, double Seconds);
