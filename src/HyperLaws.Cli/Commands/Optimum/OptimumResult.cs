using HyperLaws.Optimum;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Optimum;

/// <summary>The sweep tables read, and the rule's evaluation on them.</summary>
internal sealed record OptimumResult(SweepTable Table, OptimumEvaluationResult Evaluation);
