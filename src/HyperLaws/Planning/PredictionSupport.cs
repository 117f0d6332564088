using System.Globalization;
using HyperLaws.Runs;

namespace HyperLaws.Planning;

/// <summary>
/// Whether the runs a law was fitted on support a loss it predicts, for the commands that print a law's loss (<c>predict</c>,
/// <c>rank</c>, <c>contour</c>): a loss that is not supported is withheld (not printed) with a <see cref="WarningKind.LossNotPhysical"/>
/// warning labelled "prediction" and the reason, as <see cref="Planner"/> withholds a plan's (<see cref="LossPlausibility.Withheld"/>).
/// Three reasons, each a rule stated without reference to any source:
/// <list type="bullet">
/// <item>"value": the loss is not physical (<see cref="LossPlausibility.IsPhysical"/>: not finite, &lt;= 0, below half the runs' lowest
/// logged loss or above twice their highest), at any step checked.</item>
/// <item>"floor": past the runs' longest run, a law whose fitted irreducible loss L0 is below zero (<see cref="LossPlausibility.NegativeFloors"/>):
/// a cross-entropy has no negative floor, so such a fit (runs that do not identify L0: one run at one peak LR, ten updates of a 13B
/// model; L0 = -87 on llm.c's first 995 steps) falls without bound beyond its runs, and how far it falls there is the fit's accident,
/// not a measurement (llm.c's 124M: the law says 2.44 at 20,000 steps, the real run ends near 3.0 train / 3.3 validation, 1.62 at
/// twice the peak). Within the runs' steps it was fitted to them and stays.</item>
/// <item>"warmup": past the runs' longest run, when every run was still in its warmup at its last logged step (<see cref="StillWarmingUp"/>):
/// the loss such a fit saw falls as much because the LR rises as because training goes on, and no run shows the loss at a held LR,
/// which every law here takes as what it extrapolates (their fits and validations are on runs past their warmup; a law is not meant
/// to describe a warmup's first steps, docs/VALIDATION.md).</item>
/// </list>
/// No constant here is tuned to any score; the bounds are <see cref="LossPlausibility"/>'s.
/// </summary>
/// <param name="LowestObserved">The runs' lowest logged loss (<see cref="LossPlausibility.Observed"/>; NaN: unknown).</param>
/// <param name="HighestObserved">The runs' highest logged loss (NaN: unknown).</param>
/// <param name="LongestSteps">The longest run's steps (0: unknown).</param>
/// <param name="Floor">The law's fitted floor L0 (NaN: the law has none).</param>
/// <param name="WarmupOnly">True when every run was still in its warmup at its last logged step (<see cref="StillWarmingUp"/>).</param>
public sealed record PredictionSupport(double LowestObserved, double HighestObserved, int LongestSteps, double Floor, bool WarmupOnly)
{
    /// <summary>The label of the warnings this type makes (first label; the second is the reason).</summary>
    public const string Label = "prediction";

    /// <summary>A run is still in its warmup when its LR at its last logged step exceeds its LR at this fraction of that step by more than <see cref="RiseTolerance"/>.</summary>
    public const double WarmupLookBack = 0.9;

    /// <summary>The relative rise that counts as rising (a logged LR's rounding, 4-6 significant digits, stays far below it).</summary>
    public const double RiseTolerance = 0.01;

