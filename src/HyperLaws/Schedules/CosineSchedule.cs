using static HyperLaws.Schedules.ScheduleChecks;

namespace HyperLaws.Schedules;

/// <summary>
/// <c>cosine(peak, steps, warmup, floor=0)</c>: eta = floor + (peak - floor)(1 + cos(pi p))/2 after the
/// warmup, p = (t - W)/(S - W), so eta_S = floor.
/// </summary>
public sealed record CosineSchedule : WarmupSchedule
{
    /// <summary>A cosine decay from <paramref name="peak"/> to <paramref name="floor"/> over <paramref name="steps"/> steps; the warmup arguments (warmup W steps, warmupShape, warmupInit, offset) are <see cref="WarmupSchedule"/>'s.</summary>
    /// <exception cref="ArgumentException">A field out of range; the message names the family and the field.</exception>
    public CosineSchedule(double peak, int steps, int warmup = 0, double floor = 0, WarmupShape warmupShape = WarmupShape.Linear, double warmupInit = 0, int offset = 0)
        : base(ScheduleFamily.Cosine, peak, steps, warmup, warmupShape, warmupInit, offset)
    {
        Floor = InRange(ScheduleFamily.Cosine.Name, "floor", floor, 0, peak, "[0, peak]");
    }

    /// <summary>The final LR (eta_S), 0..peak.</summary>
    public double Floor { get; }

    /// <inheritdoc/>
    public override ScheduleFamily Family => ScheduleFamily.Cosine;

    private protected override double MainAt(int k) => Floor + (Peak - Floor) * (1 + Math.Cos(Math.PI * Progress(k))) / 2;

    /// <summary>
    /// <see cref="MainAt"/> for a run of steps with the shape's 1 + cos(pi p) taken from <see cref="CosineTable"/> (the same
    /// doubles, so the same LRs bit for bit): the planner evaluates one shape at many peaks and floors (issue 12), and a cosine
    /// per step was most of the cost of writing a schedule of 10^5+ steps.
    /// </summary>
    private protected override void FillMain(Span<double> destination, int firstK)
    {
        var table = CosineTable.Of(Steps, Warmup);
        int j0 = firstK - Warmup - 1;
        if (j0 < 0 || j0 + destination.Length > table.Length)
        {
            base.FillMain(destination, firstK);
            return;
        }
        double floor = Floor, span = Peak - Floor;
        for (int j = 0; j < destination.Length; j++) destination[j] = floor + span * table[j0 + j] / 2;
    }

    private protected override void AddFields(List<KeyValuePair<string, SpecValue>> fields) =>
        fields.Add(new("floor", SpecValue.Number(Floor)));
}
