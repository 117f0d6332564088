using HyperLaws.Laws;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Compare;

/// <summary>A comparison: the curves fitted on, those predicted, each law's score, and the losses fitted and scored.</summary>
internal sealed record CompareResult(IReadOnlyList<FitTarget> Train, IReadOnlyList<FitTarget> Test, IReadOnlyList<CompareScore> Scores, LossSplit Split = LossSplit.Train);
