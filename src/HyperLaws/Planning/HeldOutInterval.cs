namespace HyperLaws.Planning;

/// <summary>
/// The default interval: loss x (1 +- q), q the law's worst relative final-loss error on the held-out runs
/// (<see cref="LawAccuracy.FinalError"/>). It does not widen with the extrapolation; NaN q: no interval.
/// </summary>
public sealed class HeldOutInterval(double relativeError) : IIntervalProvider
{
    /// <summary>q, the law's worst relative final-loss error on the held-out runs (NaN: no interval).</summary>
    public double RelativeError { get; } = relativeError;

    /// <inheritdoc/>
    public IntervalKind Kind => double.IsFinite(RelativeError) ? IntervalKind.HeldOutWorst : IntervalKind.None;

    /// <summary>predicted x (1 -+ q) whatever the extrapolation, no nominal level; <see cref="LossInterval.None"/> when q or the prediction is not finite.</summary>
    /// <inheritdoc/>
    public LossInterval Interval(double predictedLoss, PlanExtrapolation extrapolation) =>
        double.IsFinite(RelativeError) && double.IsFinite(predictedLoss)
            ? new LossInterval(predictedLoss * (1 - RelativeError), predictedLoss * (1 + RelativeError), double.NaN)
            : LossInterval.None;
}
