namespace HyperLaws.Validation;

/// <summary>
/// The divergence-risk backtest's score of one risk level q on the Step Law grid (<see cref="DivergenceRiskBacktest"/>): per
/// (cell, batch) row, the guard's limit is the peak where the held-out divergence model's P(diverge) = q.
/// </summary>
/// <param name="Level">The risk level q (0.5: the boundary eta_crit itself, today's guard).</param>
/// <param name="Rows">Rows scored (those with at least one run that trained).</param>
/// <param name="Cut">Rows whose limit lies below the row's best LR (the guard would hold a plan at the row's optimum lower).</param>
/// <param name="NoRunUnder">Rows with no grid run at or below the limit (no pick).</param>
/// <param name="LimitDiverged">Rows whose pick at the limit (the highest grid LR at or below it) diverged.</param>
/// <param name="LimitRegret">Mean regret of the picks at the limit that trained: smoothed loss / the row's best - 1.</param>
/// <param name="CappedDiverged">Rows whose capped pick (the highest grid LR at or below min(row's best LR, limit)) diverged.</param>
/// <param name="CappedRegret">Mean regret of the capped picks that trained.</param>
public sealed record DivergenceRiskScore(double Level, int Rows, int Cut, int NoRunUnder, int LimitDiverged, double LimitRegret, int CappedDiverged, double CappedRegret);
