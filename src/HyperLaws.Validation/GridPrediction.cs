namespace HyperLaws.Validation;

/// <summary>A law's prediction of one run's final validation loss.</summary>
/// <param name="Run">The run.</param>
/// <param name="Predicted">The prediction: the law's value at the last step plus the LR's offset.</param>
/// <param name="LawValue">The law's value at the last step (on the scale of the curve it was fitted on).</param>
/// <param name="Training">True for a training run (an in-sample value, never scored as a prediction).</param>
public sealed record GridPrediction(GridRun Run, double Predicted, double LawValue, bool Training)
{
    /// <summary>The run's actual final validation loss (<see cref="GridRun.FinalLoss"/>).</summary>
    public double Actual => Run.FinalLoss;

    /// <summary>|Predicted - Actual| / Actual.</summary>
    public double RelativeError => Math.Abs(Predicted - Actual) / Actual;
}
