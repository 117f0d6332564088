using HyperLaws.Theory;

namespace HyperLaws.Cli.Commands.Scale;

/// <summary>The settings of <c>hyperlaws scale</c>: the problem, the proxy it is solved on, and how to show it.</summary>
/// <param name="Problem">Regime, budget and the fixed quantities.</param>
/// <param name="Optimizer">The LMO optimizer preset (sets rho).</param>
/// <param name="Rho">The norm factor folded into C3.</param>
/// <param name="Constants">The proxy's constants, rho folded in.</param>
/// <param name="Json">Print one JSON object instead of the table.</param>
internal sealed record ScaleSettings(ScalingProblem Problem, LmoOptimizer Optimizer, double Rho, ProxyConstants Constants, bool Json);
