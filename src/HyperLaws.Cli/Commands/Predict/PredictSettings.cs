using HyperLaws.Fitting;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.Predict;

/// <summary>The settings of <c>hyperlaws predict</c>, each read and checked once from the command line.</summary>
/// <param name="LawPath">LAW.json as given.</param>
/// <param name="Law">LAW.json, read and validated.</param>
/// <param name="Schedule">The schedule to predict.</param>
/// <param name="Steps">The steps to predict at (sorted, distinct, within the schedule).</param>
/// <param name="ModelSize">The model size for a law fitted across sizes; NaN for a law of one size.</param>
/// <param name="Level">The prediction interval's level (a bootstrapped LAW.json only); null: the level it was bootstrapped at.</param>
/// <param name="Explain">Split the final loss into the law's terms.</param>
/// <param name="PlotPath">Where to draw the predicted curve (PNG; SVG and CSV beside it), or null.</param>
/// <param name="Json">Print one JSON object instead of the table.</param>
internal sealed record PredictSettings(
    string LawPath, FittedLawDocument Law, LrSchedule Schedule, int[] Steps, double ModelSize, double? Level, bool Explain, string? PlotPath, bool Json)
{
    /// <summary>Hold a stalled run's recent level after its last fitted step (LAW.json's "stall", a law fitted on one run); false: --no-stall-check.</summary>
    public bool StallCheck { get; init; } = true;

    /// <summary>What the held forecast holds (--stall-hold level|progress; <see cref="Fitting.StallHold"/>).</summary>
    public StallHold StallHold { get; init; } = Fitting.StallCheck.DefaultHold;

    /// <summary>No warnings on stderr (--quiet); the table, the files written and the JSON are unchanged.</summary>
    public bool Quiet { get; init; }

    /// <summary>The stalled run whose recent level the forecast holds: LAW.json's one stalled curve when the law was fitted on one run and the check is on; null otherwise.</summary>
    public CurveStall? Hold => StallHoldOptions.HeldCurve(Law, StallCheck);
}
