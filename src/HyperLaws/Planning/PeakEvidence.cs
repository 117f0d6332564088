using HyperLaws.Runs;

namespace HyperLaws.Planning;

/// <summary>What runs at two or more peak LRs of one size and a comparable horizon show about the best peak by themselves.</summary>
public enum PeakEvidenceKind
{
    /// <summary>The best run's peak has a run at a lower and one at a higher peak: the runs bracket the best peak.</summary>
    Bracketed,

    /// <summary>The best run is at the lowest of the peaks: the loss rises above it, nothing is known below.</summary>
    BestAtLowest,

    /// <summary>The best run is at the highest of the peaks: the loss rises below it, nothing is known above.</summary>
    BestAtHighest,
}

/// <summary>
/// The runs' own evidence on the peak LR (docs/VALIDATION.md, "The runs decide the peak where they bracket it"): among the runs of
/// the size nearest the target that trained (not diverged) with a final loss (<see cref="RunEvidence.FinalLoss"/>: the last
/// validation loss, else the last training loss), the horizon group of comparable steps (the runs whose steps lie within
/// [s, <see cref="ComparableSteps"/> s] of one run's s) with the most distinct peaks; per peak its lowest final loss; the best
/// peak and its neighbours. The ordering counts only where the best beats each neighbour by more than the spread of the group's
/// repeats (runs at one peak), when there are any. All peaks in the runs' own LR units.
/// </summary>
/// <param name="Kind">Bracketed, or the best at one edge of the runs' peaks.</param>
/// <param name="BestPeak">The peak of the lowest final loss.</param>
/// <param name="BestLoss">That loss.</param>
/// <param name="BestRun">The run that gave it.</param>
/// <param name="Lower">The next lower peak (NaN when the best is at the lowest).</param>
/// <param name="Upper">The next higher peak (NaN when the best is at the highest).</param>
/// <param name="RunsOptimum">Bracketed: the vertex of the parabola in ln(peak) through the best and its two neighbours (always between them);
/// else the best peak.</param>
/// <param name="Peaks">Distinct peaks in the group.</param>
/// <param name="Runs">Runs in the group.</param>
/// <param name="RepeatSpread">The largest spread (max - min final loss) among runs at one peak in the group; 0 without repeats.</param>
public sealed record PeakEvidence(PeakEvidenceKind Kind, double BestPeak, double BestLoss, string BestRun, double Lower, double Upper, double RunsOptimum,
    int Peaks, int Runs, double RepeatSpread)
{
    /// <summary>Runs whose steps are within this factor of each other are at a comparable horizon.</summary>
    public const double ComparableSteps = 1.25;

    /// <summary>
    /// The evidence of <paramref name="runs"/> at the size nearest <paramref name="targetParameters"/>; null when no horizon group has two
    /// distinct peaks, or when the best does not beat a neighbour by more than the repeats' spread.
    /// </summary>
    public static PeakEvidence? Of(IReadOnlyList<TrainingRun> runs, double targetParameters)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var usable = runs.Where(r => !r.Diverged && r.Steps > 0 && r.LearningRates.Length > 0)
            .Select(r => (Run: r, Peak: r.LearningRates.Max(), Loss: RunEvidence.FinalLoss(r)))
            .Where(x => x.Peak > 0 && double.IsFinite(x.Peak) && double.IsFinite(x.Loss)).ToList();
        if (usable.Count < 2) return null;
        var atSize = ObservedBest.AtSize(usable.Select(x => x.Run).ToList(), targetParameters).ToHashSet(ReferenceEqualityComparer.Instance);
        usable = [.. usable.Where(x => atSize.Contains(x.Run))];
        static double Key(double peak) => Math.Round(Math.Log(peak), 6);
        // The horizon group with the most distinct peaks (then the most runs, then the longest).
        var group = usable
            .Select(a => usable.Where(x => x.Run.Steps >= a.Run.Steps && x.Run.Steps <= ComparableSteps * a.Run.Steps).ToList())
            .OrderByDescending(g => g.Select(x => Key(x.Peak)).Distinct().Count()).ThenByDescending(g => g.Count).ThenByDescending(g => g.Min(x => x.Run.Steps))
            .FirstOrDefault();
        if (group is null) return null;
        var byPeak = group.GroupBy(x => Key(x.Peak)).Select(g => (Peak: g.First().Peak, Loss: g.Min(x => x.Loss), Best: g.MinBy(x => x.Loss).Run.Name,
            Spread: g.Max(x => x.Loss) - g.Min(x => x.Loss))).OrderBy(p => p.Peak).ToList();
        if (byPeak.Count < 2) return null;
        double spread = byPeak.Max(p => p.Spread);
        int b = byPeak.Select((p, i) => (p, i)).OrderBy(x => x.p.Loss).ThenBy(x => x.i).First().i;
        var best = byPeak[b];
        bool hasLower = b > 0, hasUpper = b < byPeak.Count - 1;
        // The ordering must exceed the repeats' spread on each side that has a neighbour.
        if (hasLower && byPeak[b - 1].Loss - best.Loss <= spread) return null;
        if (hasUpper && byPeak[b + 1].Loss - best.Loss <= spread) return null;
        double lower = hasLower ? byPeak[b - 1].Peak : double.NaN, upper = hasUpper ? byPeak[b + 1].Peak : double.NaN;
        var kind = hasLower && hasUpper ? PeakEvidenceKind.Bracketed : hasUpper ? PeakEvidenceKind.BestAtLowest : PeakEvidenceKind.BestAtHighest;
        double optimum = kind == PeakEvidenceKind.Bracketed
            ? Vertex(Math.Log(lower), byPeak[b - 1].Loss, Math.Log(best.Peak), best.Loss, Math.Log(upper), byPeak[b + 1].Loss)
            : best.Peak;
        return new PeakEvidence(kind, best.Peak, best.Loss, best.Best, lower, upper, optimum, byPeak.Count, group.Count, spread);
    }

    /// <summary>
    /// exp of the vertex of the parabola through (x1, y1), (x2, y2), (x3, y3), x1 &lt; x2 &lt; x3 and y2 below both others (so the
    /// parabola is convex and its vertex lies in (x1, x3)): x* = x2 - ((x2-x1)^2 (y2-y3) - (x2-x3)^2 (y2-y1)) / (2 ((x2-x1)(y2-y3) - (x2-x3)(y2-y1))),
    /// the three-point parabolic interpolation step (Press et al., Numerical Recipes, 3rd ed., eq. 10.3.1).
    /// </summary>
    internal static double Vertex(double x1, double y1, double x2, double y2, double x3, double y3)
    {
        double p = (x2 - x1) * (y2 - y3), q = (x2 - x3) * (y2 - y1);
        double den = 2 * (p - q);
        double x = den == 0 ? x2 : x2 - ((x2 - x1) * p - (x2 - x3) * q) / den;
        return Math.Exp(Math.Clamp(x, x1, x3));
    }

    /// <summary>
    /// Whether a peak (runs' units) agrees with the evidence: inside [Lower, Upper] when bracketed, at or below the best when it is the
    /// lowest, at or above it when it is the highest (the runs say nothing on the other side).
    /// </summary>
    public bool Admits(double peak) => Kind switch
    {
        PeakEvidenceKind.Bracketed => peak >= Lower * 0.999 && peak <= Upper * 1.001,
        PeakEvidenceKind.BestAtLowest => peak <= BestPeak * 1.001,
        _ => peak >= BestPeak * 0.999,
    };
}
