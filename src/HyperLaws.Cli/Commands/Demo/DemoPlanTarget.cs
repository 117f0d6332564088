using HyperLaws.Planning;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Demo;

/// <summary>The demo's plan target: the shipped runs, the largest of them, and the request for 10x its budget.</summary>
/// <param name="Runs">The shipped Multi-Power-Law runs.</param>
/// <param name="Largest">The largest shipped run (size, steps, tokens per step).</param>
/// <param name="Request">The plan request: the largest run's size, 10x its tokens, AdamW.</param>
/// <param name="Curves">The folder the runs were read from.</param>
internal sealed record DemoPlanTarget(IReadOnlyList<TrainingRun> Runs, RunReference Largest, PlanRequest Request, string Curves);
