using HyperLaws.Laws.Joint;

namespace HyperLaws.Validation;

/// <summary>Protocol 10's result: the prior (fitted on the Step Law grid), the optima and the predictions.</summary>
public sealed record LrTransferResult(LrAxisPriorFit Prior, IReadOnlyList<LrTransferOptimum> Optima, IReadOnlyList<LrTransferPrediction> Predictions, double Seconds)
{
    public double MeanError => Predictions.Count == 0 ? double.NaN : Predictions.Average(p => p.RelativeError);

    public double MaxError => Predictions.Count == 0 ? double.NaN : Predictions.Max(p => p.RelativeError);
}
