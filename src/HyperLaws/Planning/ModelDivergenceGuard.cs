using HyperLaws.Divergence;
using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// A <see cref="DivergenceModel"/> (the critical peak LR eta_crit) as a <see cref="IDivergenceGuard"/>: verdicts from the
/// <see cref="DivergenceScreen"/> at the target's size and batch (the screen <c>rank</c> and <c>contour</c> use). Subclasses
/// differ only in how they find the highest safe peak of a shape: <see cref="CriticalLrGuard"/> in closed form,
/// <see cref="ScreenDivergenceGuard"/> by bisection.
/// </summary>
public abstract class ModelDivergenceGuard(DivergenceModel model, string source) : IDivergenceGuard
{
    /// <summary>The fitted divergence model (its critical peak LR eta_crit).</summary>
    public DivergenceModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <inheritdoc/>
    public string Source { get; } = source ?? "";

    /// <summary>The model as a <see cref="DivergenceScreen"/> at the target's model size and batch tokens.</summary>
    public DivergenceScreen Screen(PlanTarget target) => new(Model, target.Parameters, target.BatchTokens);

    /// <inheritdoc/>
    public DivergenceCheck Check(LrSchedule schedule, PlanTarget target)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(target);
        var p = Screen(target).Predict(schedule.Evaluate());   // the schedule's LRs: no history (S1's prefix sums) needed
        return new DivergenceCheck(p.Diverges, p.Probability, p.EtaL, p.Ratio);
    }

    /// <inheritdoc/>
    public abstract double HighestSafePeak(Func<double, LrSchedule?> shape, PlanTarget target, double low, double high);
}
