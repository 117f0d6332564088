using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>
/// The names of protocol 23's divergence labels (<see cref="SweepDivergenceLabel"/>), as <c>--divergence-label</c> takes them and the
/// JSON's <c>divergenceLabel</c> writes them: <c>2x</c> (<see cref="SweepDivergenceLabel.TwiceBest"/>) and <c>gap</c>.
/// </summary>
internal static class DivergenceLabelNames
{
    /// <summary>The label named <paramref name="text"/> (2x or gap, any case); null when unknown (refused at parse time).</summary>
    public static SweepDivergenceLabel? Of(string text) => text.Trim().ToLowerInvariant() switch
    {
        "2x" => SweepDivergenceLabel.TwiceBest,
        "gap" => SweepDivergenceLabel.Gap,
        _ => null,
    };

    /// <summary>The name of <paramref name="label"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is not a defined label.</exception>
    public static string Name(SweepDivergenceLabel label) => label switch
    {
        SweepDivergenceLabel.TwiceBest => "2x",
        SweepDivergenceLabel.Gap => "gap",
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "not a divergence label."),
    };
}
