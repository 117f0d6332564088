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
    public LawFit Fit { get; } = fit ?? throw new ArgumentNullException(nameof(fit));

    public double ModelSize { get; } = modelSize;

    public double Scale { get; } = scale > 0 && double.IsFinite(scale) ? scale : throw new ArgumentException($"the LR scale must be positive (got {scale}).");

    public double RunsLowestPeak { get; } = runsLowestPeak;

    public double RunsHighestPeak { get; } = runsHighestPeak;

    public string Name => Fit.Law.Name;

    /// <summary>The schedule in the runs' LR units: every LR divided by <see cref="Scale"/>.</summary>
    public ScheduleHistory InRunUnits(LrSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return ScheduleHistory.Of(schedule, 1 / Scale);
    }

    public void Predict(LrSchedule schedule, PlanTarget target, ReadOnlySpan<int> steps, Span<double> output) =>
        Fit.Law.Predict(Fit.Parameters, InRunUnits(schedule), ModelSize, steps, output);

    public PeakSupport Support(PlanTarget target) => new(RunsLowestPeak * Scale, RunsHighestPeak * Scale, 1 / Scale);

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
