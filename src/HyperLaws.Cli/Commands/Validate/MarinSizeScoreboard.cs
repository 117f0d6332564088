using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 22: Marin's AdamW tables across model size and data (fit 130m+300m, predict 520m; fit 1x-4x, predict 8x/16x; beta from Marin).</summary>
/// <param name="Result">The protocol's result (<see cref="MarinSize.Run"/>).</param>
internal sealed record MarinSizeScoreboard(MarinSizeResult Result) : ValidateResult(22);
