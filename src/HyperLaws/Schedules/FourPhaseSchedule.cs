using static HyperLaws.Schedules.ScheduleChecks;

namespace HyperLaws.Schedules;

/// <summary>
/// <c>fourphase(peak, steps, warmup | warmupFraction, decayEnd, decayTo, cooldown, floor=0, decayShape=cosine, shape=linear)</c>:
/// the Opt-Laws four-phase shape. With a = W, d = round(r_d S) and c = round(r_c S), 0 &lt;= a &lt;= d &lt;= S - c:
/// <list type="number">
/// <item>warmup 0 -&gt; peak over steps 1..a;</item>
/// <item>decay peak -&gt; mid (= decayTo) over a+1..d, progress u = (t - a)/(d - a): cosine mid + (peak - mid)(1 + cos(pi u))/2, or linear peak - (peak - mid) u;</item>
/// <item>plateau at mid over d+1..S-c;</item>
/// <item>cooldown mid -&gt; floor over the last c steps, q = (t - (S - c))/c, shaped as in <see cref="ScheduleMath.Cooldown"/>.</item>
/// </list>
/// In the text form <c>warmupFraction=r_a</c> may replace <c>warmup</c> (W = round(r_a S)); it prints as <c>warmup</c>.
/// </summary>
public sealed record FourPhaseSchedule : WarmupSchedule
{
    /// <param name="decayEnd">r_d: the decay ends at step round(r_d S), in [W/S, 1 - r_c].</param>
    /// <param name="decayTo">mid: the plateau LR, in [floor, peak].</param>
    /// <param name="cooldown">r_c: the cooldown lasts round(r_c S) steps, in [0, 1].</param>
    public FourPhaseSchedule(double peak, int steps, double decayEnd, double decayTo, double cooldown, int warmup = 0, double floor = 0,
        CooldownShape decayShape = CooldownShape.Cosine, CooldownShape shape = CooldownShape.Linear,
        WarmupShape warmupShape = WarmupShape.Linear, double warmupInit = 0, int offset = 0)
        : base(ScheduleFamily.FourPhase, peak, steps, warmup, warmupShape, warmupInit, offset)
    {
        InRange(ScheduleFamily.FourPhase.Name, "cooldown", cooldown, 0, 1, "[0, 1]");
        InRange(ScheduleFamily.FourPhase.Name, "decayEnd", decayEnd, 0, 1, "[0, 1]");
        int d = (int)Math.Round(decayEnd * steps, MidpointRounding.AwayFromZero), c = (int)Math.Round(cooldown * steps, MidpointRounding.AwayFromZero);
        if (d < warmup) throw Fail(ScheduleFamily.FourPhase.Name, "decayEnd", $"must not end the decay before the warmup does: round(decayEnd * steps) = {d} < warmup = {warmup}", Show(decayEnd));
        if (d > steps - c) throw Fail(ScheduleFamily.FourPhase.Name, "decayEnd", $"must leave room for the cooldown: round(decayEnd * steps) = {d} > steps - round(cooldown * steps) = {steps - c}", Show(decayEnd));
        Floor = InRange(ScheduleFamily.FourPhase.Name, "floor", floor, 0, peak, "[0, peak]");
        DecayTo = InRange(ScheduleFamily.FourPhase.Name, "decayTo", decayTo, floor, peak, "[floor, peak]");
        if (decayShape is not (CooldownShape.Cosine or CooldownShape.Linear)) throw Fail(ScheduleFamily.FourPhase.Name, "decayShape", "must be cosine or linear", Name(decayShape));
        if (!Enum.IsDefined(shape)) throw Fail(ScheduleFamily.FourPhase.Name, "shape", "must be linear, sqrt, cosine or exp", shape.ToString());
        if (shape == CooldownShape.Exp && floor <= 0 && c > 0) throw Fail(ScheduleFamily.FourPhase.Name, "floor", "must be > 0 for shape=exp", Show(floor));
        DecayEnd = decayEnd;
        Cooldown = cooldown;
        DecayShape = decayShape;
        Shape = shape;
    }

    /// <summary>r_d, the end of the decay as a fraction of the run.</summary>
    public double DecayEnd { get; }

    /// <summary>mid, the plateau LR.</summary>
    public double DecayTo { get; }

    /// <summary>r_c, the cooldown length as a fraction of the run.</summary>
    public double Cooldown { get; }

    /// <summary>The final LR.</summary>
    public double Floor { get; }

    /// <summary>Shape of the decay (cosine or linear).</summary>
    public CooldownShape DecayShape { get; }

    /// <summary>Shape of the cooldown.</summary>
    public CooldownShape Shape { get; }

    /// <inheritdoc/>
    public override ScheduleFamily Family => ScheduleFamily.FourPhase;

    private protected override double MainAt(int k)
    {
        int d = (int)Math.Round(DecayEnd * Steps, MidpointRounding.AwayFromZero), c = (int)Math.Round(Cooldown * Steps, MidpointRounding.AwayFromZero), a = Warmup;
        if (k <= d)
            return d == a ? Peak : ScheduleMath.Cooldown(DecayShape, Peak, DecayTo, (double)(k - a) / (d - a));
        if (k <= Steps - c) return DecayTo;
        return ScheduleMath.Cooldown(Shape, DecayTo, Floor, (double)(k - (Steps - c)) / c);
    }

    private protected override void AddFields(List<KeyValuePair<string, SpecValue>> fields)
    {
        fields.Add(new("decayEnd", SpecValue.Number(DecayEnd)));
        fields.Add(new("decayTo", SpecValue.Number(DecayTo)));
        fields.Add(new("cooldown", SpecValue.Number(Cooldown)));
        fields.Add(new("floor", SpecValue.Number(Floor)));
        fields.Add(new("decayShape", SpecValue.Word(Name(DecayShape))));
        fields.Add(new("shape", SpecValue.Word(Name(Shape))));
    }
}
