using HyperLaws.Divergence;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.Diverge;

/// <summary>The settings of <c>hyperlaws diverge</c>, each read and checked once; a value a mode does not use is null.</summary>
/// <param name="Mode">Which of the five modes runs.</param>
/// <param name="Runs">Labelled runs (--fit, --score, --calibrate), or null.</param>
/// <param name="OutPath">Where --fit or --calibrate writes DIV.json, or null.</param>
/// <param name="ModelPath">DIV.json as given (--score, --model, --calibrate), or null.</param>
/// <param name="Model">DIV.json, read and validated (--score, --model, --calibrate), or null.</param>
/// <param name="Schedule">The schedule to check (--model), or null.</param>
/// <param name="Parameters">Model size in parameters (--model); NaN otherwise.</param>
/// <param name="BatchTokens">Tokens per optimizer step (--model); NaN otherwise.</param>
/// <param name="DataRoot">The folder laid out like shared/data (--validate).</param>
/// <param name="Assumption">The schedule assumed for sweep-table runs.</param>
/// <param name="Factor">A sweep run is diverged when its loss exceeds this factor x its cell's best.</param>
/// <param name="FitWarmup">Also fit the warmup exponent.</param>
/// <param name="BatchCurvature">Also fit the edge's curvature G in ln batch (--fit, --validate).</param>
/// <param name="Json">Print one JSON object instead of the table.</param>
/// <param name="Quiet">No progress on stderr (also with --json).</param>
internal sealed record DivergeSettings(
    DivergeMode Mode, IReadOnlyList<string>? Runs, string? OutPath, string? ModelPath, DivergenceModel? Model, LrSchedule? Schedule,
    double Parameters, double BatchTokens, string DataRoot, SweepScheduleAssumption Assumption, double Factor, bool FitWarmup, bool BatchCurvature, bool Json, bool Quiet);
