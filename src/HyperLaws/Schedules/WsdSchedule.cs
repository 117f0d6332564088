using System.Globalization;
using System.Runtime.CompilerServices;
using static HyperLaws.Schedules.ScheduleChecks;

namespace HyperLaws.Schedules;

/// <summary>
/// <c>wsd(peak, steps, warmup, cooldown | cooldownSteps, shape=linear, floor=0)</c>, warmup-stable-decay:
/// the peak until step S - C, then a cooldown over the last C steps with q = (t - (S - C))/C in (0, 1]
/// (<see cref="ScheduleMath.Cooldown"/>: linear peak - (peak - floor) q; sqrt floor + (peak - floor)(1 - sqrt q);
/// cosine; exp peak (floor/peak)^q), so eta_S = floor. C = <see cref="CooldownSteps"/>, or
/// round(<see cref="Cooldown"/> S) (halves away from zero; at least 1). The cooldown may not overlap the warmup (C &lt;= S - W).
/// </summary>
public sealed record WsdSchedule : WarmupSchedule
{
    /// <param name="cooldown">C as a fraction of the whole run, in (0, 1]; give this or <paramref name="cooldownSteps"/>.</param>
    /// <param name="cooldownSteps">C in steps, 1..S - W.</param>
    public WsdSchedule(double peak, int steps, int warmup = 0, double? cooldown = null, int? cooldownSteps = null,
        CooldownShape shape = CooldownShape.Linear, double floor = 0,
        WarmupShape warmupShape = WarmupShape.Linear, double warmupInit = 0, int offset = 0)
        : base(ScheduleFamily.Wsd, peak, steps, warmup, warmupShape, warmupInit, offset)
    {
        if (cooldown is null == cooldownSteps is null)
            throw new ArgumentException("wsd: give exactly one of the fields 'cooldown' (a fraction of the run) and 'cooldownSteps'", cooldown is null ? "cooldown" : "cooldownSteps");
        if (cooldown is { } f)
        {
            InRange(ScheduleFamily.Wsd.Name, "cooldown", f, double.Epsilon, 1, "(0, 1]");
            int c = Math.Max(1, (int)Math.Round(f * steps, MidpointRounding.AwayFromZero));
            if (c > steps - warmup) throw Fail(ScheduleFamily.Wsd.Name, "cooldown", $"must leave the warmup intact: round(cooldown * steps) = {c} > steps - warmup = {steps - warmup}", Show(f));
        }
        else
        {
            IntInRange(ScheduleFamily.Wsd.Name, "cooldownSteps", cooldownSteps!.Value, 1, steps - warmup, $"[1, steps - warmup = {steps - warmup}]");
        }
        if (!Enum.IsDefined(shape)) throw Fail(ScheduleFamily.Wsd.Name, "shape", "must be linear, sqrt, cosine or exp", shape.ToString());
        Floor = InRange(ScheduleFamily.Wsd.Name, "floor", floor, 0, peak, "[0, peak]");
        if (shape == CooldownShape.Exp && floor <= 0) throw Fail(ScheduleFamily.Wsd.Name, "floor", "must be > 0 for shape=exp", Show(floor));
        Cooldown = cooldown;
        CooldownSteps = cooldownSteps;
        Shape = shape;
    }

    /// <summary>C as a fraction of the run, or null when <see cref="CooldownSteps"/> is given.</summary>
    public double? Cooldown { get; }

    /// <summary>C in steps, or null when <see cref="Cooldown"/> is given.</summary>
    public int? CooldownSteps { get; }

    /// <summary>The cooldown shape.</summary>
    public CooldownShape Shape { get; }

    /// <summary>The final LR eta_S.</summary>
    public double Floor { get; }

    /// <inheritdoc/>
    public override ScheduleFamily Family => ScheduleFamily.Wsd;

    /// <summary>C, the cooldown length in steps.</summary>
    public int CooldownLength => CooldownSteps ?? Math.Max(1, (int)Math.Round(Cooldown!.Value * Steps, MidpointRounding.AwayFromZero));

    private protected override double MainAt(int k)
    {
        int c = CooldownLength;
        return Main(k, Steps - c, c, Peak, Floor, Shape);
    }

    /// <summary><see cref="MainAt"/> at each step, the cooldown's length and start computed once for all of them (the same values; issue 12).</summary>
    private protected override void FillMain(Span<double> destination, int firstK)
    {
        int c = CooldownLength, start = Steps - c;
        double peak = Peak, floor = Floor;
        var shape = Shape;
        for (int j = 0; j < destination.Length; j++) destination[j] = Main(firstK + j, start, c, peak, floor, shape);
    }

    /// <summary>Step k's LR after the warmup: the peak until <paramref name="start"/> = S - C, then the cooldown at q = (k - start)/C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Main(int k, int start, int c, double peak, double floor, CooldownShape shape) =>
        k <= start ? peak : ScheduleMath.Cooldown(shape, peak, floor, (double)(k - start) / c);

    private protected override void AddFields(List<KeyValuePair<string, SpecValue>> fields)
    {
        if (Cooldown is { } f) fields.Add(new("cooldown", SpecValue.Number(f)));
        else fields.Add(new("cooldownSteps", SpecValue.Number(CooldownSteps!.Value)));
        fields.Add(new("shape", SpecValue.Word(Name(Shape))));
        fields.Add(new("floor", SpecValue.Number(Floor)));
    }
}
