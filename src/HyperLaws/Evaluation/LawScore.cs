using HyperLaws.Laws;

namespace HyperLaws.Evaluation;

/// <summary>One law fitted on training curves and judged on held-out curves.</summary>
/// <param name="Fit">The fit on the training curves.</param>
/// <param name="Test">Metrics of each held-out curve, in the order given.</param>
/// <param name="Predictions">Predicted losses of each held-out curve at its steps.</param>
/// <param name="Summary">Metrics averaged over the held-out curves.</param>
/// <param name="RankTau">Kendall tau-b between predicted and actual final losses over all curves (training and test), or NaN for fewer than two.</param>
public sealed record LawScore(LawFit Fit, IReadOnlyList<CurveMetrics> Test, IReadOnlyList<double[]> Predictions, MetricSummary Summary, double RankTau);
