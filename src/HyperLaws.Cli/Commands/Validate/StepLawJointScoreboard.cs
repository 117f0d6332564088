using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 4 with <c>--laws joint</c>: the joint law's optimum (LR, batch) per Step Law cell, leave one cell out.</summary>
/// <param name="Result">The protocol's result (<see cref="StepLawJoint.Run"/>).</param>
internal sealed record StepLawJointScoreboard(StepLawJointResult Result) : ValidateResult(4);
