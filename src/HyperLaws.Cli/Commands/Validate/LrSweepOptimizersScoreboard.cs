using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 23: protocol 20's procedure per optimizer on Marin's other optimizers' ablations (Muon, Lion, NAdamW, ...).</summary>
/// <param name="Result">The protocol's result (<see cref="LrSweepOptimizers.Run"/>).</param>
internal sealed record LrSweepOptimizersScoreboard(LrSweepOptimizersResult Result) : ValidateResult(23);
