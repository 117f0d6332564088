using HyperLaws.Runs;
using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// The runs' own evidence on the peak LR of one plan schedule (docs/VALIDATION.md, "The runs decide the peak where they bracket it",
/// amended in "After the review: like-for-like groups" and "The runs decide the peak of their own shape"). Only runs that are like for
/// like with the plan's schedule are compared: among the runs that trained (not diverged) at the reference run's size
/// (<see cref="RunReferences.SameSize"/>), at its horizon (steps in [S / <see cref="ComparableSteps"/>, S], S the reference's: the peak
/// is carried to the target with the reference's factor, so only the group at the reference's tokens is carried correctly) and at its
/// tokens per step (within 1%; a run that states none counts as at the reference's), the runs of the plan's own schedule shape: read
/// (<see cref="ObservedBest.ReadOf"/>, within <see cref="ObservedBest.ShapeTolerance"/>) as the plan's family, floor and WSD cooldown
/// (<see cref="ObservedBest.OneShape"/> with <see cref="ObservedBest.ShapeOf"/> of the plan) with a warmup within
/// <see cref="ObservedBest.SameShape"/> of the plan's (fractions of each run), and of one decay form: their LR curves (each / its
/// peak, on the fraction of its run, its warmup at the peak, <see cref="CurveDistance"/>) within <see cref="ObservedBest.ShapeTolerance"/> RMS of the curve of
/// the run nearest the plan's (so a 1-sqrt cooldown, which the planner's linear reading takes within tolerance, is not a repeat of a
/// linear one). A constant-LR run never decides an annealed plan's peak, nor a WSD run a cosine plan's. Their final losses all of one
/// measurement (optionally the runs' final evaluations when every run of the group has one; else the last validation loss when every run
/// has one, else the last training loss); per peak its lowest final loss;
/// the best peak and its neighbours. The ordering counts only where the best beats each neighbour by more than the spread of the
/// group's repeats (runs at one peak), or, with no repeats, by more than <see cref="NoRepeatsMargin"/> of its loss. All peaks in the
/// runs' own LR units.
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
    /// <summary>The split of the final losses compared (validation also for final evaluations).</summary>
    public LossSplit Split { get; init; }

    /// <summary>True when the final losses compared are the runs' final evaluations (<see cref="HorizonBias.FinalEvaluationOf"/>), not their last logged losses.</summary>
    public bool FinalEvaluation { get; init; }

    /// <summary>Runs whose steps are within this factor of each other are at a comparable horizon.</summary>
    public const double ComparableSteps = 1.25;

    /// <summary>
    /// With no repeats at any peak, the best must beat each neighbour by more than this fraction of its loss: issue 10's own regret
    /// tolerance (a plan "no worse than rerunning the best shorter-horizon schedule + 0.1%"). Not tuned to any score.
    /// </summary>
    public const double NoRepeatsMargin = 0.001;

    /// <summary>Points (fractions of the run) at which <see cref="CurveDistance"/> compares two LR curves.</summary>
    internal const int CurvePoints = 200;

    /// <summary>
    /// The evidence of <paramref name="runs"/> on the peak of <paramref name="plan"/>'s schedule shape, at the reference's size
    /// <paramref name="referenceParameters"/> (NaN: every run, as <see cref="RunReferences.Of"/>), horizon <paramref name="referenceSteps"/>
    /// and batch <paramref name="referenceTokensPerStep"/> (NaN: runs that state none); null when the runs of the plan's shape there have
    /// fewer than two distinct peaks, or when the best does not beat a neighbour by more than the repeats' spread (without repeats,
    /// <see cref="NoRepeatsMargin"/>). With <paramref name="margin"/> false the ordering is returned whatever its margin (the runs' best
    /// as measured, for <see cref="PlanOptions.PeakFromRunsBest"/>: the planner takes it only where the law cannot tell it from its optimum).
    /// With <paramref name="finalEvaluation"/> (<see cref="PlanOptions.PeakFromFinalEvaluation"/>) each run's final loss is its final
    /// evaluation (<see cref="HorizonBias.FinalEvaluationOf"/>) where every run of the group has one (docs/VALIDATION.md, "The runs' peak
    /// evidence from a run's final evaluation").
    /// </summary>
    public static PeakEvidence? Of(IReadOnlyList<TrainingRun> runs, double referenceParameters, int referenceSteps, double referenceTokensPerStep, LrSchedule plan,
        bool margin = true, bool finalEvaluation = false)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(plan);
        static bool SameBatch(double a, double b) => double.IsNaN(a) && double.IsNaN(b) || a > 0 && b > 0 && Math.Abs(Math.Log(a / b)) < 0.01;
        var planShape = ObservedBest.ShapeOf(plan);
        double planWarmup = plan.Steps > 0 ? (double)planShape.Warmup / plan.Steps : 0;
        var planCurve = Curve(plan.Evaluate(), planShape.Warmup);
        // The runs read as the plan's shape: family, floor and cooldown (OneShape), warmup fractions within SameShape.
        var usable = runs.Where(r => !r.Diverged && r.Steps > 1 && r.LearningRates.Length > 1
                && (double.IsNaN(referenceParameters) || RunReferences.SameSize(r.Metadata.Parameters ?? double.NaN, referenceParameters))
                && r.Steps <= referenceSteps && r.Steps * ComparableSteps >= referenceSteps
                && SameBatch(RunReferences.Stated(r) ?? referenceTokensPerStep, referenceTokensPerStep))
            .Select(r => (Run: r, Peak: r.LearningRates.Max(), Shape: ObservedBest.ReadOf(r)))
            .Where(x => x.Peak > 0 && double.IsFinite(x.Peak) && x.Shape is { } s && s.Mismatch <= ObservedBest.ShapeTolerance
                && ObservedBest.OneShape(s, planShape) && Math.Abs((double)s.Warmup / x.Run.Steps - planWarmup) < ObservedBest.SameShape)
            .Select(x => (x.Run, x.Peak, Curve: Curve(x.Run.LearningRates, x.Shape!.Warmup)))
            .ToList();
        if (usable.Count < 2) return null;
        // One decay form: the runs whose curves lie within ShapeTolerance of the curve of the run nearest the plan's (the first such run on a tie).
        var nearest = usable.MinBy(x => CurveDistance(x.Curve, planCurve)).Curve;
        var like = usable.Where(x => CurveDistance(x.Curve, nearest) <= ObservedBest.ShapeTolerance).Select(x => (x.Run, x.Peak)).ToList();
        static double Key(double peak) => Math.Round(Math.Log(peak), 6);
        // One measurement for the group: with finalEvaluation, each run's final evaluation (HorizonBias.FinalEvaluationOf: the reader's
        // evaluation at the run's last step, W&B's history.final-val) when every run of the group has one; else the last validation loss
        // when every run has one; else the last training loss. Never a mix: the grid's 32-batch validation points lie 1.2% below its
        // final-val (HorizonBias), more than the margin.
        static double Final(TrainingRun r, LossSplit split) => r.Final(split)?.Loss is { } l && double.IsFinite(l) && l > 0 ? l : double.NaN;
        var split = like.All(x => double.IsFinite(Final(x.Run, LossSplit.Validation))) ? LossSplit.Validation : LossSplit.Train;
        bool evaluated = finalEvaluation && like.All(x => double.IsFinite(HorizonBias.FinalEvaluationOf(x.Run)));
        var group = like.Select(x => (x.Run, x.Peak, Loss: evaluated ? HorizonBias.FinalEvaluationOf(x.Run) : Final(x.Run, split)))
            .Where(x => double.IsFinite(x.Loss)).ToList();
        var byPeak = group.GroupBy(x => Key(x.Peak)).Select(g => (Peak: g.First().Peak, Loss: g.Min(x => x.Loss), Best: g.MinBy(x => x.Loss).Run.Name,
            Spread: g.Max(x => x.Loss) - g.Min(x => x.Loss), Count: g.Count())).OrderBy(p => p.Peak).ToList();
        if (byPeak.Count < 2) return null;
        double spread = byPeak.Max(p => p.Spread);
        int b = byPeak.Select((p, i) => (p, i)).OrderBy(x => x.p.Loss).ThenBy(x => x.i).First().i;
        var best = byPeak[b];
        double least = byPeak.Any(p => p.Count > 1) ? spread : NoRepeatsMargin * best.Loss;
        bool hasLower = b > 0, hasUpper = b < byPeak.Count - 1;
        // The ordering must exceed the margin on each side that has a neighbour (unless asked for the ordering as measured).
        if (margin && hasLower && byPeak[b - 1].Loss - best.Loss <= least) return null;
        if (margin && hasUpper && byPeak[b + 1].Loss - best.Loss <= least) return null;
        double lower = hasLower ? byPeak[b - 1].Peak : double.NaN, upper = hasUpper ? byPeak[b + 1].Peak : double.NaN;
        var kind = hasLower && hasUpper ? PeakEvidenceKind.Bracketed : hasUpper ? PeakEvidenceKind.BestAtLowest : PeakEvidenceKind.BestAtHighest;
        double optimum = kind == PeakEvidenceKind.Bracketed
            ? Vertex(Math.Log(lower), byPeak[b - 1].Loss, Math.Log(best.Peak), best.Loss, Math.Log(upper), byPeak[b + 1].Loss)
            : best.Peak;
        return new PeakEvidence(kind, best.Peak, best.Loss, best.Best, lower, upper, optimum, byPeak.Count, group.Count, spread)
        {
            Split = evaluated ? LossSplit.Validation : split,
            FinalEvaluation = evaluated,
        };
    }

    /// <summary>
    /// An LR curve on the fraction of its run: eta at steps floor(f_k S), f_k = (k + 1/2) / <see cref="CurvePoints"/>, each divided by the
    /// curve's peak, so that runs of different lengths and peaks compare by shape alone; the first <paramref name="warmup"/> steps count
    /// as at the peak (warmups are compared apart, within <see cref="ObservedBest.SameShape"/>: a 1.4% warmup against none alone is
    /// 6.8% RMS, more than <see cref="ObservedBest.ShapeTolerance"/>).
    /// </summary>
    internal static double[] Curve(IReadOnlyList<double> lrs, int warmup = 0)
    {
        ArgumentNullException.ThrowIfNull(lrs);
        double peak = lrs.Count == 0 ? 0 : lrs.Max();
        var curve = new double[CurvePoints];
        for (int k = 0; k < CurvePoints; k++)
        {
            int i = Math.Min(lrs.Count - 1, (int)Math.Floor((k + 0.5) / CurvePoints * lrs.Count));
            curve[k] = i < warmup ? 1 : peak > 0 ? lrs[i] / peak : 0;
        }
        return curve;
    }

    /// <summary>The RMS difference of two <see cref="Curve"/>s (a fraction of the peak, as <see cref="ObservedBest.ShapeTolerance"/>).</summary>
    internal static double CurveDistance(double[] a, double[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        double sum = 0;
        for (int k = 0; k < a.Length; k++) sum += (a[k] - b[k]) * (a[k] - b[k]);
        return Math.Sqrt(sum / a.Length);
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
        // With y2 strictly below y1 and y3 (the caller's margins), den > 0 and x lies in (x1, x3): the zero test and the clamp only
        // guard rounding.
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
