namespace HyperLaws.Schedules;

/// <summary><c>constant(peak, steps, warmup)</c>: eta_t = peak after the warmup.</summary>
public sealed record ConstantSchedule : WarmupSchedule
{
    /// <summary>A constant schedule at <paramref name="peak"/> for <paramref name="steps"/> steps; the warmup arguments (warmup W steps, warmupShape, warmupInit, offset) are <see cref="WarmupSchedule"/>'s.</summary>
    /// <exception cref="ArgumentException">A field out of range; the message names the family and the field.</exception>
    public ConstantSchedule(double peak, int steps, int warmup = 0, WarmupShape warmupShape = WarmupShape.Linear, double warmupInit = 0, int offset = 0)
        : base(ScheduleFamily.Constant, peak, steps, warmup, warmupShape, warmupInit, offset) { }

    /// <inheritdoc/>
    public override ScheduleFamily Family => ScheduleFamily.Constant;

    private protected override double MainAt(int k) => Peak;

    private protected override void AddFields(List<KeyValuePair<string, SpecValue>> fields) { }
}
