using static HyperLaws.Schedules.ScheduleChecks;

namespace HyperLaws.Schedules;

/// <summary>
/// <c>invsqrt(peak, steps, warmup, timescale=W)</c>, the "Noam" inverse square root: after the warmup
/// eta_t = peak sqrt(tau / max(t, tau)), tau = <see cref="Timescale"/> (default max(W, 1)), so the LR is the
/// peak up to step tau and falls as t^(-1/2) after it (continuous at the end of the warmup when tau = W).
/// </summary>
public sealed record InverseSqrtSchedule : WarmupSchedule
{
    /// <summary>An inverse square root schedule from <paramref name="peak"/> with time scale <paramref name="timescale"/> (default max(W, 1)) over <paramref name="steps"/> steps; the warmup arguments (warmup W steps, warmupShape, warmupInit, offset) are <see cref="WarmupSchedule"/>'s.</summary>
    /// <exception cref="ArgumentException">A field out of range; the message names the family and the field.</exception>
    public InverseSqrtSchedule(double peak, int steps, int warmup = 0, double? timescale = null,
        WarmupShape warmupShape = WarmupShape.Linear, double warmupInit = 0, int offset = 0)
        : base(ScheduleFamily.InvSqrt, peak, steps, warmup, warmupShape, warmupInit, offset)
    {
        if (timescale is { } tau) InRange(ScheduleFamily.InvSqrt.Name, "timescale", tau, double.Epsilon, double.MaxValue, "(0, inf)");
        Timescale = timescale;
    }

    /// <summary>tau, or null for the default max(W, 1).</summary>
    public double? Timescale { get; }

    /// <inheritdoc/>
    public override ScheduleFamily Family => ScheduleFamily.InvSqrt;

    private protected override double MainAt(int k)
    {
        double tau = Timescale ?? Math.Max(Warmup, 1);
        return Peak * Math.Sqrt(tau / Math.Max(k, tau));
    }

    private protected override void AddFields(List<KeyValuePair<string, SpecValue>> fields)
    {
        if (Timescale is { } tau) fields.Add(new("timescale", SpecValue.Number(tau)));
    }
}
