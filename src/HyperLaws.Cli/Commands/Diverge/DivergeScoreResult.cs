using HyperLaws.Divergence;

namespace HyperLaws.Cli.Commands.Diverge;

/// <summary>A saved predictor's scores on labelled runs it was not fitted on.</summary>
/// <param name="Scores">Precision, recall and F1 of the boundary.</param>
/// <param name="Runs">How many labelled runs.</param>
/// <param name="Diverged">How many of them diverged.</param>
/// <param name="Cells">How many cells.</param>
internal sealed record DivergeScoreResult(DivergenceScores Scores, int Runs, int Diverged, int Cells);
