using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 24: Marin's rows that change the warmup, the final LR ratio or the batch alone, as held-out tests of the joint law.</summary>
/// <param name="Result">The protocol's result (<see cref="MarinChanges.Run"/>).</param>
internal sealed record MarinChangesScoreboard(MarinChangesResult Result) : ValidateResult(24);
