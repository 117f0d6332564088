using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Evaluation;

/// <summary>One ranked candidate: its schedule, predicted final loss, and the divergence screen's answer (null: unknown).</summary>
public sealed record RankedCandidate(LrSchedule Schedule, double PredictedLoss, bool? Diverges)
{
    /// <summary>The screen's P(diverge); NaN without a screen or when it gives none.</summary>
    public double DivergenceProbability { get; init; } = double.NaN;
}
