using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocols 7 (leave one LR out) and 8 (cross-family) on the 124M grid.</summary>
/// <param name="Result">The protocol's result (<see cref="LrAxis.LeaveOneLrOut"/> or <see cref="LrAxis.CrossFamily"/>); its protocol is this record's.</param>
internal sealed record LrAxisScoreboard(LrAxisResult Result) : ValidateResult(Result.Protocol);
