using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 17r: candidate schedules of the lr-scheduling runs ranked by protocol 3's ensemble members and the ensemble.</summary>
/// <param name="Result">The protocol's result (<see cref="LrScheduleRanking.Run"/>).</param>
internal sealed record LrScheduleRankingScoreboard(LrScheduleRankingResult Result) : ValidateResult(17);
