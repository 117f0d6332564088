namespace HyperLaws.Validation;

/// <summary>One law on protocol 3.</summary>
/// <param name="Law">Law name (LawCatalog).</param>
/// <param name="Fits">The fits (one per LR, or one pooled).</param>
/// <param name="Offsets">Per LR: mean over its training runs (all training runs when pooled) of (final validation loss - law value at the last step).</param>
/// <param name="Predictions">Every training and held-out run, in grid order.</param>
/// <param name="FinalLoss">Errors over the held-out runs.</param>
/// <param name="Groups">The (horizon, LR) groups of held-out runs.</param>
/// <param name="ByGroup">Hit rates over the (horizon, LR) groups.</param>
/// <param name="AtBestLr">Hit rates over one group per horizon: the (horizon, LR) group holding the horizon's best held-out run.</param>
/// <param name="AcrossLrs">Hit rates over one group per horizon holding the held-out runs of every LR (choosing LR and schedule together).</param>
/// <param name="BestCooldown">Predicted and actual best linear cooldown fraction per (LR, horizon).</param>
/// <param name="Elapsed">Fitting and predicting time.</param>
public sealed record LawGridResult(
    string Law, IReadOnlyList<GridFit> Fits, IReadOnlyDictionary<double, double> Offsets, IReadOnlyList<GridPrediction> Predictions,
    FinalLossError FinalLoss, IReadOnlyList<RankingGroup> Groups, HitRates ByGroup, HitRates AtBestLr, HitRates AcrossLrs,
    IReadOnlyList<BestCooldown> BestCooldown, TimeSpan Elapsed)
{
    /// <summary>The held-out runs' predictions (the ones scored), in grid order.</summary>
    public IEnumerable<GridPrediction> HeldOut => Predictions.Where(p => !p.Training);
}
