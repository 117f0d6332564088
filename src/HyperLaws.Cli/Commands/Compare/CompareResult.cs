using HyperLaws.Laws;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;

namespace HyperLaws.Cli.Commands.Compare;

/// <summary>A comparison: the curves fitted on, those predicted, and each law's score.</summary>
internal sealed record CompareResult(IReadOnlyList<FitTarget> Train, IReadOnlyList<FitTarget> Test, IReadOnlyList<(string Name, LawScore Score)> Scores);
