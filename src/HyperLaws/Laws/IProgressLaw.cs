namespace HyperLaws.Laws;

/// <summary>
/// A law whose prediction splits into a progress part P(t), which depends on the schedule only through intrinsic time
/// S1(t) = sum_{k&lt;=t} eta_k (the loss that falls with the LR's sum), and the rest L(t) - P(t), the LR's own effect (an annealing
/// drop, a noise level). The stall check's progress hold (<see cref="Fitting.StallHold.Progress"/>) freezes P and keeps the rest.
/// </summary>
public interface IProgressLaw : ILossLaw
{
    /// <summary>P(t), the progress part of the prediction after <paramref name="step"/> updates of <paramref name="history"/> (the constant included).</summary>
    double Progress(ReadOnlySpan<double> parameters, ScheduleHistory history, int step);
}
