namespace HyperLaws.Fitting;

/// <summary>
/// One parameter's bootstrap summary: the full-data estimate, the median and standard deviation
/// (the bootstrap standard error) of its samples, and the central percentile interval at <paramref name="Level"/>.
/// </summary>
public sealed record ParameterInterval(string Name, double Estimate, double Median, double StandardError, double Lower, double Upper, double Level)
{
    /// <summary>Whether <paramref name="value"/> lies in [Lower, Upper].</summary>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
