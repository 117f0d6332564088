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
    public void Predict(LrSchedule schedule, PlanTarget target, ReadOnlySpan<int> steps, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(target);
        Fit.Law.Predict(Fit.Parameters, InRunUnits(schedule), double.IsNaN(ModelSize) ? double.NaN : target.Parameters, steps, output);
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
