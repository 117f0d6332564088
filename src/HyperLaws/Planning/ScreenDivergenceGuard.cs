using HyperLaws.Divergence;
using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// A <see cref="DivergenceModel"/> (the critical peak LR eta_crit) as a <see cref="IDivergenceGuard"/> for any screen-like
/// verdict: verdicts from <see cref="DivergenceScreen"/> at the target's size and batch; the highest
/// safe peak by bisection in log peak (the screen is taken to be monotone in the peak: a higher peak of the same shape
/// has every LR higher), to <see cref="Resolution"/>. The planner's default is <see cref="CriticalLrGuard"/>, the same verdicts
/// with the highest safe peak in closed form; this bisection is its reference in the tests.
/// </summary>
public sealed class ScreenDivergenceGuard(DivergenceModel model, string source) : ModelDivergenceGuard(model, source)
{
    /// <summary>The bisection stops when the bracket is narrower than this factor.</summary>
    public const double Resolution = 1.02;

    /// <inheritdoc/>
    public override double HighestSafePeak(Func<double, LrSchedule?> shape, PlanTarget target, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(shape);
        bool Diverges(double peak) => shape(peak) is { } s && Check(s, target).Diverges;
        if (!Diverges(high)) return high;
        if (Diverges(low)) return double.NaN;
        double a = low, b = high;
        while (b / a > Resolution)
        {
            double m = Math.Sqrt(a * b);
            if (Diverges(m)) b = m;
            else a = m;
        }
        return a;
    }
}
