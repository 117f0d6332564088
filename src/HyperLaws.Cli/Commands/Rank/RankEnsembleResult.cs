using HyperLaws.Evaluation;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Rank;

/// <summary>A ranking by ensemble-lr: the fit, the candidates in order, the top ones, the warnings.</summary>
internal sealed record RankEnsembleResult(
    LrEnsembleFit Fit, LossSplit Split, int Steps, int Skipped, double FitSeconds, double RankSeconds,
    (double MinPeak, double MaxPeak, int MaxSteps, int Runs, double LowestLoss, double HighestLoss)? Training,
    IReadOnlyList<RankEnsembleCandidate> Ranked, IReadOnlyList<RankEnsembleCandidate> Shown, IReadOnlyList<string> Warnings)
{
    /// <summary>The #1's peak or warmup at an end of the candidates' (<see cref="AxisEdge.OfBest"/>), structured; their texts are in <see cref="Warnings"/>.</summary>
    public IReadOnlyList<System.Text.Json.Nodes.JsonObject> Edges { get; init; } = [];

    /// <summary>What the readers noticed about the runs (<see cref="RunNote"/>), for the JSON's runNotes; their torn tails are also in <see cref="Warnings"/>.</summary>
    public IReadOnlyList<RunNote> RunNotes { get; init; } = [];
}
