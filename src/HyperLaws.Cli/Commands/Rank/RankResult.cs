using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;

namespace HyperLaws.Cli.Commands.Rank;

/// <summary>A ranking: the candidates in order, the top ones' intervals, the warnings and why the winner wins.</summary>
internal sealed record RankResult(
    IFittableLaw Law, double ModelSize, int Steps, int Skipped, double Seconds, (double MinPeak, double MaxPeak, int MaxSteps, int Runs, double LowestLoss, double HighestLoss)? Training,
    IReadOnlyList<RankedCandidate> Ranked, IReadOnlyList<RankedCandidate> Shown, IReadOnlyList<IntervalPrediction?> Bands, bool HasIntervals, double Level,
    IReadOnlyList<string> Warnings, RankedCandidate Winner, RankedCandidate? RunnerUp, RankedCandidate? Constant,
    IReadOnlyList<TermDifference>? VsRunnerUp, IReadOnlyList<TermDifference>? VsConstant)
{
    /// <summary>The #1's peak or warmup at an end of the candidates' (<see cref="AxisEdge.OfBest"/>), structured; their texts are in <see cref="Warnings"/>.</summary>
    public IReadOnlyList<System.Text.Json.Nodes.JsonObject> Edges { get; init; } = [];

    /// <summary>The terms LAW.json's runs did not identify (its "unidentified"); also in <see cref="Warnings"/>.</summary>
    public IReadOnlyList<HyperLaws.Fitting.UnidentifiedTerm> Unidentified { get; init; } = [];

    /// <summary>The candidates' losses withheld because the runs do not support them (<see cref="HyperLaws.Planning.PredictionSupport"/>), per reason.</summary>
    public HyperLaws.Cli.Output.WithheldLosses Withheld { get; init; } = new(null, "");

    /// <summary>The candidates whose loss (and interval) is withheld (<see cref="Withheld"/>), by reference.</summary>
    public IReadOnlySet<RankedCandidate> Hidden { get; init; } = new HashSet<RankedCandidate>();

    /// <summary>What the readers noticed about the law's runs read (<see cref="HyperLaws.Runs.RunNote"/>), for the JSON's runNotes; their torn tails are also in <see cref="Warnings"/>.</summary>
    public IReadOnlyList<HyperLaws.Runs.RunNote> RunNotes { get; init; } = [];

    /// <summary>True when every candidate's loss is withheld: the order is the law's, resting on losses the runs do not support.</summary>
    public bool OrderUnsupported { get; init; }

    /// <summary>The loss printed for <paramref name="c"/>: its predicted loss, NaN when withheld.</summary>
    public double LossShown(RankedCandidate c) => Hidden.Contains(c) ? double.NaN : c.PredictedLoss;
}
