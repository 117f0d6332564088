namespace HyperLaws.Planning;

/// <summary>
/// Whether a predicted loss can be a cross-entropy of the runs' task: a cross-entropy is never negative, and a loss that is
/// finite and positive but far below the lowest loss the runs logged is not an extrapolation the laws were validated on.
/// Rule (used by <see cref="Planner"/> on the plan's final loss and its interval, and in the held-out choice of a law):
/// a loss L is physical when it is finite, L &gt; 0 and L &gt;= <see cref="MinFractionOfLowest"/> x the lowest loss the runs
/// logged (the last bound only when that lowest loss is known and positive).
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

    /// <summary>True when <paramref name="loss"/> is finite, positive and not below <see cref="MinFractionOfLowest"/> x <paramref name="lowestObserved"/> (ignored when NaN or not positive).</summary>
    public static bool IsPhysical(double loss, double lowestObserved) =>
        double.IsFinite(loss) && loss > 0 && !(lowestObserved > 0 && loss < MinFractionOfLowest * lowestObserved);

    /// <summary>The lowest finite loss the runs logged (any split), NaN when none.</summary>
    public static double LowestObserved(IEnumerable<Runs.TrainingRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        double lowest = double.NaN;
        foreach (var r in runs)
            foreach (var o in r.Observations)
                if (double.IsFinite(o.Loss) && !(o.Loss >= lowest)) lowest = o.Loss;
        return lowest;
    }

    /// <summary>
    /// A <see cref="WarningKind.LossNotPhysical"/> warning when the plan's predicted final loss or its interval's lower end is not
    /// physical (<see cref="IsPhysical"/>), else null. Labels: "target". Quantities: predicted, lower (NaN: no interval),
    /// lowestObserved, floor (the fraction x lowestObserved).
    /// </summary>
    public static PlanWarning? Check(PlannedSchedule best, double lowestObserved)
    {
        ArgumentNullException.ThrowIfNull(best);
        bool lowerOk = double.IsNaN(best.Lower) || IsPhysical(best.Lower, lowestObserved);
        if (IsPhysical(best.PredictedLoss, lowestObserved) && lowerOk) return null;
        return Warning("target", best.PredictedLoss, best.Lower, lowestObserved);
    }

    /// <summary>True when every held-out prediction of <paramref name="accuracy"/> is physical (<see cref="IsPhysical"/>).</summary>
    public static bool HeldOutPhysical(LawAccuracy accuracy, double lowestObserved)
    {
        ArgumentNullException.ThrowIfNull(accuracy);
        return accuracy.Curves.All(c => c.Predicted.All(p => IsPhysical(p, lowestObserved)));
    }

    /// <summary>The lowest held-out prediction of <paramref name="accuracy"/> (NaN when one is NaN or none).</summary>
    public static double LowestPrediction(LawAccuracy accuracy)
    {
        ArgumentNullException.ThrowIfNull(accuracy);
        var all = accuracy.Curves.SelectMany(c => c.Predicted).ToList();
        return all.Count == 0 || all.Any(double.IsNaN) ? double.NaN : all.Min();
    }

    internal static PlanWarning Warning(string where, double predicted, double lower, double lowestObserved) =>
        new(WarningKind.LossNotPhysical)
        {
            Labels = [where],
            Quantities = Planner.Qs(("predicted", predicted), ("lower", lower), ("lowestObserved", lowestObserved),
                ("floor", lowestObserved > 0 ? MinFractionOfLowest * lowestObserved : 0)),
        };
}
