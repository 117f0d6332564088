namespace HyperLaws.Validation;

/// <summary>One held-out run of protocol 25 (<see cref="HorizonSweep"/>): its final loss and the three predictions of it.</summary>
/// <param name="Optimizer">The run's optimizer (the table's configuration).</param>
/// <param name="D">Training tokens.</param>
/// <param name="LearningRate">Peak LR.</param>
/// <param name="Actual">Its final loss.</param>
/// <param name="Law">The joint law's prediction (fitted on the optimizer's runs at D &lt;= <see cref="HorizonSweep.FitMaxTokens"/>).</param>
/// <param name="LogLog">The log-log baseline: ln L = a + b ln D fitted on the fitted horizons at this LR (the nearest fitted LR's when this one was not fitted).</param>
/// <param name="Flat">The flat hold: the loss at this LR (the nearest fitted one) at the longest fitted horizon.</param>
public sealed record HorizonSweepRun(string Optimizer, double D, double LearningRate, double Actual, double Law, double LogLog, double Flat)
{
    /// <summary>|Law - Actual| / Actual.</summary>
    public double LawError => Math.Abs(Law - Actual) / Actual;

    /// <summary>|LogLog - Actual| / Actual.</summary>
    public double LogLogError => Math.Abs(LogLog - Actual) / Actual;

    /// <summary>|Flat - Actual| / Actual.</summary>
    public double FlatError => Math.Abs(Flat - Actual) / Actual;
}
