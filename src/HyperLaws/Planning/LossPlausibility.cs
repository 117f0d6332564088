namespace HyperLaws.Planning;

/// <summary>
/// Whether a predicted loss can be a cross-entropy of the runs' task: a cross-entropy is never negative, and a loss that is
/// finite and positive but far below the lowest loss the runs logged, or far above the highest, is not an extrapolation the
/// laws were validated on. Rule (used by <see cref="Planner"/> on the plan's final loss and its interval, and in the held-out
/// choice of a law): a loss L is physical when it is finite, L &gt; 0, L &gt;= <see cref="MinFractionOfLowest"/> x the lowest
/// loss the runs logged and L &lt;= <see cref="MaxFactorOfHighest"/> x the highest (each bound only when that loss is known and positive).
/// </summary>
public static class LossPlausibility
{
    /// <summary>
    /// A predicted loss below this fraction of the lowest logged loss is not physical. Why 0.5: in Chinchilla's fit
    /// (Hoffmann et al. 2022, L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28) going from a 100M model on 2B tokens (L ~ 3.3) to 70B
    /// on 1.4T tokens, a ~5*10^5 x larger compute, lowers the loss only to ~1.94, 0.59 of it: a plan that extrapolates
    /// further than that is not what any of these laws was validated on. It is not tuned to any score.
    /// </summary>
    public const double MinFractionOfLowest = 0.5;

    /// <summary>
    /// A predicted loss above this factor x the highest logged loss is not physical. Why 2: the highest logged loss is at most
    /// the untrained model's (about ln of the vocabulary when the log starts at step 1); a trained model's final loss at twice
    /// that is worse than not training at all, whatever the target's size. It is not tuned to any score.
    /// </summary>
    public const double MaxFactorOfHighest = 2;

    /// <summary>
    /// True when <paramref name="loss"/> is finite, positive, not below <see cref="MinFractionOfLowest"/> x <paramref name="lowestObserved"/>
    /// and not above <see cref="MaxFactorOfHighest"/> x <paramref name="highestObserved"/> (each ignored when NaN or not positive).
    /// </summary>
    public static bool IsPhysical(double loss, double lowestObserved, double highestObserved = double.NaN) =>
        double.IsFinite(loss) && loss > 0 && !(lowestObserved > 0 && loss < MinFractionOfLowest * lowestObserved)
        && !(highestObserved > 0 && loss > MaxFactorOfHighest * highestObserved);

    /// <summary>Consecutive logged losses (per run and split) whose median stands for the lowest loss: see <see cref="Observed"/>.</summary>
    public const int LowestWindow = 21;

    /// <summary>
    /// The lowest and highest finite losses the runs logged (any split), NaN when none. The lowest is the lowest median of
    /// <see cref="LowestWindow"/> consecutive losses of one run and split (all of them when fewer), not the lowest single
    /// loss: single-batch training losses have outliers (a 1.5B modded-nanogpt run logs 1.60 once, where its medians stay
    /// above 2.7), and a floor at half of such an outlier let a plan's 0.92 pass as physical. The highest is the highest single loss.
    /// </summary>
    public static (double Lowest, double Highest) Observed(IEnumerable<Runs.TrainingRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        double lowest = double.NaN, highest = double.NaN;
        foreach (var r in runs)
            foreach (var split in r.Observations.GroupBy(o => o.Split))
            {
                var losses = split.OrderBy(o => o.Step).Select(o => o.Loss).Where(double.IsFinite).ToArray();
                foreach (double l in losses)
                    if (!(l <= highest)) highest = l;
                int w = Math.Min(LowestWindow, losses.Length);
                for (int i = 0; i + w <= losses.Length; i++)
                {
                    double m = Laws.Joint.LrAxisPriorFitter.Median(new ArraySegment<double>(losses, i, w));
                    if (!(m >= lowest)) lowest = m;
                }
            }
        return (lowest, highest);
    }

    /// <summary>
    /// A <see cref="WarningKind.LossNotPhysical"/> warning when the plan's predicted final loss or its interval's lower end is not
    /// physical (<see cref="IsPhysical"/>), else null. Labels: "target". Quantities: predicted, lower (NaN: no interval),
    /// lowestObserved, floor (the fraction x lowestObserved), highestObserved, ceiling (the factor x highestObserved).
    /// </summary>
    public static PlanWarning? Check(PlannedSchedule best, double lowestObserved, double highestObserved = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(best);
        // The interval's lower end only against the floor and zero (an upper end above the ceiling is a wide interval, not a claim).
        bool lowerOk = double.IsNaN(best.Lower) || IsPhysical(best.Lower, lowestObserved);
        if (IsPhysical(best.PredictedLoss, lowestObserved, highestObserved) && lowerOk) return null;
        return Warning("target", best.PredictedLoss, best.Lower, lowestObserved, highestObserved);
    }

