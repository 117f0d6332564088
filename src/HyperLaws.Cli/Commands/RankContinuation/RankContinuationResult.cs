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

    /// <summary>True when some loss printed (a continuation's or the history's) holds a stalled run's forecast instead of the law's own (<see cref="RankContinuationSettings.Hold"/>).</summary>
    public bool Held { get; init; }

    /// <summary>The runs read whose file had a torn tail (<see cref="LawRuns.TornTails"/>), said on stderr as notes.</summary>
    public IReadOnlyList<string> TornTails { get; init; } = [];

    /// <summary>The law's own final loss of each continuation as printed (JSON <c>lawLoss</c>): <see cref="RankedCandidate.PredictedLoss"/> where nothing is held; NaN where withheld, or held and the runs do not support the law's value.</summary>
    public IReadOnlyDictionary<RankedCandidate, double> LawLossShown { get; init; } = new Dictionary<RankedCandidate, double>();

    /// <summary>The law's own loss at the history's end as printed (NaN where withheld, or held and not supported).</summary>
    public double HistoryLawLossShown { get; init; } = double.NaN;

    /// <summary>The loss printed for <paramref name="c"/>: its predicted loss, NaN when withheld.</summary>
    public double LossShown(RankedCandidate c) => Hidden.Contains(c) ? double.NaN : c.PredictedLoss;

    /// <summary>The history's loss as printed: NaN when withheld.</summary>
    public double HistoryLossShown => HistoryHidden ? double.NaN : HistoryLoss;
}
