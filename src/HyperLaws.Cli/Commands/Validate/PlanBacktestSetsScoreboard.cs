using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 17p: <c>plan</c> backtested on the lr-scheduling runs outside shared/data, each set's longest horizon planned from its shorter runs.</summary>
/// <param name="Result">The protocol's result (<see cref="PlanBacktestSets.Run"/>).</param>
internal sealed record PlanBacktestSetsScoreboard(PlanBacktestSetsResult Result) : ValidateResult(17);
