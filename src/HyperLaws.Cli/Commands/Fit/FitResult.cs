using HyperLaws.Laws;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;

namespace HyperLaws.Cli.Commands.Fit;

/// <summary>A fit: the law's fit, its bootstrap (if asked), LAW.json's document and the in-sample metrics per run.</summary>
/// <param name="Fit">The fitted law.</param>
/// <param name="Uncertainty">The bootstrap, or null.</param>
/// <param name="Document">LAW.json's content.</param>
/// <param name="Curves">How many curves were fitted.</param>
/// <param name="PerRun">In-sample metrics of each fitted curve.</param>
internal sealed record FitResult(LawFit Fit, BootstrapResult? Uncertainty, FittedLawDocument Document, int Curves, IReadOnlyList<(string Name, CurveMetrics Metrics)> PerRun)
{
    /// <summary>The stall check of every fitted curve (<see cref="StallCheck"/>).</summary>
    public IReadOnlyList<CurveStall> Stalls { get; init; } = [];
}
