namespace HyperLaws.Plotting.Internal;

/// <summary>Maps data values onto plot coordinates: identity, or log10 for a log axis.</summary>
internal readonly record struct AxisScale(bool Log)
{
    /// <summary>False when the value cannot be drawn (NaN, infinite, or non-positive on a log axis).</summary>
    public bool TryMap(double value, out double mapped)
    {
        mapped = Log ? Math.Log10(value) : value;
        return double.IsFinite(value) && double.IsFinite(mapped);
    }

    public double Unmap(double mapped) => Log ? Math.Pow(10, mapped) : mapped;
}
