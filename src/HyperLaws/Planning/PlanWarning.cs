namespace HyperLaws.Planning;

/// <summary>An assumption or extrapolation of a plan as data; <see cref="PlanExplainer"/> turns it into a sentence.</summary>
public sealed record PlanWarning(WarningKind Kind)
{
    /// <summary>Its quantities by name (see <see cref="WarningKind"/>).</summary>
    public IReadOnlyDictionary<string, double> Quantities { get; init; } = new Dictionary<string, double>();

    /// <summary>A list of numbers (budgets).</summary>
    public IReadOnlyList<double> Values { get; init; } = [];

    /// <summary>Names (a rule, optimizers, an axis).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Words from another component passed through as they are (a transfer note, why no calibration).</summary>
    public string Detail { get; init; } = "";

    /// <summary>A quantity by name, NaN when absent.</summary>
    public double Q(string name) => Quantities.TryGetValue(name, out double v) ? v : double.NaN;
}
