using System.Buffers;
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

    /// <summary>
    /// The divergence probability at or above which a schedule counts as diverging (<see cref="DivergenceCheck.Diverges"/>), so that the
    /// planner holds its peak below it: 0.5 (default) is the boundary eta_crit itself (peak &gt; eta_crit); a lower level holds the peak
    /// where P(diverge) = sigmoid(k ln(peak / eta_crit)) reaches it (<see cref="PlanOptions.DivergenceRisk"/>). In (0, 0.5].
    /// </summary>
    public double Risk
    {
        get => _risk;
        init => _risk = value > 0 && value <= 0.5 ? value : throw new ArgumentOutOfRangeException(nameof(Risk), value, "the divergence risk level must be in (0, 0.5].");
    }

    private readonly double _risk = 0.5;

    /// <summary>The model as a <see cref="DivergenceScreen"/> at the target's model size and batch tokens.</summary>
    public DivergenceScreen Screen(PlanTarget target) => new(Model, target.Parameters, target.BatchTokens);

    /// <inheritdoc/>
    public DivergenceCheck Check(LrSchedule schedule, PlanTarget target)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(target);
        // The schedule's LRs (no history: S1's prefix sums not needed) in a pooled buffer (issue 12: one large-object array per
        // check was, with the others, the LOH budget's gen2 collections). Nothing keeps the span: the screen's profile holds its samples.
        var buffer = ArrayPool<double>.Shared.Rent(schedule.Steps);
        DivergencePrediction p;
        try
        {
            var lr = buffer.AsSpan(0, schedule.Steps);
            schedule.Evaluate(lr);
            p = Screen(target).Predict(lr);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
        // At the boundary (0.5) the screen's own verdict, peak > eta_crit; below it, P >= the level.
        return new DivergenceCheck(Risk >= 0.5 ? p.Diverges : p.Probability >= Risk, p.Probability, p.EtaL, p.Ratio);
    }

    /// <inheritdoc/>
    public abstract double HighestSafePeak(Func<double, LrSchedule?> shape, PlanTarget target, double low, double high);
}