    /// <summary>
    /// The fitted irreducible losses of <paramref name="fit"/> (its parameters named "L0") below zero: a cross-entropy cannot go below
    /// zero, so such a fit has no physical floor (e.g. two runs at one peak LR leave it unidentified: OptLaw's L0 = -182.6 on the 124M
    /// modded-nanogpt runs, docs/VALIDATION.md) and its far extrapolation falls without one. Empty when none.
    /// </summary>
    public static IReadOnlyList<double> NegativeFloors(Laws.LawFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return [.. Enumerable.Range(0, Math.Min(fit.Law.ParameterNames.Count, fit.Parameters.Length))
            .Where(i => fit.Law.ParameterNames[i] == "L0" && fit.Parameters[i] < 0).Select(i => fit.Parameters[i])];
    }

    /// <summary>True when every held-out prediction of <paramref name="accuracy"/> is physical (<see cref="IsPhysical"/>).</summary>
    public static bool HeldOutPhysical(LawAccuracy accuracy, double lowestObserved, double highestObserved = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(accuracy);
        return NonPhysical(accuracy.Curves.Select(c => c.Predicted), lowestObserved, highestObserved).Count == 0;
    }

    /// <summary>The first held-out prediction of <paramref name="accuracy"/> that is not physical (NaN when none).</summary>
    public static double FirstNonPhysical(LawAccuracy accuracy, double lowestObserved, double highestObserved = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(accuracy);
        return NonPhysical(accuracy.Curves.Select(c => c.Predicted), lowestObserved, highestObserved).First;
    }

    /// <summary>
    /// The predictions of <paramref name="curves"/> (one array per curve) that are not physical (<see cref="IsPhysical"/>): how many,
    /// the first of them and the index of its curve (NaN and -1 when none). One check for the planner's held-out choice and compare's note.
    /// </summary>
    public static (int Count, double First, int Curve) NonPhysical(IEnumerable<IReadOnlyList<double>> curves, double lowestObserved, double highestObserved = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(curves);
        int count = 0, curve = -1, i = 0;
        double first = double.NaN;
        foreach (var predicted in curves)
        {
            foreach (double p in predicted)
            {
                if (IsPhysical(p, lowestObserved, highestObserved)) continue;
                if (count++ == 0) (first, curve) = (p, i);
            }
            i++;
        }
        return (count, first, curve);
    }

    /// <summary>
    /// The <see cref="WarningKind.LossNotPhysical"/> warning of a plan that withholds its loss (<see cref="Planner.Make"/>): its law's final
    /// loss is not physical, or no law fitted on the runs (bounded or not) was. Labels: "withheld", the law. Quantities: lawLoss (the
    /// law's value, not a loss), L0 (the law's fitted floor; NaN: none), lowestObserved, floor, highestObserved, ceiling.
    /// </summary>
    public static PlanWarning Withheld(string law, double lawLoss, double l0, double lowestObserved, double highestObserved) =>
        new(WarningKind.LossNotPhysical)
        {
            Labels = ["withheld", law],
            Quantities = Planner.Qs(("lawLoss", lawLoss), ("L0", l0), ("lowestObserved", lowestObserved),
                ("floor", Floor(lowestObserved)), ("highestObserved", highestObserved),
                ("ceiling", Ceiling(highestObserved))),
        };

    /// <summary>The lowest physical loss, <see cref="MinFractionOfLowest"/> x <paramref name="lowestObserved"/> (0: unknown or not positive), as the warnings report it.</summary>
    internal static double Floor(double lowestObserved) => lowestObserved > 0 ? MinFractionOfLowest * lowestObserved : 0;

    /// <summary>The highest physical loss, <see cref="MaxFactorOfHighest"/> x <paramref name="highestObserved"/> (+infinity: unknown or not positive), as the warnings report it.</summary>
    internal static double Ceiling(double highestObserved) => highestObserved > 0 ? MaxFactorOfHighest * highestObserved : double.PositiveInfinity;

    internal static PlanWarning Warning(string where, double predicted, double lower, double lowestObserved, double highestObserved) =>
        new(WarningKind.LossNotPhysical)
        {
            Labels = [where],
            Quantities = Planner.Qs(("predicted", predicted), ("lower", lower), ("lowestObserved", lowestObserved),
                ("floor", Floor(lowestObserved)), ("highestObserved", highestObserved),
                ("ceiling", Ceiling(highestObserved))),
        };
}
