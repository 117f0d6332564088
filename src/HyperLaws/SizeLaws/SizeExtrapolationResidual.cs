namespace HyperLaws.SizeLaws;

/// <summary>
/// One size extrapolation of <see cref="SizeExtrapolation.Residuals"/>: a Chinchilla law fitted on the runs of sizes up to
/// <paramref name="FittedUpTo"/> predicting a run of size <paramref name="N"/> beyond them.
/// </summary>
/// <param name="Table">The table the runs come from (e.g. "chinchilla" or a Porian configuration).</param>
/// <param name="FittedUpTo">N_b, the largest model size the fit saw.</param>
/// <param name="N">The predicted run's model size.</param>
/// <param name="D">Its training tokens.</param>
/// <param name="Predicted">The fit's L(N, D).</param>
/// <param name="Actual">The run's loss.</param>
public sealed record SizeExtrapolationResidual(string Table, double FittedUpTo, double N, double D, double Predicted, double Actual)
{
    /// <summary>r = actual / predicted - 1.</summary>
    public double Relative => Actual / Predicted - 1;

    /// <summary>s = ln(N / N_b), how far beyond the fitted sizes.</summary>
    public double LogSizeRatio => Math.Log(N / FittedUpTo);
}
