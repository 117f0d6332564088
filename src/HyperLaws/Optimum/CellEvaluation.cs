using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>One cell of the evaluation: its estimated optimum and the gap of each rule's nearest run.</summary>
/// <param name="Optimum">The cell's estimated optimum.</param>
/// <param name="Fitted">Our rule's prediction (fitted without this cell in leave-one-cell-out, on all cells in-sample).</param>
/// <param name="Rule">The rule that made <paramref name="Fitted"/>.</param>
/// <param name="References">Step Law's and DeepSeek's predictions (no fitting).</param>
/// <param name="Cell">The cell.</param>
public sealed record CellEvaluation(CellOptimum Optimum, NearestRunGap Fitted, FittedOptimumRule Rule, IReadOnlyList<(string Rule, NearestRunGap Gap)> References, SweepCell Cell);
