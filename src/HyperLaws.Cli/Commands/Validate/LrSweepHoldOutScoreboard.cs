using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 20: the joint law on a foreign sweep of the peak LR alone (Marin's AdamW ablations), leave one LR out and the LR optimum.</summary>
/// <param name="Result">The protocol's result (<see cref="LrSweepHoldOut.Run"/>).</param>
/// <param name="LagPriorNeedsCurves">Whether the noise-lag prior applied only where runs have curves (--joint-lag-prior-curves-only).</param>
internal sealed record LrSweepHoldOutScoreboard(LrSweepHoldOutResult Result, bool LagPriorNeedsCurves = false) : ValidateResult(20);
