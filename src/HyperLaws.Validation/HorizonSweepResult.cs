namespace HyperLaws.Validation;

/// <summary>Protocol 25's result (<see cref="HorizonSweep.Run"/>).</summary>
/// <param name="Runs">Every held-out run, per optimizer in the table's order, then by tokens and LR.</param>
/// <param name="Horizons">Every held-out horizon, in the same order.</param>
/// <param name="Summaries">The score per optimizer.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record HorizonSweepResult(IReadOnlyList<HorizonSweepRun> Runs, IReadOnlyList<HorizonSweepHorizon> Horizons, IReadOnlyList<HorizonSweepSummary> Summaries, double Seconds)
{
    /// <summary>Whether the source passed: every optimizer's rule met.</summary>
    public bool Passes => Summaries.Count > 0 && Summaries.All(s => s.Passes);
}
