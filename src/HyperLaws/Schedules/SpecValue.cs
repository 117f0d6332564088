namespace HyperLaws.Schedules;

/// <summary>A field value in a spec: a scalar (number or word), a list of numbers, or a nested schedule.</summary>
internal abstract record SpecValue
{
    /// <summary>A number or a word; <paramref name="IsString"/> marks text (quoted in JSON).</summary>
    public sealed record Scalar(string Text, bool IsString) : SpecValue;

    /// <summary>A list of numbers, kept as their text.</summary>
    public sealed record List(IReadOnlyList<string> Items) : SpecValue;

    /// <summary>A nested schedule.</summary>
    public sealed record Nested(SpecNode Node) : SpecValue;

    public static SpecValue Number(double x) => new Scalar(Short(x), false);

    /// <summary>
    /// A number as a spec writes it: round-trip ("R") unless 15 significant digits write it shorter and read back within 4 ulps, then
    /// those. The second form drops the noise floating-point arithmetic leaves in a product such as a floor of 10% of a peak
    /// (0.1 x 0.00457 = 0.00045700000000000005 -> 0.000457); a value that needs 16-17 digits stays exact.
    /// </summary>
    internal static string Short(double x)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        string exact = x.ToString("R", invariant);
        if (!double.IsFinite(x) || x == 0) return exact;
        string shorter = x.ToString("G15", invariant);
        if (shorter.Length >= exact.Length) return exact;
        double ulp = Math.BitIncrement(Math.Abs(x)) - Math.Abs(x);
        return Math.Abs(double.Parse(shorter, invariant) - x) <= 4 * ulp ? shorter : exact;
    }

    public static SpecValue Number(int x) => new Scalar(x.ToString(System.Globalization.CultureInfo.InvariantCulture), false);

    public static SpecValue Word(string s) => new Scalar(s, true);
}
