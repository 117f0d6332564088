using System.Runtime.CompilerServices;
using HyperLaws.Evaluation;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using static System.FormattableString;

namespace HyperLaws.Planning;

/// <summary>
/// The schedule-regret rule (issue 10, protocol 6's "plan regret no worse than rerunning the best shorter-horizon schedule";
/// declared in docs/VALIDATION.md "Protocol 6: the schedule-regret rule"). A careful trainer departs from the schedule their runs
/// show best only when the law's predicted gain exceeds the error the law makes when it compares schedules on those same runs:
/// <list type="number">
/// <item><b>Incumbent</b> (<see cref="Incumbent"/>): among the runs of the size nearest the target (log), the runs of the longest
/// horizon that has at least two runs of different schedule shapes; the one with the lowest final loss (final evaluations when at
/// least two of them have one, else the last logged loss of the fitted split).</item>
/// <item><b>Its schedule at the target</b> (<see cref="Read"/>): the planner schedule (constant, cosine, linear or wsd; cooldown and
/// floor as fractions of the run) nearest its LRs in RMS, at the plan's peak, warmup and steps. A run no planner schedule reads
/// within <see cref="ShapeTolerance"/> of its peak is not plannable: the law's pick stands.</item>
/// <item><b>Predicted gain</b> g = L(incumbent) / L(pick) - 1, both the law's losses at the target.</item>
/// <item><b>The law's comparison error on the runs</b> (<see cref="ComparisonThreshold"/>): for every pair (i, j) of different runs of
/// one horizon and one peak LR among the plan's own out-of-sample horizon predictions (<see cref="HorizonBias.Residuals"/>: fitted on
/// shorter runs, predicting them), e_ij = ln(A_i / A_j) - ln(P_i / P_j), the error of the law's predicted loss ratio of two schedules
/// (actual A, predicted P). The threshold tau is the finite-sample split-conformal 90% quantile of |e| (the ceil((n + 1) 0.9)-th
/// smallest of n; Vovk et al. 2005, Lei et al. 2018): were the law's gain no more than such an error, it would exceed tau in at
/// most 10% of exchangeable comparisons (at most 5% one-sided for a symmetric error). 90% is the plan interval's level.</item>
/// <item><b>Decision:</b> the plan departs (keeps the law's pick) iff g &gt; tau; else it keeps the incumbent. With fewer than
/// <see cref="MinimumComparisons"/> comparisons (tau not finite) it keeps the incumbent: no evidence on the runs that the law compares
/// schedules well enough to depart.</item>
/// </list>
/// Only the shape (family, cooldown, floor) is decided here, at the pick's warmup; once the incumbent is kept, its warmup is the
/// caller's decision (<c>warmupFor</c>; the planner's: the run's own warmup, <see cref="Planner"/>), its peak decided again for it. The incumbent is taken to the target at the
/// pick's peak, or, where the caller gives the peak decision for a shape (<c>atOwnPeak</c>; the planner's with
/// <see cref="PlanOptions.PeakForKeptSchedule"/>), at its own: the law's optimum for its shape, so each schedule is compared at its best peak.
/// </summary>
public static class ObservedBest
{
    /// <summary>The level of the comparison-error quantile (the plan interval's).</summary>
    public const double Level = 0.9;

    /// <summary>Fewest comparisons for a finite 90% finite-sample quantile: ceil((n + 1) 0.9) &lt;= n needs n &gt;= 9.</summary>
    public const int MinimumComparisons = 9;

    /// <summary>The largest RMS difference (a fraction of the peak) at which a planner schedule reads a run's LRs.</summary>
    public const double ShapeTolerance = 0.05;

    /// <summary>Cooldowns closer than this (fractions of the run) in one family and floor are the same schedule (the planner's near-copy rule).</summary>
    public const double SameShape = 0.05;

    /// <summary>A run's schedule read as a planner schedule: family, warmup steps (its own), cooldown and floor as fractions, and the RMS mismatch / peak.</summary>
    public sealed record Shape(ScheduleFamily Family, int Warmup, double Cooldown, double Floor, double Mismatch);

