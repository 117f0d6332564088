namespace HyperLaws.Validation;

/// <summary>One law's result in protocol 7 or 8.</summary>
public sealed record LrAxisLawResult(string Law, IReadOnlyList<GridPrediction> Predictions, FinalLossError FinalLoss,
    IReadOnlyList<LrOptimumCheck> Optima, IReadOnlyList<BestCooldown> BestCooldowns, IReadOnlyList<LrAxisFold> Folds, TimeSpan Elapsed)
{
    /// <summary>Share of <see cref="Optima"/> within one grid step of the grid's best LR (NaN without any).</summary>
    public double OptimumHitRate => Optima.Count == 0 ? double.NaN : (double)Optima.Count(o => o.WithinOneStep) / Optima.Count;
}
