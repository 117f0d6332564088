using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocols 14, 15, 16 and 17 (cross-data): public runs from outside shared/data.</summary>
/// <param name="Result">The protocol's result (<see cref="CrossData.Run"/>).</param>
/// <param name="Number">14 (modded-nanogpt's logs) 15 (the AlgoPerf baseline's logs, <see cref="CrossDataAlgoPerf"/>) 16 (the PolyPythias curves, <see cref="CrossDataPythia"/>) or 17 (the lr-scheduling runs outside shared/data, <see cref="CrossDataLrSchedule"/>).</param>
internal sealed record CrossDataScoreboard(CrossDataResult Result, int Number = 14) : ValidateResult(Number);
