namespace HyperLaws.Planning;

/// <summary>
/// The correction of a plan's predicted final loss by the bias of its own horizon extrapolation (<see cref="HorizonBias.At"/>):
/// the corrected loss is the law's x <see cref="Factor"/>.
/// </summary>
/// <param name="Bias">The mean relative residual actual / predicted - 1 of the residuals used (0 with none).</param>
/// <param name="Residuals">How many residuals it is the mean of (0: no correction).</param>
/// <param name="PeakLr">The runs' peak LR whose residuals were used (runs' units; NaN when all were pooled or none).</param>
/// <param name="FinalEvaluation">True when the residuals' actual losses are the runs' final evaluations, so the corrected loss is on that scale.</param>
/// <param name="Applied">True when the planner applied it to the plan's losses (<see cref="PlanOptions.HorizonBias"/>).</param>
public sealed record HorizonCorrection(double Bias, int Residuals, double PeakLr, bool FinalEvaluation, bool Applied)
{
    /// <summary>No residual: nothing to correct.</summary>
    public static HorizonCorrection None { get; } = new(0, 0, double.NaN, false, false);

    /// <summary>1 + <see cref="Bias"/>: the factor the law's losses are multiplied by (1 when not applied).</summary>
    public double Factor => Applied ? 1 + Bias : 1;
}
