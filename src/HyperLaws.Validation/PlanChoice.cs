using System.Globalization;
using HyperLaws.Divergence;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using static System.FormattableString;

namespace HyperLaws.Validation;

/// <summary>What a plan chose, read off its schedule: family, absolute peak, warmup steps, WSD cooldown fraction and the final LR as a fraction of the peak.</summary>
public sealed record PlanChoice(string Family, double Peak, int Warmup, double? Cooldown, double Floor)
{
    /// <summary>The choice of one of the planner's schedules (constant, cosine, linear or wsd).</summary>
    /// <exception cref="ArgumentException">Not a schedule the planner makes.</exception>
    public static PlanChoice Of(LrSchedule schedule) => schedule switch
    {
        ConstantSchedule c => new("constant", c.Peak, c.Warmup, null, 1),
        CosineSchedule c => new("cosine", c.Peak, c.Warmup, null, c.Floor / c.Peak),
        LinearSchedule c => new("linear", c.Peak, c.Warmup, null, c.Floor / c.Peak),
        WsdSchedule c when c.Cooldown is { } f => new("wsd", c.Peak, c.Warmup, f, c.Floor / c.Peak),
        _ => throw new ArgumentException($"not a schedule the planner makes: {schedule.ToSpec()}"),
    };

    /// <summary>A one-line description, e.g. <c>wsd 0.001, cooldown 0.2, floor 0.1, warmup 500</c>.</summary>
    public override string ToString() => Family switch
    {
        "constant" => Invariant($"constant {Peak:G3}, warmup {Warmup}"),
        "wsd" => Invariant($"wsd {Peak:G3}, cooldown {Cooldown:0.##}, floor {Floor:0.##}, warmup {Warmup}"),
        _ => Invariant($"{Family} {Peak:G3}, floor {Floor:0.##}, warmup {Warmup}"),
    };
}
