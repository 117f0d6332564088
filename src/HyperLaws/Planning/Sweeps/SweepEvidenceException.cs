namespace HyperLaws.Planning.Sweeps;

/// <summary>
/// The runs' evidence (<see cref="SweepOptions.Evidence"/>) cannot centre a sweep for an optimizer without a published LR rule
/// (<see cref="SweepDesigner.HasPublishedRule"/>): no evidence or no run with a peak LR (<see cref="BestRun"/> null), or the best run's
/// tokens per step unknown, so its budget is (<see cref="BestRun"/> names it). <see cref="Reason"/> says what is wrong without what to do;
/// a front end names its own way to give the runs or their batch (the CLI: its runs option, import's tokens per step).
/// </summary>
public sealed class SweepEvidenceException(string reason, string advice, string? bestRun) : ArgumentException($"{reason}: {advice}.")
{
    /// <summary>What is wrong, without what to do.</summary>
    public string Reason { get; } = reason;

    /// <summary>The best run, whose tokens per step are unknown; null when no run gives a peak LR.</summary>
    public string? BestRun { get; } = bestRun;
}
