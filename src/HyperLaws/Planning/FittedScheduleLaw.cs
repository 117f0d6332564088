using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// A fitted schedule-to-loss law of the user's runs as a <see cref="IPlanLaw"/>: the law was fitted in the runs' LR units,
/// so a target schedule is divided by <see cref="Scale"/> (the scaling rule's target LR per unit of the runs' LR) before the
/// law sees it; <see cref="ModelSize"/> is passed to laws across sizes (NaN for a law of one size). The runs' peak LRs
/// [<see cref="RunsLowestPeak"/>, <see cref="RunsHighestPeak"/>] (their units) times the scale are the supported range.
/// </summary>
public sealed class FittedScheduleLaw(LawFit fit, double modelSize, double scale, double runsLowestPeak, double runsHighestPeak) : IExplainablePlanLaw
{
    /// <summary>The law fitted on the user's runs, in the runs' LR units.</summary>
    public LawFit Fit { get; } = fit ?? throw new ArgumentNullException(nameof(fit));

    /// <summary>N (parameters) passed to a law across sizes; NaN for a law of one size.</summary>
    public double ModelSize { get; } = modelSize;

    /// <summary>The scaling rule's target LR per unit of the runs' LR (&gt; 0): a target schedule is divided by it before the law sees it.</summary>
    public double Scale { get; } = scale > 0 && double.IsFinite(scale) ? scale : throw new ArgumentException($"the LR scale must be positive (got {scale}).");

    /// <summary>The runs' lowest peak LR, in their units.</summary>
    public double RunsLowestPeak { get; } = runsLowestPeak;

    /// <summary>The runs' highest peak LR, in their units.</summary>
    public double RunsHighestPeak { get; } = runsHighestPeak;

    /// <summary>
    /// The runs' tokens per step when the plan's steps are counted at the runs' batch by the critical batch (<see cref="BatchSteps.CriticalBatch"/>):
    /// a target at another batch is stretched <see cref="StepFactor"/>-fold in time before the law sees it. Null: a target step is a runs' step.
    /// </summary>
    public double? RunsBatchTokens { get; init; }

    /// <summary>The critical batch B_noise(D) of <see cref="StepFactor"/> (protocol 5's by default).</summary>
    public CriticalBatchLaw CriticalBatch { get; init; } = CriticalBatchLaw.Protocol5;

    /// <summary>
    /// w, the runs' steps one step of <paramref name="target"/> counts (<see cref="StepEquivalence.Factor(double, double, double, CriticalBatchLaw)"/>:
    /// (1 + B_noise / B_r) / (1 + B_noise / B), B the target's batch, B_r <see cref="RunsBatchTokens"/>, B_noise at the target's tokens);
    /// 1 without <see cref="RunsBatchTokens"/> or at the runs' batch.
    /// </summary>
    public double StepFactor(PlanTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return RunsBatchTokens is { } runs && target.BatchTokens > 0 && target.BatchTokens != runs && target.Tokens > 0
            ? StepEquivalence.Factor(target.BatchTokens, runs, target.Tokens, CriticalBatch)
            : 1;
    }

    /// <summary>The fitted law's name.</summary>
    public string Name => Fit.Law.Name;

    /// <summary>The schedule in the runs' LR units: every LR divided by <see cref="Scale"/>.</summary>
    public ScheduleHistory InRunUnits(LrSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return ScheduleHistory.Of(schedule, 1 / Scale);
    }

    /// <summary>
    /// The fitted law's losses after <paramref name="steps"/> for <paramref name="schedule"/> taken to the runs' units (<see cref="InRunUnits"/>):
    /// a law of one size (<see cref="ModelSize"/> NaN) at no size, a law across sizes at the target's N (the plan's target is at
    /// <see cref="ModelSize"/>; a run's own point, <see cref="AnchoredLoss"/>, at the run's).
    /// </summary>
    /// <inheritdoc/>
    /// <remarks>
    /// With <see cref="RunsBatchTokens"/> and a target at another batch, the schedule is counted w = <see cref="StepFactor"/>-fold in the runs'
    /// steps (<see cref="StepEquivalence.Stretch"/>: M = round(w S) steps, step j at the LR of the schedule's step ceil(j S / M)) and each asked step
    /// s read at round(w s).
    /// </remarks>
    public void Predict(LrSchedule schedule, PlanTarget target, ReadOnlySpan<int> steps, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(target);
        double size = double.IsNaN(ModelSize) ? double.NaN : target.Parameters;
        double w = StepFactor(target);
        if (w == 1)
        {
            Fit.Law.Predict(Fit.Parameters, InRunUnits(schedule), size, steps, output);
            return;
        }
        var stretched = StepEquivalence.StretchedHistoryOwning(InRunUnitsArray(schedule), w);   // a fresh array: kept, not copied
        var at = new int[steps.Length];
        for (int i = 0; i < at.Length; i++) at[i] = StepEquivalence.StretchedStep(steps[i], w, stretched.Steps);
        // Below the runs' batch (w < 1) neighbouring steps can land on one: the law is asked at each distinct step once.
        var distinct = at.Distinct().ToArray();
        if (distinct.Length == at.Length)
        {
            Fit.Law.Predict(Fit.Parameters, stretched, size, at, output);
            return;
        }
        var y = new double[distinct.Length];
        Fit.Law.Predict(Fit.Parameters, stretched, size, distinct, y);
        for (int i = 0; i < at.Length; i++) output[i] = y[Array.BinarySearch(distinct, at[i])];
    }

    /// <summary>The runs' peaks times <see cref="Scale"/>, in the target's LR; <see cref="PeakSupport.RunUnitsPerTarget"/> is 1 / <see cref="Scale"/>.</summary>
    /// <inheritdoc/>
    public PeakSupport Support(PlanTarget target) => new(RunsLowestPeak * Scale, RunsHighestPeak * Scale, 1 / Scale);

    /// <summary>The fitted law's term-by-term difference between the two schedules, both taken to the runs' units.</summary>
    /// <inheritdoc/>
    public IReadOnlyList<TermDifference>? Compare(LrSchedule winner, LrSchedule reference, PlanTarget target)
    {
        ArgumentNullException.ThrowIfNull(winner);
        ArgumentNullException.ThrowIfNull(reference);
        return SchedulePreselection.Compare(Fit.Law, Fit.Parameters, Units(winner), Units(reference));
    }

    private LrSchedule Units(LrSchedule s) => new TableSchedule(InRunUnitsArray(s));

    private double[] InRunUnitsArray(LrSchedule s)
    {
        var lr = s.Evaluate();
        for (int i = 0; i < lr.Length; i++) lr[i] /= Scale;
        return lr;
    }
}
