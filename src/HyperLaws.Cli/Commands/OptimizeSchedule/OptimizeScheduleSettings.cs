using HyperLaws.Laws;
using HyperLaws.ScheduleOptimization;

namespace HyperLaws.Cli.Commands.OptimizeSchedule;

/// <summary>
/// The settings of <c>hyperlaws optimize-schedule</c>, each read and checked once. With <paramref name="CompareMpl"/>
/// only <paramref name="DataRoot"/>, <paramref name="Json"/> and <paramref name="Quiet"/> are used; otherwise the law's.
/// </summary>
/// <param name="CompareMpl">Run the MPL/OptLaw comparison on protocol 1's curves instead of one law.</param>
/// <param name="DataRoot">The folder laid out like shared/data (--compare-mpl), resolved.</param>
/// <param name="Law">The fitted law, or null with --compare-mpl.</param>
/// <param name="Parameters">The law's parameters, or null with --compare-mpl.</param>
/// <param name="ModelSize">The model size for a law fitted across sizes; NaN otherwise.</param>
/// <param name="Options">Steps, peak, warmup, knots, monotonicity and evaluation budget, checked; null with --compare-mpl.</param>
/// <param name="OutPath">Where the step,lr CSV goes, or null.</param>
/// <param name="PlotPath">Where the LR figure goes (the loss figure beside it), or null.</param>
/// <param name="Json">Print one JSON object instead of the table.</param>
/// <param name="Quiet">No progress or warnings on stderr.</param>
internal sealed record OptimizeScheduleSettings(
    bool CompareMpl, string DataRoot, ILossLaw? Law, double[]? Parameters, double ModelSize, ScheduleOptimizationOptions? Options,
    string? OutPath, string? PlotPath, bool Json, bool Quiet)
{
    /// <summary>Where LAW.json was read from (null with --compare-mpl).</summary>
    public string? LawPath { get; init; }

    /// <summary>
    /// What the law's runs (--runs, else the files LAW.json names) support of its losses (<see cref="HyperLaws.Planning.PredictionSupport"/>);
    /// null when they were not found (nothing is withheld, a warning says so) or with --compare-mpl.
    /// </summary>
    public HyperLaws.Planning.PredictionSupport? Support { get; init; }

    /// <summary>True when --runs was given (read, but without a positive LR where <see cref="Support"/> is null).</summary>
    public bool RunsGiven { get; init; }

    /// <summary>The law's runs read whose file had a torn tail (<see cref="LawRuns.TornTails"/>), said on stderr as notes.</summary>
    public IReadOnlyList<string> TornTails { get; init; } = [];
    /// <summary>The warnings that LAW.json's run had stopped improving and its losses here are not held (<see cref="Predict.PredictRenderer.StallNotHeld"/>).</summary>
    public IReadOnlyList<string> StallNotHeld { get; init; } = [];
}
