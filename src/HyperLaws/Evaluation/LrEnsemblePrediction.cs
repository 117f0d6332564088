namespace HyperLaws.Evaluation;

/// <summary>One candidate's member predictions (<see cref="LrEnsembleFit.Predict"/>): per-LR members NaN where no member exists at its LR.</summary>
/// <param name="Lr">The candidate's peak LR.</param>
/// <param name="PerLr">The per-LR members' anchored predictions, in the order of <see cref="LrEnsemble.PerLrMembers"/>.</param>
/// <param name="Pooled">The pooled member's anchored prediction (Q).</param>
/// <param name="Level">The pooled member's own prediction (J), the level across LRs.</param>
/// <param name="Residuals">The anchor residuals r of the per-LR members then the pooled one (0 where no anchor applies).</param>
/// <param name="AnchoredSteps">The steps the candidate shares with its LR's constant run (0 without one).</param>
public sealed record LrEnsemblePrediction(double Lr, IReadOnlyList<double> PerLr, double Pooled, double Level, IReadOnlyList<double> Residuals, int AnchoredSteps);
