namespace HyperLaws.Numerics;

/// <summary>Order statistics shared by the fitters, the readers and the validation protocols.</summary>
public static class Statistics
{
    /// <summary>The median: the middle value, or the mean of the two middle values for an even count; NaN for no values.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }
}
