using HyperLaws.Evaluation;

namespace HyperLaws.Planning;

/// <summary>
/// One decision of a plan as numbers: what was decided (<see cref="Kind"/>), by which rule or law (<see cref="Source"/>), the
/// value chosen, the alternatives considered and the quantities that decided it (named as in <see cref="ReasonKind"/>'s
/// documentation). <see cref="PlanExplainer"/> turns it into a sentence.
/// </summary>
public sealed record PlanReason(ReasonKind Kind, string Source)
{
    /// <summary>The value chosen (a batch, an LR, a momentum, ...; NaN when the kind chooses a label).</summary>
    public double Chosen { get; init; } = double.NaN;

    /// <summary>The chosen label (a law, a family), when the kind chooses one.</summary>
    public string ChosenLabel { get; init; } = "";

    /// <summary>The alternatives weighed.</summary>
    public IReadOnlyList<ReasonOption> Considered { get; init; } = [];

    /// <summary>The deciding quantities by name.</summary>
    public IReadOnlyDictionary<string, double> Quantities { get; init; } = new Dictionary<string, double>();

    /// <summary>Names the explanation needs (a rule, an optimizer).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>The 1-D search behind a peak LR, warmup or cooldown decision.</summary>
    public AxisDecision? Axis { get; init; }

    /// <summary>The law's term that separates the chosen family from the runner-up most (when the law can tell).</summary>
    public TermDifference? Decisive { get; init; }

    /// <summary>A quantity by name, NaN when absent.</summary>
    public double Q(string name) => Quantities.TryGetValue(name, out double v) ? v : double.NaN;
}
