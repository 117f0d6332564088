using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 6: <c>plan</c> backtested on the 124M grid, each horizon planned from the shorter runs.</summary>
/// <param name="Result">The protocol's result (<see cref="PlanBacktest.Run"/>).</param>
internal sealed record PlanBacktestScoreboard(PlanBacktestResult Result) : ValidateResult(6);
