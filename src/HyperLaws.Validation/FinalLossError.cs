namespace HyperLaws.Validation;

/// <summary>Errors of the predicted final losses of the held-out runs (those with a finite prediction).</summary>
/// <param name="Runs">Held-out runs scored.</param>
/// <param name="MeanRelErr">Mean of |predicted - actual| / actual.</param>
/// <param name="MaxRelErr">Largest |predicted - actual| / actual.</param>
/// <param name="Mae">Mean |predicted - actual| in loss units (nats).</param>
/// <param name="Worst">The run with the largest relative error.</param>
/// <param name="NonFinite">Held-out runs the law gave no finite value for (left out of the means, ranked last in groups).</param>
public sealed record FinalLossError(int Runs, double MeanRelErr, double MaxRelErr, double Mae, string Worst, int NonFinite)
{
    /// <summary>Scores the predictions given (pass the held-out ones); the worst run is the one with the largest relative error.</summary>
    /// <exception cref="ArgumentException">No predictions.</exception>
    public static FinalLossError Of(IReadOnlyList<GridPrediction> predictions)
    {
        if (predictions.Count == 0) throw new ArgumentException("no held-out runs to score.");
        var finite = predictions.Where(p => double.IsFinite(p.Predicted)).ToList();
        int failed = predictions.Count - finite.Count;
        if (finite.Count == 0) return new FinalLossError(0, double.NaN, double.NaN, double.NaN, "", failed);
        var worst = finite.MaxBy(p => p.RelativeError)!;
        return new FinalLossError(finite.Count, finite.Average(p => p.RelativeError), worst.RelativeError,
            finite.Average(p => Math.Abs(p.Predicted - p.Actual)), worst.Run.Name, failed);
    }
}
