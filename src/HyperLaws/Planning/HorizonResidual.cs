namespace HyperLaws.Planning;

/// <summary>
/// One out-of-sample final-loss prediction of the plan's own kind of horizon extrapolation within the runs (a law fitted on the
/// runs of shorter horizons predicting a run at a longer one), with the run's peak LR: what <see cref="HorizonBias"/> learns from.
/// </summary>
/// <param name="Run">The predicted run.</param>
/// <param name="PeakLr">Its peak LR, in the runs' units.</param>
/// <param name="Predicted">The law's final loss for it.</param>
/// <param name="Actual">Its final evaluation when <paramref name="FinalEvaluation"/>, else its last logged loss of the fitted curve.</param>
/// <param name="FinalEvaluation">True when <paramref name="Actual"/> is the run's final evaluation (<see cref="HorizonBias.FinalEvaluationOf"/>).</param>
public sealed record HorizonResidual(string Run, double PeakLr, double Predicted, double Actual, bool FinalEvaluation)
{
    /// <summary>actual / predicted - 1 (a fraction).</summary>
    public double Relative => Actual / Predicted - 1;

    /// <summary>The predicted run's horizon in steps, the horizon step this residual belongs to (<see cref="HorizonBias.AboutOtherSteps"/>); 0: unknown.</summary>
    public int Horizon { get; init; }
}
