using System.Globalization;
using HyperLaws.Runs;

namespace HyperLaws.Planning;

/// <summary>
/// Whether the runs a law was fitted on support a loss it predicts, for the commands that print a law's loss (<c>predict</c>,
/// <c>rank</c>, <c>contour</c>, <c>rank-continuation</c>, <c>optimize-schedule</c>): a loss that is not supported is withheld (not printed) with a <see cref="WarningKind.LossNotPhysical"/>
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
/// <param name="LongestSteps">The runs' latest covered step (<see cref="Covered"/>: the last logged step, or the run's length when its log
/// reaches its last update; 0: unknown): where their losses end, not their schedules' length (a reader may know a schedule longer than its log).</param>
/// <param name="Floor">The law's fitted floor L0 (NaN: the law has none).</param>
/// <param name="WarmupOnly">True when every run was still in its warmup at its last logged step (<see cref="StillWarmingUp"/>).</param>
public sealed record PredictionSupport(double LowestObserved, double HighestObserved, int LongestSteps, double Floor, bool WarmupOnly)
{
    /// <summary>
    /// The runs' latest logged step (<see cref="LastLogged"/>; 0: unknown or not given). At most <see cref="LongestSteps"/>, one short
    /// of it where a log numbers its last update's loss at the step before (<see cref="Covered"/>); reported (rank's JSON), never a rule.
    /// </summary>
    public int LastLoggedStep { get; init; }

    /// <summary>The label of the warnings this type makes (first label; the second is the reason).</summary>
    public const string Label = "prediction";

    /// <summary>
    /// The relative rise between two logged steps that counts as rising: above a float's noise; a held LR logs the same value at
    /// every step, so its rounding (4-6 significant digits) never makes it rise.
    /// </summary>
    public const double RiseTolerance = 1e-9;

    /// <summary>The support of <paramref name="runs"/> for a law whose fitted floor is <paramref name="floor"/> (NaN: none).</summary>
    public static PredictionSupport Of(IReadOnlyList<TrainingRun> runs, double floor)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var (lowest, highest) = LossPlausibility.Observed(runs);
        bool warmupOnly = runs.Count > 0 && runs.All(StillWarmingUp);
        return new PredictionSupport(lowest, highest, runs.Count == 0 ? 0 : runs.Max(Covered), floor, warmupOnly)
        {
            LastLoggedStep = runs.Count == 0 ? 0 : runs.Max(LastLogged),
        };
    }

    /// <summary>
    /// The last step <paramref name="run"/> covers: its length S when its last logged loss is at step S - 1 or S (a reader that logs the
    /// loss of the batch update k trains on numbers it step k - 1, WandbReader's train_loss at iter k: the run's last update, S, is then
    /// logged at S - 1, and a prediction at the run's own length is not past it), else its last logged step (<see cref="LastLogged"/>;
    /// a log that ends earlier ends there, whatever the schedule's length).
    /// </summary>
    public static int Covered(TrainingRun run)
    {
        int last = LastLogged(run);
        return last > 0 && last >= run.Steps - 1 ? run.Steps : last;
    }

    /// <summary>The last step at which <paramref name="run"/> logged a loss (0: none).</summary>
    public static int LastLogged(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Observations.Count == 0 ? 0 : Math.Min(run.Steps, run.Observations.Max(o => o.Step));
    }

    /// <summary>
    /// True when <paramref name="run"/> was still in its warmup at its last logged step s: its LR at s is its highest so far and more
    /// than (1 + <see cref="RiseTolerance"/>) x its LR at the previous logged step, i.e. it was still rising when its log ends (a run
    /// held at its peak, decaying, or done warming up before its last two logged losses is not, however late its warmup ended).
    /// False with fewer than two logged steps.
    /// </summary>
    public static bool StillWarmingUp(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        int last = LastLogged(run);
        int previous = run.Observations.Select(o => o.Step).Where(x => x < last).DefaultIfEmpty(0).Max();
        if (previous < 1) return false;
        double at = run.LearningRates[last - 1], before = run.LearningRates[previous - 1];
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
    /// A predicted curve with the losses these runs do not support set to NaN (not drawn), as predict withholds them: the last point
    /// (<paramref name="at"/>[^1], the final loss) and every point past the runs' latest logged step that <see cref="Check"/> rejects.
    /// Returns how many points were masked.
    /// </summary>
    public int Mask(IReadOnlyList<int> at, Span<double> y)
    {
        ArgumentNullException.ThrowIfNull(at);
        int masked = 0;
        for (int i = 0; i < y.Length; i++)
            if ((i == y.Length - 1 || at[i] > LongestSteps) && Check(y[i], at[i]) is not null)
                (y[i], masked) = (double.NaN, masked + 1);
        return masked;
    }

    /// <summary>
    /// True when an interval whose lower end is <paramref name="lower"/> may be given: its lower end is a physical loss of these runs
    /// (<see cref="LossPlausibility.IsPhysical"/>: finite, &gt; 0, not below half their lowest logged loss) or unknown
    /// (NaN), as <see cref="LossPlausibility.Check"/> checks a plan's (an upper end above the ceiling is a wide interval, not a claim).
    /// </summary>
    public bool LowerEndSupported(double lower) => double.IsNaN(lower) || LossPlausibility.IsPhysical(lower, LowestObserved);

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
