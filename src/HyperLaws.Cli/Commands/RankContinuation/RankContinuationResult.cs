using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;

namespace HyperLaws.Cli.Commands.RankContinuation;

/// <summary>The ranked continuations, the top ones shown, and the loss the law predicts at the end of the history.</summary>
internal sealed record RankContinuationResult(string LawName, IReadOnlyList<RankedCandidate> Ranked, IReadOnlyList<RankedCandidate> Shown, double HistoryLoss, double Seconds)
{
    /// <summary>The history's loss withheld because the runs do not support it (<see cref="HyperLaws.Planning.PredictionSupport"/>).</summary>
    public WithheldLosses HistoryWithheld { get; init; } = new(null, "");

    /// <summary>True when the history's loss is withheld (<see cref="HistoryWithheld"/>).</summary>
    public bool HistoryHidden { get; init; }

    /// <summary>The continuations' losses withheld because the runs do not support them, per reason.</summary>
    public WithheldLosses Withheld { get; init; } = new(null, "");

    /// <summary>The continuations whose loss is withheld (<see cref="Withheld"/>), by reference.</summary>
    public IReadOnlySet<RankedCandidate> Hidden { get; init; } = new HashSet<RankedCandidate>();

    /// <summary>True when every continuation's loss is withheld: the order is the law's, resting on losses the runs do not support.</summary>
    public bool OrderUnsupported { get; init; }

    /// <summary>The warnings (runs not found, one per reason a loss is withheld, the order not supported).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The loss printed for <paramref name="c"/>: its predicted loss, NaN when withheld.</summary>
    public double LossShown(RankedCandidate c) => Hidden.Contains(c) ? double.NaN : c.PredictedLoss;

    /// <summary>The history's loss as printed: NaN when withheld.</summary>
    public double HistoryLossShown => HistoryHidden ? double.NaN : HistoryLoss;
}
