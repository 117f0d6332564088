namespace HyperLaws.Fitting;

/// <summary>
/// A predicted loss curve with its central prediction interval: at each step the full-data
/// prediction, and the lower end, median and upper end of the predictive distribution.
/// </summary>
public sealed record IntervalPrediction(int[] Steps, double Level, double[] Point, double[] Lower, double[] Median, double[] Upper)
{
    /// <summary>True when <paramref name="loss"/> at step index <paramref name="i"/> lies inside the interval.</summary>
    public bool Contains(int i, double loss) => loss >= Lower[i] && loss <= Upper[i];
}
