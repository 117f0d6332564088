using System.Globalization;
using HyperLaws.Divergence;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using static System.FormattableString;

namespace HyperLaws.Validation;

/// <summary>The grid run a choice is scored by, and every way in which it differs from the choice (empty: the same schedule but for the warmup).</summary>
/// <param name="Run">The run scored.</param>
/// <param name="Notes">The differences, in words.</param>
/// <param name="Tied">A run exactly as near in cooldown or floor (the choice lies halfway between two grid values; <see cref="Run"/> is the smaller), else null.</param>
public sealed record GridMatch(GridRun Run, IReadOnlyList<string> Notes, GridRun? Tied = null);
