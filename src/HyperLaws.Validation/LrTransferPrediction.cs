namespace HyperLaws.Validation;

/// <summary>Protocol 10, one predicted final validation loss of a run at another LR than the law was fitted on.</summary>
public sealed record LrTransferPrediction(double BaseLr, string Run, double Lr, int Horizon, string Label, double Actual, double Predicted)
{
    /// <summary>|Predicted / Actual - 1|.</summary>
    public double RelativeError => Math.Abs(Predicted / Actual - 1);
}
