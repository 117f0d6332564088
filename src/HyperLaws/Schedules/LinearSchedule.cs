using static HyperLaws.Schedules.ScheduleChecks;

namespace HyperLaws.Schedules;

/// <summary><c>linear(peak, steps, warmup, floor=0)</c>: eta = peak - (peak - floor) p after the warmup, p = (t - W)/(S - W).</summary>
public sealed record LinearSchedule : WarmupSchedule
{
    /// <summary>A linear decay from <paramref name="peak"/> to <paramref name="floor"/> over <paramref name="steps"/> steps; the warmup arguments (warmup W steps, warmupShape, warmupInit, offset) are <see cref="WarmupSchedule"/>'s.</summary>
    /// <exception cref="ArgumentException">A field out of range; the message names the family and the field.</exception>
    public LinearSchedule(double peak, int steps, int warmup = 0, double floor = 0, WarmupShape warmupShape = WarmupShape.Linear, double warmupInit = 0, int offset = 0)
        : base(ScheduleFamily.Linear, peak, steps, warmup, warmupShape, warmupInit, offset)
    {
        Floor = InRange(ScheduleFamily.Linear.Name, "floor", floor, 0, peak, "[0, peak]");
    }

    /// <summary>The final LR (eta_S), 0..peak.</summary>
    public double Floor { get; }

    /// <inheritdoc/>
    public override ScheduleFamily Family => ScheduleFamily.Linear;

    private protected override double MainAt(int k) => Peak - (Peak - Floor) * Progress(k);

    private protected override void AddFields(List<KeyValuePair<string, SpecValue>> fields) =>
        fields.Add(new("floor", SpecValue.Number(Floor)));
}
