using HyperLaws.Laws.Joint;

namespace HyperLaws.Validation;

/// <summary>One fit of protocol 7 or 8: what was held out, the mechanism the joint law chose (null for other laws) and the final-validation offset.</summary>
/// <param name="HeldOut">The held-out base LR (protocol 7) or family (protocol 8).</param>
/// <param name="Curves">Training curves fitted.</param>
/// <param name="Mechanism">The joint law's mechanism chosen by cross-validation on the training curves; null for other laws.</param>
/// <param name="Scores">The cross-validated error of every mechanism (joint only).</param>
/// <param name="Offset">Mean over training runs of final validation loss minus the law's value at the last step.</param>
/// <param name="Seconds">Wall time of the fit (selection included).</param>
public sealed record LrAxisFold(string HeldOut, int Curves, string? Mechanism, IReadOnlyList<MechanismScore> Scores, double Offset, double Seconds);

/// <summary>
/// The law's optimum peak LR for one (horizon, schedule) group of protocol 7 against the grid's best LR, from the
/// fold that held out the grid's best LR (so the law never saw the winner).
/// </summary>
/// <param name="Horizon">Steps.</param>
/// <param name="Label">The schedule without LR (e.g. "wsd-linear-0.2").</param>
/// <param name="GridBestLr">The base LR with the lowest final validation loss in the group.</param>
/// <param name="LawOptimum">The law's argmin over peak LR (continuous search over <see cref="LrAxis.OptimumRange"/> x the grid's LRs).</param>
/// <param name="Interior">False when the law's minimum is at an end of the searched range.</param>
/// <param name="Lrs">Base LRs the group has runs at.</param>
public sealed record LrOptimumCheck(int Horizon, string Label, double GridBestLr, double LawOptimum, bool Interior, int Lrs)
{
    /// <summary>Within one grid step: |ln(law / grid best)| &lt;= ln 2 (the grid's LRs are about x2 apart).</summary>
    public bool WithinOneStep => Math.Abs(Math.Log(LawOptimum / GridBestLr)) <= Math.Log(2) + 1e-12;
}

/// <summary>One law's result in protocol 7 or 8.</summary>
public sealed record LrAxisLawResult(string Law, IReadOnlyList<GridPrediction> Predictions, FinalLossError FinalLoss,
    IReadOnlyList<LrOptimumCheck> Optima, IReadOnlyList<BestCooldown> BestCooldowns, IReadOnlyList<LrAxisFold> Folds, TimeSpan Elapsed)
{
    /// <summary>Share of <see cref="Optima"/> within one grid step of the grid's best LR (NaN without any).</summary>
    public double OptimumHitRate => Optima.Count == 0 ? double.NaN : (double)Optima.Count(o => o.WithinOneStep) / Optima.Count;
}

/// <summary>The result of protocol 7 (leave one LR out) or 8 (cross-family) on the 124M grid.</summary>
public sealed record LrAxisResult(int Protocol, string Description, IReadOnlyList<ExcludedRun> Excluded, IReadOnlyList<LrAxisLawResult> Laws);
