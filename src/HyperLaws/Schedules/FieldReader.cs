using System.Globalization;

namespace HyperLaws.Schedules;

/// <summary>Typed, case-insensitive access to a spec node's fields; reports missing, malformed and unknown fields.</summary>
internal sealed class FieldReader
{
    private readonly Dictionary<string, KeyValuePair<string, SpecValue>> _fields = new(StringComparer.OrdinalIgnoreCase);

    public FieldReader(string family, SpecNode node)
    {
        Family = family;
        foreach (var f in node.Fields)
            if (!_fields.TryAdd(f.Key, f)) throw Error(f.Key, "is given twice");
    }

    public string Family { get; }

    public bool Has(string name) => _fields.ContainsKey(name);

    public ScheduleSpecException Error(string name, string why) => new($"{Family}: field '{name}' {why}");

    private SpecValue? Get(string name) => _fields.TryGetValue(name, out var f) ? f.Value : null;

    private string Scalar(string name, SpecValue v) => v is SpecValue.Scalar s
        ? s.Text
        : throw Error(name, v is SpecValue.List ? "must be a single value, not a list" : "must be a single value, not a schedule");

    public double Number(string name) => OptionalNumber(name) ?? throw Missing(name);

    public double Number(string name, double fallback) => OptionalNumber(name) ?? fallback;

    public double? OptionalNumber(string name) => Get(name) is { } v ? ParseNumber(name, Scalar(name, v)) : null;

    private double ParseNumber(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)
            ? x
            : throw Error(name, $"must be a finite number (got '{text}')");

    public int Integer(string name, int lo, int hi) => OptionalInteger(name, lo, hi) ?? throw Missing(name);

    public int Integer(string name, int lo, int hi, int fallback) => OptionalInteger(name, lo, hi) ?? fallback;

    public int? OptionalInteger(string name, int lo, int hi) => Get(name) is { } v ? ParseInteger(name, Scalar(name, v), lo, hi) : null;

    private int ParseInteger(string name, string text, int lo, int hi)
    {
        double x = ParseNumber(name, text);
        if (x != Math.Floor(x) || x < lo || x > hi)
            throw Error(name, $"must be an integer in [{lo}, {hi}] (got {text})");
        return (int)x;
    }

    public string? Word(string name) => Get(name) is { } v ? Scalar(name, v) : null;

    public T Choice<T>(string name, T fallback, params (string Name, T Value)[] options)
    {
        if (Word(name) is not { } w) return fallback;
        foreach (var (n, value) in options)
            if (string.Equals(n, w, StringComparison.OrdinalIgnoreCase)) return value;
        throw Error(name, $"must be one of {string.Join(", ", options.Select(o => o.Name).Distinct())} (got '{w}')");
    }

    public double[]? NumberList(string name) => Get(name) switch
    {
        null => null,
        SpecValue.List l => [.. l.Items.Select(i => ParseNumber(name, i))],
        _ => throw Error(name, "must be a list such as [1;2;3]"),
    };

    public int[]? IntegerList(string name, int lo, int hi) => Get(name) switch
    {
        null => null,
        SpecValue.List l => [.. l.Items.Select(i => ParseInteger(name, i, lo, hi))],
        _ => throw Error(name, "must be a list of steps such as [8000;12000]"),
    };

    public SpecValue? Raw(string name) => Get(name);

    public ScheduleSpecException Missing(string name) => new($"{Family}: missing field '{name}'");

    /// <summary>Throws for any field not in <paramref name="known"/>.</summary>
    public void Finish(params string[] known)
    {
        foreach (var key in _fields.Keys)
            if (!known.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new ScheduleSpecException($"{Family}: unknown field '{key}' (known: {string.Join(", ", known)})");
    }
}
