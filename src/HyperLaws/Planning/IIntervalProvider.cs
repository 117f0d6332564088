namespace HyperLaws.Planning;

/// <summary>
/// The planner's interval seam: a prediction interval for a predicted final loss at the plan's target, given how far the
/// prediction extrapolates. The planner uses its upper end as the loss tolerance of the LR, warmup and cooldown intervals
/// (the settings whose predicted loss is within the best's interval). <see cref="HeldOutInterval"/> is the default;
/// calibrated intervals (conformal, widening with the extrapolation) plug in through <see cref="PlanOptions.Intervals"/>.
/// </summary>
public interface IIntervalProvider
{
    /// <summary>What kind of interval this is.</summary>
    IntervalKind Kind { get; }

    /// <summary>The interval around <paramref name="predictedLoss"/>; <see cref="LossInterval.None"/> when it cannot give one.</summary>
    LossInterval Interval(double predictedLoss, PlanExtrapolation extrapolation);
}
