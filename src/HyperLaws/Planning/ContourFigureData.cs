namespace HyperLaws.Planning;

/// <summary>
/// The warmup x peak-LR contour of the predicted final loss for the plan's family (others fixed as in the best plan):
/// Loss[row = warmup index, column = peak index]; NaN where the divergence screen says the run diverges.
/// <see cref="DataLimitPeak"/> is the highest LR of the law's runs carried to the target (NaN when unknown): to its right the
/// law extrapolates in LR.
/// </summary>
public sealed record ContourFigureData(string Family, double[] Peaks, double[] Warmups, double[,] Loss, double BestPeak, double BestWarmup)
{
    /// <summary>The highest peak LR of the law's runs, carried to the target (NaN when unknown): to its right the law extrapolates in LR.</summary>
    public double DataLimitPeak { get; init; } = double.NaN;

    /// <summary>The law's own optimum peak when a guard holds the plan elsewhere (NaN: the plan's peak is the optimum, or the optimum is at the search's edge).</summary>
    public double LawOptimumPeak { get; init; } = double.NaN;
}
