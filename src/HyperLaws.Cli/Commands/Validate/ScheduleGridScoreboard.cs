using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 3 (the 124M schedule grid), at one training cooldown fraction or at each in turn.</summary>
/// <param name="AllFractions">Whether --train-fraction all asked for every fraction (then the tables end with the average).</param>
/// <param name="Results">One result per training fraction (<see cref="ScheduleGrid.Run"/>), at least one.</param>
internal sealed record ScheduleGridScoreboard(bool AllFractions, IReadOnlyList<GridResult> Results) : ValidateResult(3);
