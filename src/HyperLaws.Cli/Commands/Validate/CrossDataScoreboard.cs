using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 14 (cross-data): public runs from outside shared/data.</summary>
/// <param name="Result">The protocol's result (<see cref="CrossData.Run"/>).</param>
internal sealed record CrossDataScoreboard(CrossDataResult Result) : ValidateResult(14);
