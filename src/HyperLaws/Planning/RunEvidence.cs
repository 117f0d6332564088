using HyperLaws.Runs;

namespace HyperLaws.Planning;

/// <summary>
/// What a set of runs shows about the peak LR by itself, with no prior: the highest peak that trained without diverging, the
/// lowest that diverged (if any), and the peak of the best run (lowest final loss among those that trained). Used where no
/// published rule or divergence prior exists for the runs' optimizer (a divergence prior fitted on AdamW runs says nothing about
/// Muon's boundary): the plan's divergence guard (<see cref="EvidenceDivergenceGuard"/>) and the sweep's centre.
/// </summary>
/// <param name="HighestTrained">The highest peak LR (runs' units) of a run that trained; NaN when none did.</param>
/// <param name="LowestDiverged">The lowest peak LR of a run marked diverged; +infinity when none diverged.</param>
/// <param name="BestPeak">The peak LR of the run with the lowest final loss among those that trained (validation when it has one, else train); NaN when none.</param>
/// <param name="BestRun">That run's name ("" when none).</param>
/// <param name="BestTokens">That run's tokens (steps x tokens per step); NaN when its tokens per step are unknown.</param>
/// <param name="Trained">How many runs trained.</param>
/// <param name="DivergedRuns">How many runs diverged.</param>
public sealed record RunEvidence(double HighestTrained, double LowestDiverged, double BestPeak, string BestRun, double BestTokens, int Trained, int DivergedRuns)
{
    /// <summary>The evidence of <paramref name="runs"/> (runs without steps are skipped).</summary>
    public static RunEvidence Of(IEnumerable<TrainingRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var usable = runs.Where(r => r.Steps > 0).ToList();
        var trained = usable.Where(r => !r.Diverged).ToList();
        var diverged = usable.Where(r => r.Diverged).ToList();
        var best = trained.Select(r => (Run: r, Loss: FinalLoss(r))).Where(x => double.IsFinite(x.Loss))
            .OrderBy(x => x.Loss).ThenBy(x => x.Run.Name, StringComparer.Ordinal).Select(x => x.Run).FirstOrDefault();
        return new RunEvidence(
            trained.Count == 0 ? double.NaN : trained.Max(r => r.LearningRates.Max()),
            diverged.Count == 0 ? double.PositiveInfinity : diverged.Min(r => r.LearningRates.Max()),
            best is null ? double.NaN : best.LearningRates.Max(),
            best?.Name ?? "",
            best?.Metadata.TokensPerStep is { } tps && tps > 0 ? best.Steps * tps : double.NaN,
            trained.Count, diverged.Count);
    }

    /// <summary>A run's final loss: its last validation loss when it has one, else its last training loss; NaN when none.</summary>
    public static double FinalLoss(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        double loss = (run.Final(LossSplit.Validation) ?? run.Final(LossSplit.Train))?.Loss ?? double.NaN;
        return double.IsFinite(loss) && loss > 0 ? loss : double.NaN;
    }
}
