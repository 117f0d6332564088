namespace HyperLaws.Schedules;

/// <summary>
/// A learning-rate schedule of <see cref="Steps"/> steps: eta_t for t = 1..S is the LR of the t-th
/// optimizer update (steps count from 1; <see cref="Evaluate()"/> puts step 1 at index 0).
/// Schedules are immutable records with structural equality and two round-tripping text forms:
/// <c>family(key=value,...)</c> (<see cref="ToSpec"/>, <see cref="Parse"/>) and JSON
/// (<see cref="ToJson"/>, <see cref="FromJson"/>). The hierarchy is closed: the families of this namespace.
/// </summary>
public abstract record LrSchedule
{
    /// <summary>Largest number of steps a schedule may have.</summary>
    public const int MaxSteps = 1_000_000_000;

    private protected LrSchedule() { }

    /// <summary>The number of steps S (&gt;= 1).</summary>
    public abstract int Steps { get; }

    /// <summary>The spec family name (<c>cosine</c>, <c>wsd</c>, ...).</summary>
    public abstract ScheduleFamily Family { get; }

    /// <summary>eta_t, the LR of the t-th update (1-based).</summary>
    /// <exception cref="ArgumentOutOfRangeException">t is outside 1..Steps.</exception>
    public double At(int step)
    {
        if (step < 1 || step > Steps)
            throw new ArgumentOutOfRangeException(nameof(step), step, $"{Family}: step must be in 1..{Steps}.");
        return AtCore(step);
    }

    /// <summary>All S values, index 0 = step 1.</summary>
    public double[] Evaluate()
    {
        var result = new double[Steps];
        EvaluateCore(result);
        return result;
    }

    /// <summary>All S values into <paramref name="destination"/>, whose length must be <see cref="Steps"/>.</summary>
    public void Evaluate(Span<double> destination)
    {
        if (destination.Length != Steps)
            throw new ArgumentException($"{Family}: destination has length {destination.Length}, expected {Steps}.", nameof(destination));
        EvaluateCore(destination);
    }

    /// <summary>
    /// The compact text form, fields in canonical order, numbers in round-trip form ("6.67E-05"): the canonical spec that keys,
    /// JSON (plan.json, rank's and predict's "schedule") and the fit cache carry. Console and report text use <see cref="ToDisplaySpec"/>.
    /// </summary>
    public string ToSpec() => SpecText.Write(ToNode());

    /// <summary>
    /// <see cref="ToSpec"/> for people: the same fields and digits, each number's exponent lower-case ("floor=6.67e-05"). It parses
    /// back to the same schedule (<see cref="Parse"/>); keys and JSON keep <see cref="ToSpec"/>.
    /// </summary>
    public string ToDisplaySpec() => SpecText.Write(ToNode(), display: true);

    /// <summary>The JSON form: <c>{"family":"wsd","peak":0.0003,...}</c>, nested schedules as objects.</summary>
    public string ToJson() => SpecJson.Write(ToNode());

    /// <summary>Parses the text form, or the JSON form when the text starts with '{'.</summary>
    /// <exception cref="ScheduleSpecException">The spec is malformed or a field is invalid.</exception>
    public static LrSchedule Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.TrimStart().StartsWith('{') ? FromJson(spec) : ScheduleBinder.Bind(SpecText.Parse(spec));
    }

    /// <summary>
    /// Parses <paramref name="spec"/> as <see cref="Parse"/>, a table's relative <c>file</c> (nested ones too) taken as
    /// relative to <paramref name="baseFolder"/>: a run file's <c>schedule: table(file=x.lr.csv, ...)</c> names its LR file
    /// beside the run file, wherever the command runs from (<c>hyperlaws import</c> writes it so).
    /// </summary>
    /// <exception cref="ScheduleSpecException">The spec is malformed or a field is invalid.</exception>
    public static LrSchedule ParseRelativeTo(string spec, string baseFolder)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(baseFolder);
        var node = spec.TrimStart().StartsWith('{') ? SpecJson.Parse(spec) : SpecText.Parse(spec);
        return ScheduleBinder.Bind(WithFilesUnder(node, baseFolder));
    }

    /// <summary>The tree with each relative <c>file</c> field of a table joined to <paramref name="baseFolder"/>.</summary>
    private static SpecNode WithFilesUnder(SpecNode node, string baseFolder) => node with
    {
        Fields = [.. node.Fields.Select(f => f switch
        {
            { Value: SpecValue.Scalar { Text: { Length: > 0 } file } s } when string.Equals(f.Key, "file", StringComparison.OrdinalIgnoreCase) && !Path.IsPathRooted(file)
                => new KeyValuePair<string, SpecValue>(f.Key, s with { Text = Path.Combine(baseFolder, file) }),
            { Value: SpecValue.Nested n } => new KeyValuePair<string, SpecValue>(f.Key, new SpecValue.Nested(WithFilesUnder(n.Node, baseFolder))),
            _ => f,
        })],
    };

    /// <summary>Parses the JSON form.</summary>
    /// <exception cref="ScheduleSpecException">The JSON is malformed or a field is invalid.</exception>
    public static LrSchedule FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ScheduleBinder.Bind(SpecJson.Parse(json));
    }

    /// <summary>The schedule's spec (<see cref="ToSpec"/>), which <see cref="Parse"/> reads back.</summary>
    public sealed override string ToString() => ToSpec();

    internal abstract double AtCore(int step);

    internal abstract void EvaluateCore(Span<double> destination);

    internal abstract SpecNode ToNode();
}
