using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocols 3h and 17h: ensemble-lr with one peak LR held out (<see cref="LrHoldOut"/>).</summary>
/// <param name="Result">The protocol's result.</param>
internal sealed record LrHoldOutScoreboard(LrHoldOutResult Result) : ValidateResult(Result.Protocol == "3h" ? 3 : 17);
