namespace HyperLaws.Schedules;

/// <summary><c>constant(peak, steps, warmup)</c>: eta_t = peak after the warmup.</summary>
public sealed record ConstantSchedule : WarmupSchedule
{
    public ConstantSchedule(double peak, int steps, int warmup = 0, WarmupShape warmupShape = WarmupShape.Linear, double warmupInit = 0, int offset = 0)
        : base(ScheduleFamily.Constant, peak, steps, warmup, warmupShape, warmupInit, offset) { }

    public override ScheduleFamily Family => ScheduleFamily.Constant;

    private protected override double MainAt(int k) => Peak;

    private protected override void AddFields(List<KeyValuePair<string, SpecValue>> fields) { }
}
