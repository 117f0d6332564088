using CsCheck;
using HyperLaws.Schedules;

namespace HyperLaws.Tests.Schedules;

/// <summary>Random schedules of every family (valid by construction), for the property tests.</summary>
internal static class ScheduleGenerators
{
    private sealed record Common(double Peak, int Steps, int Warmup, WarmupShape Shape, double Init, int Offset);

    private static Gen<T> Of<T>(params T[] xs) => Gen.Int[0, xs.Length - 1].Select(i => xs[i]);

    private static readonly Gen<double> Fraction = Gen.Double[0, 1];

    private static readonly Gen<Common> CommonGen =
        from peak in Property.LogUniform(1e-6, 1)
        from steps in Gen.Int[1, 3000]
        from warmup in Gen.OneOf(Gen.Const(0), Gen.Int[0, steps])
        from shape in Of(WarmupShape.Linear, WarmupShape.Cosine)
        from init in Gen.OneOf(Gen.Const(0.0), Fraction.Select(f => f * peak))
        from offset in Gen.OneOf(Gen.Const(0), Gen.Int[0, Math.Min(2, steps - 1)])
        select new Common(peak, steps, warmup, shape, init, offset);

    public static readonly Gen<LrSchedule> Constant =
        CommonGen.Select(c => (LrSchedule)new ConstantSchedule(c.Peak, c.Steps, c.Warmup, c.Shape, c.Init, c.Offset));

    public static readonly Gen<LrSchedule> Linear =
        from c in CommonGen
        from f in Fraction
        select (LrSchedule)new LinearSchedule(c.Peak, c.Steps, c.Warmup, f * c.Peak, c.Shape, c.Init, c.Offset);

    public static readonly Gen<LrSchedule> Cosine =
        from c in CommonGen
        from f in Fraction
        select (LrSchedule)new CosineSchedule(c.Peak, c.Steps, c.Warmup, f * c.Peak, c.Shape, c.Init, c.Offset);

    public static readonly Gen<LrSchedule> Wsd =
        from c in CommonGen.Where(c => c.Warmup < c.Steps)
        from byFraction in Gen.Bool
        from cooldownSteps in Gen.Int[1, c.Steps - c.Warmup]
        from shape in Of(CooldownShape.Linear, CooldownShape.Sqrt, CooldownShape.Cosine, CooldownShape.Exp)
        from f in Gen.Double[1e-3, 1]
        select (LrSchedule)(byFraction
            ? new WsdSchedule(c.Peak, c.Steps, c.Warmup, cooldown: (double)cooldownSteps / c.Steps, shape: shape, floor: f * c.Peak,
                warmupShape: c.Shape, warmupInit: c.Init, offset: c.Offset)
            : new WsdSchedule(c.Peak, c.Steps, c.Warmup, cooldownSteps: cooldownSteps, shape: shape, floor: f * c.Peak,
                warmupShape: c.Shape, warmupInit: c.Init, offset: c.Offset));

    public static readonly Gen<LrSchedule> MultiStep =
        from c in CommonGen.Where(c => c.Warmup < c.Steps)
        from raw in Gen.Int[c.Warmup + 1, c.Steps].Array[1, 5]
        let milestones = raw.Distinct().Order().ToArray()
        from useFactor in Gen.Bool
        from factor in Gen.Double[0.01, 1]
        from values in Fraction.Array[milestones.Length]
        select (LrSchedule)(useFactor
            ? new MultiStepSchedule(c.Peak, c.Steps, milestones, factor: factor, warmup: c.Warmup, warmupShape: c.Shape, warmupInit: c.Init, offset: c.Offset)
            : new MultiStepSchedule(c.Peak, c.Steps, milestones, values.OrderDescending().Select(v => v * c.Peak).ToArray(),
                warmup: c.Warmup, warmupShape: c.Shape, warmupInit: c.Init, offset: c.Offset));

    public static readonly Gen<LrSchedule> InvSqrt =
        from c in CommonGen
        from hasTau in Gen.Bool
        from tau in Property.LogUniform(0.5, 5000)
        select (LrSchedule)new InverseSqrtSchedule(c.Peak, c.Steps, c.Warmup, hasTau ? tau : null, c.Shape, c.Init, c.Offset);

    public static readonly Gen<LrSchedule> FourPhase =
        from c in CommonGen
        from rc in Gen.Double[0, 1 - (double)c.Warmup / c.Steps]
        from ud in Fraction
        from mid in Gen.Double[1e-3, 1]
        from floorFraction in Gen.Double[1e-3, 1]
        from decayShape in Of(CooldownShape.Cosine, CooldownShape.Linear)
        from shape in Of(CooldownShape.Linear, CooldownShape.Sqrt, CooldownShape.Cosine, CooldownShape.Exp)
        let cSteps = (int)Math.Round(rc * c.Steps)
        let dSteps = c.Warmup + (int)Math.Floor(ud * Math.Max(0, c.Steps - cSteps - c.Warmup))
        where dSteps <= c.Steps - cSteps && dSteps >= c.Warmup
        let floor = floorFraction * mid * c.Peak
        select (LrSchedule)new FourPhaseSchedule(c.Peak, c.Steps, (double)dSteps / c.Steps, mid * c.Peak, (double)cSteps / c.Steps,
            c.Warmup, Math.Min(floor, mid * c.Peak), decayShape, shape, c.Shape, c.Init, c.Offset);

    public static readonly Gen<LrSchedule> Table =
        from values in Gen.Double[0, 1e-3].Array[1, 40]
        from warmup in Gen.OneOf(Gen.Const(0), Gen.Int[0, 20])
        select (LrSchedule)new TableSchedule(values, warmup);

    private static readonly Gen<LrSchedule> Simple = Gen.OneOf(Constant, Linear, Cosine, Wsd, MultiStep, InvSqrt, FourPhase, Table);

    public static readonly Gen<LrSchedule> Continued =
        from previous in Simple
        from next in Simple
        from rewarm in Gen.Bool
        select (LrSchedule)new ContinuedSchedule(previous, next,
            rewarm && next is WarmupSchedule { Warmup: > 0 } ? RewarmFrom.Current : RewarmFrom.Zero);

    public static readonly Gen<LrSchedule> Any = Gen.OneOf(Simple, Continued);

    /// <summary>Generators by family name, so failures name the family.</summary>
    public static readonly (string Family, Gen<LrSchedule> Gen)[] ByFamily =
    [
        ("constant", Constant), ("linear", Linear), ("cosine", Cosine), ("wsd", Wsd), ("multistep", MultiStep),
        ("invsqrt", InvSqrt), ("fourphase", FourPhase), ("table", Table), ("continued", Continued),
    ];
}
