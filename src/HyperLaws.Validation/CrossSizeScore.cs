using HyperLaws.Evaluation;
using HyperLaws.Laws;

namespace HyperLaws.Validation;

/// <summary>One fit judged on the 400M curves.</summary>
/// <param name="Variant">The size law's name, or "100M only" for the baseline.</param>
/// <param name="Fit">The fit on the training curves.</param>
/// <param name="Test">Metrics of each 400M curve.</param>
/// <param name="Predictions">Predicted losses of each 400M curve at its steps.</param>
/// <param name="Summary">Metrics averaged over the 400M curves.</param>
/// <param name="RankTau">Kendall tau-b between predicted and actual final losses of the 400M curves.</param>
/// <param name="InSample">In-sample metrics per training size.</param>
/// <param name="Seconds">Time of the fit.</param>
public sealed record CrossSizeScore(string Variant, LawFit Fit, IReadOnlyList<CurveMetrics> Test, IReadOnlyList<double[]> Predictions, MetricSummary Summary, double RankTau, IReadOnlyList<SizeCheck> InSample, double Seconds);
