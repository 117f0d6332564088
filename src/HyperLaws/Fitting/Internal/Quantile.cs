namespace HyperLaws.Fitting.Internal;

/// <summary>Sample quantiles and spreads shared by the bootstrap and its prediction intervals.</summary>
internal static class Quantile
{
    /// <summary>
    /// Quantile of an ascending sample at probability p, linear between order statistics (Hyndman &amp;
    /// Fan 1996, type 7, R's default): h = (n - 1) p, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
    /// </summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        double h = (sorted.Length - 1) * Math.Clamp(p, 0, 1);
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /// <summary>Sample standard deviation (n - 1 in the denominator); NaN below two values.</summary>
    public static double StandardDeviation(ReadOnlySpan<double> x)
    {
        if (x.Length < 2) return double.NaN;
        double mean = 0;
        foreach (double v in x) mean += v;
        mean /= x.Length;
        double ss = 0;
        foreach (double v in x) ss += (v - mean) * (v - mean);
        return Math.Sqrt(ss / (x.Length - 1));
    }
}
