namespace HyperLaws.Laws.Joint;

/// <summary>The peak LR at which <see cref="JointLaw"/> predicts the lowest final loss for a schedule shape.</summary>
/// <param name="Peak">The optimal peak LR (an end of the range when <paramref name="Interior"/> is false).</param>
/// <param name="Loss">The predicted final loss there.</param>
/// <param name="Interior">True when the minimum lies strictly inside the searched range.</param>
/// <param name="Lower">The lowest peak searched.</param>
/// <param name="Upper">The highest peak searched.</param>
public sealed record PeakLrOptimum(double Peak, double Loss, bool Interior, double Lower, double Upper);
