namespace HyperLaws.Validation;

/// <summary>
/// One held-out model size of a cross-size protocol (protocol 17c, <see cref="CrossSizeLrSchedule"/>): the curves of that size,
/// protocol 2's curve scores over them, and the error of each curve's last point (the final loss).
/// </summary>
/// <param name="ModelSize">N in parameters.</param>
/// <param name="Runs">How many curves of this size.</param>
/// <param name="PredE">Mean over the curves of each curve's PredE (mean |L_hat - L| / L over its points).</param>
/// <param name="WorstE">Max over the curves of each curve's PredE.</param>
/// <param name="MaxE">Max of |L_hat - L| / L over every point of every curve.</param>
/// <param name="FinalMean">Mean over the curves of |L_hat - L| / L at the curve's last point.</param>
/// <param name="FinalMax">Max over the curves of that final error.</param>
/// <param name="FinalBias">Mean over the curves of (L_hat - L) / L at the last point (signed: &gt; 0 pessimistic).</param>
public sealed record SizeGroupScore(double ModelSize, int Runs, double PredE, double WorstE, double MaxE, double FinalMean, double FinalMax, double FinalBias);
