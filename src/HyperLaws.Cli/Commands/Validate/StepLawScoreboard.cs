using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 4 on the Step Law grid: the optimal LR and batch per (N, D) cell, and the held-out divergence predictor.</summary>
/// <param name="LrBatch">The LR/batch rule per cell, leave one cell out (<see cref="StepLawGrid.Run(string, System.Action{string}?)"/>).</param>
/// <param name="Divergence">The divergence predictor, each cell held out in turn (<see cref="DivergenceValidation.Run"/>).</param>
/// <param name="Data">The data folder the divergence result's paths are reported relative to.</param>
internal sealed record StepLawScoreboard(StepLawGridResult LrBatch, DivergenceValidationResult Divergence, string Data) : ValidateResult(4);
