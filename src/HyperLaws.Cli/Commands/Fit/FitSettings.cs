using HyperLaws.Fitting;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Fit;

/// <summary>The settings of <c>hyperlaws fit</c>, each read and checked once from the command line.</summary>
/// <param name="Law">The law's name (one of <see cref="HyperLaws.Laws.LawCatalog.All"/>).</param>
/// <param name="Runs">Run files or folders.</param>
/// <param name="OutPath">Where LAW.json goes.</param>
/// <param name="Split">Which loss curve is fitted.</param>
/// <param name="Bootstrap">The bootstrap's settings, or null for none.</param>
/// <param name="AcrossSizes">Fit one law across model sizes.</param>
/// <param name="Json">Print one JSON object instead of the table.</param>
/// <param name="Quiet">No progress or notes.</param>
internal sealed record FitSettings(
    string Law, IReadOnlyList<string> Runs, string OutPath, LossSplit Split, BootstrapOptions? Bootstrap, bool AcrossSizes, bool Json, bool Quiet)
{
    /// <summary>Hold a decay term the runs cannot identify at its prior (the default; <c>--no-priors</c> leaves it free).</summary>
    public bool Priors { get; init; } = true;

    /// <summary>
    /// The point budget of the fit and its bootstrap (<see cref="HyperLaws.Laws.FitOptions.MaxPointsPerCurve"/>, <c>--max-points</c>):
    /// a run of more logged points is fitted on that many bin means (docs/VALIDATION.md, "OptLaw on 143k-point curves").
    /// </summary>
    public int MaxPointsPerCurve { get; init; } = DefaultMaxPointsPerCurve;

    /// <summary>
    /// The default: every point. A budget of 2,000 (the plan's, <see cref="HyperLaws.Planning.PlanOptions.MaxPointsPerCurve"/>) was declared as
    /// the default and failed its rule on the PolyPythias curves (predictions 1.3% from the every-point fit's, above 0.5%), so it is an option.
    /// The library's own default (<see cref="HyperLaws.Laws.FitOptions.MaxPointsPerCurve"/>), not a second copy of it.
    /// </summary>
    public static int DefaultMaxPointsPerCurve { get; } = new HyperLaws.Laws.FitOptions().MaxPointsPerCurve;

    /// <summary>No progress or notes on stderr.</summary>
    public bool QuietOrJson => Quiet || Json;
}
