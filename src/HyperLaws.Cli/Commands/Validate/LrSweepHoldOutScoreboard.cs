using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 20: the joint law on a foreign sweep of the peak LR alone (Marin's AdamW ablations), leave one LR out and the LR optimum.</summary>
/// <param name="Result">The protocol's result (<see cref="LrSweepHoldOut.Run"/>).</param>
internal sealed record LrSweepHoldOutScoreboard(LrSweepHoldOutResult Result) : ValidateResult(20);
