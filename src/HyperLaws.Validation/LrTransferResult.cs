using HyperLaws.Laws.Joint;

namespace HyperLaws.Validation;

/// <summary>Protocol 10's result: the prior (fitted on the Step Law grid), the optima and the predictions.</summary>
public sealed record LrTransferResult(LrAxisPriorFit Prior, IReadOnlyList<LrTransferOptimum> Optima, IReadOnlyList<LrTransferPrediction> Predictions, double Seconds)
{
    /// <summary>Mean relative error of the predictions (<see cref="LrTransferPrediction.RelativeError"/>); NaN when there are none.</summary>
    public double MeanError => Predictions.Count == 0 ? double.NaN : Predictions.Average(p => p.RelativeError);

    /// <summary>Largest relative error of the predictions; NaN when there are none.</summary>
    public double MaxError => Predictions.Count == 0 ? double.NaN : Predictions.Max(p => p.RelativeError);
}
