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

    public static SpecValue Number(double x) => new Scalar(x.ToString("R", System.Globalization.CultureInfo.InvariantCulture), false);

    public static SpecValue Number(int x) => new Scalar(x.ToString(System.Globalization.CultureInfo.InvariantCulture), false);

    public static SpecValue Word(string s) => new Scalar(s, true);
}
