using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 1 (the MPL split): every law fitted on the training curves of each size, scored on the six others.</summary>
/// <param name="Sizes">One result per size asked for (--sizes), in order.</param>
internal sealed record MplSplitScoreboard(IReadOnlyList<SizeResult> Sizes) : ValidateResult(1);
