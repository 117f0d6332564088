namespace HyperLaws.Evaluation;

/// <summary>One candidate ranked by <see cref="LrEnsembleFit.Rank"/>.</summary>
/// <param name="Index">Its index among the candidates given.</param>
/// <param name="Prediction">The members' predictions.</param>
/// <param name="Score">Its <see cref="EnsembleRanking.AxisScores"/> score (lower first).</param>
/// <param name="PredictedLoss">mean_G J x (1 + score) (<see cref="LrEnsembleFit.Rank"/>); NaN when the level is unknown.</param>
/// <param name="LevelLoss">mean_{G_eta} J, the pooled law's level of its LR over the set; NaN when unknown.</param>
public sealed record LrEnsembleRanked(int Index, LrEnsemblePrediction Prediction, double Score, double PredictedLoss, double LevelLoss)
{
    /// <summary>The within-LR part of <see cref="PredictedLoss"/>: PredictedLoss - LevelLoss = mean_G J x w(c).</summary>
    public double WithinLr => PredictedLoss - LevelLoss;
}
