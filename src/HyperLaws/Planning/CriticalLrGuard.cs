using HyperLaws.Divergence;
using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// The version-2 divergence model (<see cref="DivergenceModel"/>: the critical peak LR eta_crit(N, batch, D, warmup) of
/// <see cref="CriticalLrRule"/>, on the same peak-LR axis as the loss law) as the planner's guard. Verdicts are the
/// <see cref="DivergenceScreen"/>'s (the screen <c>rank</c> and <c>contour</c> use): a schedule diverges when its peak exceeds
/// eta_crit at the target's N and batch, D = steps x batch, with the schedule's warmup (or, with <see cref="ModelDivergenceGuard.Risk"/>
/// below 0.5, when its P(diverge) reaches that level). The highest safe peak of a shape is therefore closed form: eta_crit does not
/// depend on the peak, so it is min(high, eta_q) with eta_q = eta_crit exp(logit(q) / k) the peak at P = q
/// (<see cref="CriticalLrRule.PeakAtProbability"/>; eta_crit itself at q = 0.5) (NaN when eta_q &lt; low), taken a hair lower when the
/// shape rounds the peak up past it. No bisection.
/// </summary>
public sealed class CriticalLrGuard(DivergenceModel model, string source) : ModelDivergenceGuard(model, source)
{

    /// <summary>eta_crit for <paramref name="schedule"/> at <paramref name="target"/>: its steps and warmup (0 for a schedule without one).</summary>
    public double CriticalPeak(LrSchedule schedule, PlanTarget target)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(target);
        // The warmup as DivergenceExample.FromSchedule reads it (steps before the peak is first reached), so that the closed
        // form and the screen's verdicts agree.
        var lr = schedule.Evaluate();
        var example = DivergenceExample.FromSchedule("shape", "shape", target.Parameters, target.BatchTokens, lr, false);
        return Model.CriticalPeakLr(target.Parameters, target.BatchTokens, lr.Length * target.BatchTokens, example.WarmupSteps);
    }

    /// <summary>
    /// The peak at which <paramref name="schedule"/>'s shape reaches P(diverge) = <see cref="ModelDivergenceGuard.Risk"/>: eta_crit at 0.5,
    /// else eta_crit exp(logit(Risk) / k) (<see cref="CriticalLrRule.PeakAtProbability"/>).
    /// </summary>
    public double LimitPeak(LrSchedule schedule, PlanTarget target)
    {
        double eta = CriticalPeak(schedule, target);
        return Risk >= 0.5 ? eta : eta * Math.Exp(Math.Log(Risk / (1 - Risk)) / Model.Rule.Slope);
    }

    /// <inheritdoc/>
    public override double HighestSafePeak(Func<double, LrSchedule?> shape, PlanTarget target, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(shape);
        bool Diverges(double peak) => shape(peak) is { } s && Check(s, target).Diverges;
        if (!Diverges(high)) return high;
        var probe = shape(high)!;
        double eta = LimitPeak(probe, target);
        if (eta < low || Diverges(low)) return double.NaN;
        // The shape may round the peak (3 significant digits): step down until the built schedule trains.
        double peak = Math.Min(high, eta);
        for (int i = 0; i < 8 && Diverges(peak); i++) peak *= 0.999;
        return Math.Max(low, peak);
    }
}
