using HyperLaws.Evaluation;

namespace HyperLaws.Cli.Commands.RankContinuation;

/// <summary>The ranked continuations, the top ones shown, and the loss the law predicts at the end of the history.</summary>
internal sealed record RankContinuationResult(string LawName, IReadOnlyList<RankedCandidate> Ranked, IReadOnlyList<RankedCandidate> Shown, double HistoryLoss, double Seconds);
