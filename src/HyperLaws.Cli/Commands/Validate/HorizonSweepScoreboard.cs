using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 25: Marin's LR x horizon sweep (Muon, MuonH at 130M), the joint law fitted on 1-8B tokens predicting 12-128B.</summary>
/// <param name="Result">The protocol's result (<see cref="HorizonSweep.Run"/>).</param>
internal sealed record HorizonSweepScoreboard(HorizonSweepResult Result) : ValidateResult(25);