    /// <summary>The support of <paramref name="runs"/> for a law whose fitted floor is <paramref name="floor"/> (NaN: none).</summary>
    public static PredictionSupport Of(IReadOnlyList<TrainingRun> runs, double floor)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var (lowest, highest) = LossPlausibility.Observed(runs);
        bool warmupOnly = runs.Count > 0 && runs.All(StillWarmingUp);
        return new PredictionSupport(lowest, highest, runs.Count == 0 ? 0 : runs.Max(r => r.Steps), floor, warmupOnly);
    }

    /// <summary>
    /// True when <paramref name="run"/> was still in its warmup at its last logged step s: its LR at s is its highest so far and more
    /// than (1 + <see cref="RiseTolerance"/>) x its LR at step round(<see cref="WarmupLookBack"/> s), i.e. it was still rising over the
    /// last tenth of the run (a run held at its peak, decaying, or rising only in its first 90% is not). False without a logged loss.
    /// </summary>
    public static bool StillWarmingUp(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Observations.Count == 0) return false;
        int last = Math.Min(run.Steps, run.Observations.Max(o => o.Step));
        if (last < 2) return false;
        int earlier = Math.Max(1, (int)Math.Round(WarmupLookBack * last));
        double at = run.LearningRates[last - 1], before = run.LearningRates[earlier - 1];
        double highest = 0;
        for (int i = 0; i < last; i++) highest = Math.Max(highest, run.LearningRates[i]);
        return at >= highest && at > (1 + RiseTolerance) * before;
    }

    /// <summary>
    /// Null when the law's <paramref name="loss"/> at <paramref name="step"/> is supported; else why not: a
    /// <see cref="WarningKind.LossNotPhysical"/> warning labelled (<see cref="Label"/>, "value" | "floor" | "warmup"), quantities
    /// predicted, step, longest, L0, lowestObserved, floor, highestObserved, ceiling. "floor" and "warmup" apply only past the longest run.
    /// </summary>
    public PlanWarning? Check(double loss, double step)
    {
        string? reason = !LossPlausibility.IsPhysical(loss, LowestObserved, HighestObserved) ? "value"
            : LongestSteps > 0 && step > LongestSteps && Floor < 0 ? "floor"
            : LongestSteps > 0 && step > LongestSteps && WarmupOnly ? "warmup"
            : null;
        return reason is null ? null : new PlanWarning(WarningKind.LossNotPhysical)
        {
            Labels = [Label, reason],
            Quantities = Planner.Qs(("predicted", loss), ("step", step), ("longest", LongestSteps), ("L0", Floor),
                ("lowestObserved", LowestObserved), ("floor", LossPlausibility.Floor(LowestObserved)),
                ("highestObserved", HighestObserved), ("ceiling", LossPlausibility.Ceiling(HighestObserved))),
        };
    }

    /// <summary>
    /// The sentence of a warning from <see cref="Check"/>, for <paramref name="count"/> predictions withheld for its reason (the law's
    /// value of the first is in the warning, quoted as "the law's value", not as a loss).
    /// </summary>
    public static string Text(PlanWarning w, int count, string what)
    {
        ArgumentNullException.ThrowIfNull(w);
        static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        static string S(double steps) => steps.ToString("0", CultureInfo.InvariantCulture);
        string head = string.Create(CultureInfo.InvariantCulture, $"NO LOSS GIVEN for {count} {what}: ");
        string why = (w.Labels.Count > 1 ? w.Labels[1] : "") switch
        {
            "floor" => string.Create(CultureInfo.InvariantCulture,
                $"the law's fitted floor L0 = {G(w.Q("L0"))} is below zero (a cross-entropy has none), so past its runs' {S(w.Q("longest"))} steps it falls without bound (the law's value at step {S(w.Q("step"))}: {G(w.Q("predicted"))}); runs that identify the floor (longer runs, or runs at several peak LRs) would"),
            "warmup" => string.Create(CultureInfo.InvariantCulture,
                $"every run the law was fitted on was still in its warmup at its last logged step (its LR still rising), so past their {S(w.Q("longest"))} steps the law extrapolates from a loss that fell as the LR rose, never from one at a held LR (the law's value at step {S(w.Q("step"))}: {G(w.Q("predicted"))}); runs past their warmup would"),
            _ => string.Create(CultureInfo.InvariantCulture,
                $"the law's value {G(w.Q("predicted"))} (step {S(w.Q("step"))}) is not a plausible cross-entropy of these runs: they logged losses from {G(w.Q("lowestObserved"))} to {G(w.Q("highestObserved"))}, so a loss below {G(w.Q("floor"))} or above {G(w.Q("ceiling"))} is beyond anything the laws were validated on (the law extrapolates beyond its runs)"),
        };
        return head + why;
    }
}
