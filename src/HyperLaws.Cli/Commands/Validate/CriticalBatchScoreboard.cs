using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 5 (critical batch): S(B) = S_min (1 + B_noise/B) per size, then B_noise against N and the horizon T.</summary>
/// <param name="Result">The protocol's result (<see cref="CriticalBatch.Run"/>).</param>
internal sealed record CriticalBatchScoreboard(CriticalBatchResult Result) : ValidateResult(5);
