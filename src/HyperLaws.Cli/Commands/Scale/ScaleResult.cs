using HyperLaws.Theory;

namespace HyperLaws.Cli.Commands.Scale;

/// <summary>What <c>scale</c> found: the solution, with the optimizer and rho it was solved under.</summary>
internal sealed record ScaleResult(ScalingSolution Solution, LmoOptimizer Optimizer, double Rho);