    /// <summary>
    /// The incumbent among <paramref name="runs"/>: see the class summary, item 1. Null when no horizon (at the chosen size) has two
    /// runs with a finite final loss and different schedules.
    /// </summary>
    public static (TrainingRun Run, double Loss, int Compared)? Incumbent(IReadOnlyList<TrainingRun> runs, double targetParameters, LossSplit split)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var usable = runs.Where(r => !r.Diverged && r.LearningRates.Length > 1 && r.Steps > 1).ToList();
        if (usable.Count < 2) return null;
        var atSize = AtSize(usable, targetParameters);
        foreach (var group in atSize.GroupBy(r => r.Steps).OrderByDescending(g => g.Key))
        {
            var list = group.ToList();
            var evaluated = list.Select(r => (Run: r, Loss: HorizonBias.FinalEvaluationOf(r))).Where(x => double.IsFinite(x.Loss)).ToList();
            var scored = evaluated.Count >= 2 ? evaluated
                : [.. list.Select(r => (Run: r, Loss: r.Final(split)?.Loss ?? double.NaN)).Where(x => double.IsFinite(x.Loss))];
            if (scored.Count < 2) continue;
            // Two schedules at least: runs of one shape (e.g. constant-LR runs alone) show no best schedule.
            if (scored.Select(x => Signature(x.Run)).Distinct().Count() < 2) continue;
            var best = scored.OrderBy(x => x.Loss).ThenBy(x => x.Run.Name, StringComparer.Ordinal).First();
            return (best.Run, best.Loss, scored.Count);
        }
        return null;
    }

    /// <summary>
    /// The runs of the size nearest <paramref name="targetParameters"/> (in ln; the larger of two as near; the first run's size, known or
    /// not, when the target or every size is unknown). <paramref name="runs"/> must not be empty.
    /// </summary>
    internal static List<TrainingRun> AtSize(IReadOnlyList<TrainingRun> runs, double targetParameters)
    {
        static double Size(TrainingRun r) => r.Metadata.Parameters is { } p && p > 0 ? p : double.NaN;
        var sizes = runs.Select(Size).Distinct().ToList();
        double size = double.IsFinite(targetParameters) && targetParameters > 0 && sizes.Any(double.IsFinite)
            ? sizes.Where(double.IsFinite).OrderBy(s => Math.Abs(Math.Log(s / targetParameters))).ThenByDescending(s => s).First()
            : sizes[0];
        return [.. runs.Where(r => double.IsNaN(size) ? double.IsNaN(Size(r)) : Size(r) == size)];
    }

    /// <summary>A run's LR shape (LRs / peak, rounded), so that runs of one schedule at different peaks count as one.</summary>
    private static string Signature(TrainingRun r)
    {
        double peak = r.LearningRates.Max();
        int n = r.LearningRates.Length;
        return string.Join(",", Enumerable.Range(0, 20).Select(i => Math.Round(r.LearningRates[(int)((long)i * (n - 1) / 19)] / peak, 2)));
    }

    /// <summary>The runs' schedules as read (<see cref="Read"/>), once per LR array: the rule's incumbent and the anchored loss's runs share them.</summary>
    private static readonly ConditionalWeakTable<double[], Shape?> Reads = [];

    /// <summary>
    /// <see cref="Read"/> of <paramref name="run"/>'s LRs, computed once per LR array and kept while the array lives (the same value; the
    /// planner reads the incumbent beside its search, so that the rule finds it read).
    /// </summary>
    public static Shape? ReadOf(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Reads.GetValue(run.LearningRates, lrs => Read(lrs));
    }

    /// <summary>
    /// The planner schedule nearest <paramref name="lrs"/> (per-step LRs) in RMS: constant; cosine and linear to a floor of 0 or 10%;
    /// wsd with a linear cooldown of 1-99% of the run (steps of 1%) to a floor of 0 or 10%; all with the run's own warmup (the steps
    /// to its peak) and peak. Null for fewer than two steps or no positive LR. In the candidates' order (<see cref="Candidates"/>), a
    /// candidate replaces the best so far when its RMS / peak (the sum over the steps in order, <see cref="Rms"/>) is below the best's
    /// by more than 1e-12; the result is that of summing every candidate over every step (<see cref="ReadExhaustive"/>), found with
    /// most candidates summed over a few steps (<see cref="Pruned"/>).
    /// </summary>
    public static Shape? Read(IReadOnlyList<double> lrs) => Nearest(lrs, exhaustive: false);

    /// <summary><see cref="Read(IReadOnlyList{double})"/> with every candidate summed over every step (the reference the pruned read equals; tests).</summary>
    internal static Shape? ReadExhaustive(IReadOnlyList<double> lrs) => Nearest(lrs, exhaustive: true);

    private static Shape? Nearest(IReadOnlyList<double> lrs, bool exhaustive)
    {
        ArgumentNullException.ThrowIfNull(lrs);
        int n = lrs.Count;
        if (n < 2) return null;
        double peak = lrs.Max();
        var x = lrs as double[] ?? [.. lrs];
        if (!(peak > 0) || !double.IsFinite(peak)) return null;
        // The warmup reaches the peak at its last step (step W is index W - 1); a run at its peak from step 1 has none.
        int warmup = Math.Min(WarmupGuard.WarmupOf(x), n - 2);
        var candidates = Candidates(peak, n, warmup);
        // One buffer for the candidates (each would otherwise allocate n doubles, on the large-object heap for long runs).
        var v = new double[n];
        var rms = (!exhaustive && x.All(double.IsFinite) ? Pruned(candidates, x, peak, v) : null)
            ?? [.. candidates.Select(c => (double?)Rms(c.Schedule, x, peak, v))];
        // The candidates in order: one replaces the best when below it by more than 1e-12 (the first of near ties stays).
        Shape? best = null;
        for (int i = 0; i < candidates.Count; i++)
        {
            if (rms[i] is not { } r) continue;
            var (_, family, cooldown, floor) = candidates[i];
            if (best is null || r < best.Mismatch - 1e-12) best = new Shape(family, warmup, cooldown, family == ScheduleFamily.Constant ? double.NaN : floor, r);
        }
        return best;
    }

    /// <summary>The planner schedules <see cref="Read(IReadOnlyList{double})"/> compares, in its order (those a family refuses left out).</summary>
    private static List<(LrSchedule Schedule, ScheduleFamily Family, double Cooldown, double Floor)> Candidates(double peak, int n, int warmup)
    {
        var list = new List<(LrSchedule, ScheduleFamily, double, double)>();
        void Add(ScheduleFamily family, double cooldown, double floor)
        {
            if (CandidateGrid.TryBuild(family, peak, n, warmup, cooldown, floor) is { } s && s.Steps == n) list.Add((s, family, cooldown, floor));
        }
        Add(ScheduleFamily.Constant, double.NaN, double.NaN);
        foreach (double floor in Planner.Floors)
        {
            Add(ScheduleFamily.Cosine, double.NaN, floor);
            Add(ScheduleFamily.Linear, double.NaN, floor);
            for (int c = 1; c <= 99; c++) Add(ScheduleFamily.Wsd, c / 100.0, floor);
        }
        return list;
    }

    /// <summary>sqrt(sum over the steps in order of (eta_t - x_t)^2 / n) / peak: a candidate's RMS mismatch, the number the read compares and reports.</summary>
    private static double Rms(LrSchedule schedule, double[] x, double peak, double[] v)
    {
        schedule.Evaluate(v);
        double ss = 0;
        for (int i = 0; i < x.Length; i++) ss += (v[i] - x[i]) * (v[i] - x[i]);
        return Math.Sqrt(ss / x.Length) / peak;
    }

    /// <summary>The margin (in RMS / peak) above the guess's RMS beyond which a candidate is dropped without its full sum.</summary>
    private const double PruneMargin = 1e-9;

    /// <summary>
    /// The candidates' <see cref="Rms"/> where it can decide the read, null where it cannot (a candidate proven above the best); null for
    /// the whole when no margin separates the two (then every candidate is summed). Exact: the read's result is unchanged.
    /// <list type="number">
    /// <item>A guess g: the candidate of least squared mismatch on every 64th step (a few hundred steps); its full <see cref="Rms"/> U.</item>
    /// <item>Each other candidate summed on strided subsets of the steps (every 64th from the end, the guess's sums, then the next offset, ...): a partial sum
    /// of non-negative terms is a lower bound of the full one (rounding covered by a relative 1e-9 + 2.3e-16 n), so once it passes
    /// n (peak (U + <see cref="PruneMargin"/>))^2 the candidate's RMS exceeds U + margin and it cannot be the best (which is at most
    /// U + 1e-12). The others (the survivors) get their full <see cref="Rms"/>.</item>
    /// <item>Why the result is the exhaustive one: every survivor's RMS is checked below U + margin - 1e-11; a dropped candidate's is above
    /// U + margin. In the exhaustive order a dropped candidate may become the best only before the first survivor, which then replaces
    /// it (more than 1e-12 below), and none afterwards; so from the first survivor on both orders hold the same best. A survivor within
    /// 1e-11 of the margin (no gap) or non-finite LRs: null, every candidate summed.</item>
    /// </list>
    /// </summary>
    private static double?[]? Pruned(List<(LrSchedule Schedule, ScheduleFamily Family, double Cooldown, double Floor)> candidates, double[] x, double peak, double[] v)
    {
        int n = x.Length, m = candidates.Count;
        const int Stride = 64;
        if (m == 0 || n < 4 * Stride) return null;
        // 1. The guess, on every Stride-th step (At: the value Evaluate puts at index t - 1).
        int guess = 0;
        var sampled = new double[m];
        for (int k = 0; k < m; k++)
        {
            var s = candidates[k].Schedule;
            double ss = 0;
            for (int i = n - 1; i >= 0; i -= Stride) ss += (s.AtCore(i + 1) - x[i]) * (s.AtCore(i + 1) - x[i]);
            sampled[k] = ss;
            if (ss < sampled[guess]) guess = k;
        }
        var rms = new double?[m];
        double u = Rms(candidates[guess].Schedule, x, peak, v);
        rms[guess] = u;
        // A sum of n non-negative doubles in floating point is within a relative (n - 1) x 1.1e-16 of the exact sum (Higham, Accuracy and
        // Stability of Numerical Algorithms, 2nd ed., section 4.2), the subset's and the full sum's alike: 1e-9 + 2.3e-16 n covers both.
        double limit = n * (peak * (u + PruneMargin)) * (peak * (u + PruneMargin)) * (1 + 1e-9 + 2.3e-16 * n);
        // 2. The others on strided subsets, dropped once the partial sum passes the limit; the survivors summed in full.
        for (int k = 0; k < m; k++)
        {
            if (k == guess) continue;
            var s = candidates[k].Schedule;
            double part = sampled[k];
            bool dropped = part > limit;
            for (int offset = 1; offset < Stride && !dropped; offset++)
            {
                for (int i = n - 1 - offset; i >= 0; i -= Stride) part += (s.AtCore(i + 1) - x[i]) * (s.AtCore(i + 1) - x[i]);
                dropped = part > limit;
            }
            if (dropped) continue;
            double r = Rms(s, x, peak, v);
            // 3. No gap between the survivors and the dropped: the exhaustive read.
            if (!(r < u + PruneMargin - 1e-11)) return null;
            rms[k] = r;
        }
        return rms;
    }

    /// <summary>
    /// The law's schedule-comparison errors on the runs: e_ij = ln(A_i / A_j) - ln(P_i / P_j) for every pair of residuals of different
    /// runs with one horizon and one peak LR (to 6 digits in ln). Residuals of unknown horizon (0) are not paired.
    /// </summary>
    public static IReadOnlyList<double> ComparisonErrors(IReadOnlyList<HorizonResidual> residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        var errors = new List<double>();
        var ok = residuals.Where(r => r.Horizon > 0 && r.PeakLr > 0 && r.Predicted > 0 && r.Actual > 0 && double.IsFinite(r.Predicted) && double.IsFinite(r.Actual));
        foreach (var g in ok.GroupBy(r => (r.Horizon, Math.Round(Math.Log(r.PeakLr), 6))).OrderBy(g => g.Key))
        {
            var list = g.ToList();
            for (int i = 0; i < list.Count; i++)
                for (int j = i + 1; j < list.Count; j++)
                    if (!string.Equals(list[i].Run, list[j].Run, StringComparison.Ordinal))
                        errors.Add(Math.Log(list[i].Actual / list[j].Actual) - Math.Log(list[i].Predicted / list[j].Predicted));
        }
        return errors;
    }

    /// <summary>
    /// tau: the finite-sample 90% quantile of |e| over <paramref name="errors"/> (the ceil((n + 1) <see cref="Level"/>)-th smallest),
    /// NaN with fewer than <see cref="MinimumComparisons"/>.
    /// </summary>
    public static double ComparisonThreshold(IReadOnlyList<double> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var abs = errors.Where(double.IsFinite).Select(Math.Abs).Order().ToArray();
        int k = (int)Math.Ceiling((abs.Length + 1) * Level - 1e-9);
        return abs.Length < MinimumComparisons || k > abs.Length ? double.NaN : abs[k - 1];
    }

    /// <summary>The rule's outcome for a predicted gain <paramref name="gain"/> against the threshold <paramref name="threshold"/> (item 5).</summary>
    public static ObservedBestOutcome Decide(double gain, double threshold) =>
        !double.IsFinite(threshold) ? ObservedBestOutcome.KeptUnmeasured
        : gain > threshold ? ObservedBestOutcome.Departed
        : ObservedBestOutcome.KeptWithinError;

    /// <summary>A planner schedule's shape as <see cref="Read"/> writes a run's: family, cooldown (WSD; NaN otherwise) and floor (fractions; NaN for constant).</summary>
    public static Shape ShapeOf(LrSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        double floor = schedule switch
        {
            WsdSchedule w => w.Peak > 0 ? w.Floor / w.Peak : 0,
            CosineSchedule c => c.Peak > 0 ? c.Floor / c.Peak : 0,
            LinearSchedule l => l.Peak > 0 ? l.Floor / l.Peak : 0,
            _ => double.NaN,
        };
        double cooldown = schedule is WsdSchedule ws ? (double)ws.CooldownLength / ws.Steps : double.NaN;
        return new Shape(schedule.Family, schedule is WarmupSchedule wu ? wu.Warmup : 0, cooldown, floor, 0);
    }

    /// <summary>One shape: the same family, the same floor (to 1e-6; none for both constant), WSD cooldowns within <see cref="SameShape"/>.</summary>
    public static bool OneShape(Shape a, Shape b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        static bool Close(double x, double y, double tolerance) => double.IsNaN(x) && double.IsNaN(y) || Math.Abs(x - y) < tolerance;
        return a.Family == b.Family && Close(a.Floor, b.Floor, 1e-6) && Close(a.Cooldown, b.Cooldown, SameShape);
    }

    /// <summary>True when two planner schedules are one shape (<see cref="OneShape"/> of their <see cref="ShapeOf(LrSchedule)"/>).</summary>
    public static bool SameSchedule(LrSchedule a, LrSchedule b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return OneShape(ShapeOf(a), ShapeOf(b));
    }

    /// <summary>
    /// The rule on a plan: <paramref name="pick"/> (the law's best schedule, with its loss <paramref name="pickLoss"/>) against the
    /// incumbent of <paramref name="runs"/> taken to the pick's peak, warmup and steps, its loss from <paramref name="loss"/> (the law at
    /// the target). The returned schedule is the plan's: the incumbent when kept and <paramref name="apply"/>, else the pick.
    /// </summary>
    /// <param name="atOwnPeak">The incumbent (built at the pick's peak) at its own peak, the caller's peak decision for its shape; null: the
    /// pick's peak. Not asked when the incumbent is the pick's shape (<see cref="ObservedBestOutcome.Same"/>).</param>
    /// <param name="warmupFor">The kept incumbent's warmup (steps at the target) for its run's shape as read (<see cref="Shape.Warmup"/>: the run's own),
    /// the caller's decision, asked only once the rule keeps the incumbent (decided at the pick's warmup); null: the pick's warmup.</param>
    public static (LrSchedule Schedule, double Loss, ObservedBestDecision Decision) Decide(LrSchedule pick, double pickLoss, IReadOnlyList<TrainingRun> runs,
        double targetParameters, LossSplit split, IReadOnlyList<HorizonResidual> residuals, Func<LrSchedule, double> loss, bool apply,
        Func<LrSchedule, LrSchedule>? atOwnPeak = null, Func<Shape, int>? warmupFor = null)
    {
        ArgumentNullException.ThrowIfNull(pick);
        ArgumentNullException.ThrowIfNull(loss);
        var errors = ComparisonErrors(residuals);
        double tau = ComparisonThreshold(errors);
        ObservedBestDecision None(ObservedBestOutcome o, string run = "", double runLoss = double.NaN, int compared = 0, double mismatch = double.NaN) =>
            new(o, run, runLoss, compared, "", mismatch, pickLoss, double.NaN, double.NaN, tau, errors.Count, apply) { Pick = pick.ToSpec() };
        if (Incumbent(runs, targetParameters, split) is not { } inc) return (pick, pickLoss, None(ObservedBestOutcome.NoIncumbent));
        var shape = ReadOf(inc.Run);
        if (shape is null || !(shape.Mismatch <= ShapeTolerance))
            return (pick, pickLoss, None(ObservedBestOutcome.NotPlannable, inc.Run.Name, inc.Loss, inc.Compared, shape?.Mismatch ?? double.NaN));
        double peak = Planner.PeakOf(pick);
        int pickWarmup = pick is WarmupSchedule ws ? ws.Warmup : 0;
        LrSchedule? Build(int warmup) => CandidateGrid.TryBuild(shape.Family, peak, pick.Steps, warmup, shape.Cooldown, double.IsNaN(shape.Floor) ? 0 : shape.Floor);
        // Decided at the pick's warmup: the two schedules differ in shape only (OneShape ignores the warmup), and every law here
        // predicts a lower loss for a shorter warmup (the LR area it adds), a difference the law cannot judge (WarmupGuard).
        var incumbent = Build(pickWarmup);
        if (incumbent is null)
            return (pick, pickLoss, None(ObservedBestOutcome.NotPlannable, inc.Run.Name, inc.Loss, inc.Compared, shape.Mismatch));
        bool same = SameSchedule(pick, incumbent);
        if (!same && atOwnPeak is not null) incumbent = atOwnPeak(incumbent);
        double incLoss = loss(incumbent);
        double gain = incLoss / pickLoss - 1;
        var outcome = same ? ObservedBestOutcome.Same : Decide(gain, tau);
        var decision = new ObservedBestDecision(outcome, inc.Run.Name, inc.Loss, inc.Compared, incumbent.ToSpec(), shape.Mismatch, pickLoss, incLoss, gain, tau, errors.Count, apply)
        {
            Pick = pick.ToSpec(), PickPeak = peak, IncumbentPeak = Planner.PeakOf(incumbent), OwnPeak = !same && atOwnPeak is not null,
        };
        if (!(decision.KeptIncumbent && double.IsFinite(incLoss))) return (pick, pickLoss, decision);
        // Kept (never the pick's shape): only now is it rebuilt at the caller's warmup for its run (the run's own) and its peak decided
        // again at that warmup; where that schedule cannot be built or has no finite loss, the incumbent as decided is kept.
        if (warmupFor?.Invoke(shape) is { } own && own != pickWarmup && Build(own) is { } atOwn)
        {
            var rebuilt = atOwnPeak is not null ? atOwnPeak(atOwn) : atOwn;
            double rebuiltLoss = loss(rebuilt);
            if (double.IsFinite(rebuiltLoss)) return (rebuilt, rebuiltLoss, decision with { Kept = rebuilt.ToSpec(), KeptLoss = rebuiltLoss });
        }
        return (incumbent, incLoss, decision with { Kept = incumbent.ToSpec(), KeptLoss = incLoss });
    }

    /// <summary>The decision as a plan reason (numbers only; <see cref="PlanExplainer"/> words it).</summary>
    public static PlanReason Reason(ObservedBestDecision d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new PlanReason(ReasonKind.ObservedBest, "the runs' best schedule")
        {
            ChosenLabel = d.Outcome.ToString(),
            Chosen = d.Gain,
            Labels = Rebuilt(d) ? [d.Run, d.Incumbent, d.Kept] : [d.Run, d.Incumbent],
            Quantities = Planner.Qs([("gain", d.Gain), ("threshold", d.Threshold), ("comparisons", d.Comparisons), ("pickLoss", d.PickLoss),
                ("incumbentLoss", d.IncumbentLoss), ("runLoss", d.RunLoss), ("runsCompared", d.RunsCompared), ("shapeMismatch", d.ShapeMismatch),
                ("applied", d.Applied ? 1 : 0), ("kept", d.KeptIncumbent ? 1 : 0), ("pickPeak", d.PickPeak), ("incumbentPeak", d.IncumbentPeak), ("ownPeak", d.OwnPeak ? 1 : 0),
                .. Rebuilt(d) ? [("keptLoss", d.KeptLoss)] : Array.Empty<(string, double)>()]),
        };
    }

    /// <summary>True when the kept schedule is the incumbent rebuilt at its run's warmup (not the schedule decided at the pick's).</summary>
    private static bool Rebuilt(ObservedBestDecision d) => d.Kept.Length > 0 && d.Kept != d.Incumbent;

    /// <summary>A short label of the outcome, for tables.</summary>
    public static string Label(ObservedBestDecision d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return Invariant($"{d.Outcome}: gain {100 * d.Gain:0.###}% vs tau {100 * d.Threshold:0.###}% ({d.Comparisons} pairs)");
    }
}
