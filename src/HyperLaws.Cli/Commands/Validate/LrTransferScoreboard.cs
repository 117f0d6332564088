using HyperLaws.Laws.Joint;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 10: the LR-axis prior fitted on Step Law, the joint law fitted on the 124M runs of one base LR with it.</summary>
/// <param name="Prior">The LR-axis prior fitted on the Step Law grid (<see cref="LrTransfer.FitPrior"/>).</param>
/// <param name="Result">The transfer's result (<see cref="LrTransfer.Run"/>).</param>
internal sealed record LrTransferScoreboard(LrAxisPriorFit Prior, LrTransferResult Result) : ValidateResult(10);
