namespace HyperLaws.Evaluation;

/// <summary>One out-of-sample final-loss prediction on a calibration run: relative error actual/predicted - 1 and how far the prediction reached.</summary>
public sealed record CalibrationResidual(string Run, string Split, double Predicted, double Actual, ExtrapolationDistance Distance)
{
    /// <summary>The relative error actual / predicted - 1 (a fraction).</summary>
    public double Relative => Actual / Predicted - 1;
}
