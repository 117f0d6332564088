namespace HyperLaws.Evaluation;

/// <summary>
/// Accuracy of a predicted loss curve against the actual one (../shared/docs/schedule-laws.md, Metrics):
/// PredE = mean of |L_hat - L| / L; WorstE (= MaxE of one curve) = max of |L_hat - L| / L; R^2, MAE, RMSE.
/// Errors are fractions, not percent.
/// </summary>
public sealed record CurveMetrics(int Points, double PredE, double WorstE, double RSquared, double Mae, double Rmse)
{
    /// <summary>The metrics of <paramref name="predicted"/> against <paramref name="actual"/>, point by point.</summary>
    /// <exception cref="ArgumentException">The two differ in length or are empty.</exception>
    public static CurveMetrics Of(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        if (actual.Length != predicted.Length) throw new ArgumentException("actual and predicted differ in length.");
        int n = actual.Length;
        if (n == 0) throw new ArgumentException("no points to compare.");
        double rel = 0, worst = 0, abs = 0, sq = 0, mean = 0;
        for (int i = 0; i < n; i++) mean += actual[i];
        mean /= n;
        double tss = 0;
        for (int i = 0; i < n; i++)
        {
            double e = predicted[i] - actual[i];
            double r = Math.Abs(e) / Math.Abs(actual[i]);
            rel += r;
            worst = Math.Max(worst, r);
            abs += Math.Abs(e);
            sq += e * e;
            tss += (actual[i] - mean) * (actual[i] - mean);
        }
        return new CurveMetrics(n, rel / n, worst, tss > 0 ? 1 - sq / tss : double.NaN, abs / n, Math.Sqrt(sq / n));
    }
}
