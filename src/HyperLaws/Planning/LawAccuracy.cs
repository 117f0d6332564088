namespace HyperLaws.Planning;

/// <summary>How well a law predicted runs it was not fitted on (the protocol in <see cref="Protocol"/>).</summary>
/// <param name="Law">The law.</param>
/// <param name="Protocol">Which runs were fitted and which held out, in words.</param>
/// <param name="PredE">Mean relative error over the held-out curves' points.</param>
/// <param name="WorstE">The largest mean relative error of one held-out curve.</param>
/// <param name="FinalError">The largest relative error of a held-out run's final loss (it widens the plan's interval).</param>
/// <param name="Curves">The held-out curves, actual and predicted.</param>
public sealed record LawAccuracy(string Law, string Protocol, double PredE, double WorstE, double FinalError, IReadOnlyList<HeldOutCurve> Curves)
{
    /// <summary>
    /// The held-out final losses' mean absolute error after the horizon-bias correction, each run left out of its own correction
    /// (<see cref="HorizonBias.LeaveOneOutError"/>; against the runs' final evaluations where they have them); NaN when not computed.
    /// </summary>
    public double CorrectedError { get; init; } = double.NaN;
}
