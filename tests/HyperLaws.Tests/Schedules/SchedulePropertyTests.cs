using HyperLaws.Schedules;
using Xunit;
using Xunit.Sdk;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Schedules;

/// <summary>Properties over random schedules of every family (deterministic CsCheck stream).</summary>
public sealed class SchedulePropertyTests
{
    public static TheoryData<string> Families => [.. ScheduleGenerators.ByFamily.Select(f => f.Family)];

    private static CsCheck.Gen<LrSchedule> Gen(string family) => ScheduleGenerators.ByFamily.Single(f => f.Family == family).Gen;

    [Theory]
    [MemberData(nameof(Families))]
    public void TextSpec_RoundTripsExactly(string family) =>
        ForAll(Gen(family), s =>
        {
            string spec = s.ToSpec();
            var back = LrSchedule.Parse(spec);
            Assert.Equal(s, back);
            Assert.Equal(s.GetHashCode(), back.GetHashCode());
            Assert.Equal(spec, back.ToSpec());
            Assert.True(s.Evaluate().AsSpan().SequenceEqual(back.Evaluate()), "Evaluate() differs after the round trip");
        }, iterations: 150);

    [Theory]
    [MemberData(nameof(Families))]
    public void JsonSpec_RoundTripsExactly(string family) =>
        ForAll(Gen(family), s =>
        {
            string json = s.ToJson();
            var back = LrSchedule.FromJson(json);
            Assert.Equal(s, back);
            Assert.Equal(s, LrSchedule.Parse(json));
            Assert.Equal(json, back.ToJson());
            Assert.True(s.Evaluate().AsSpan().SequenceEqual(back.Evaluate()), "Evaluate() differs after the round trip");
        }, iterations: 150);

    [Theory]
    [MemberData(nameof(Families))]
    public void At_EqualsEvaluate_AndSpanEqualsArray(string family) =>
        ForAll(Gen(family), s =>
        {
            double[] all = s.Evaluate();
            Assert.Equal(s.Steps, all.Length);
            for (int t = 1; t <= s.Steps; t++)
                if (s.At(t) != all[t - 1]) throw new XunitException($"At({t}) = {s.At(t):R} but Evaluate()[{t - 1}] = {all[t - 1]:R}");
            var span = new double[s.Steps + 2].AsSpan(1, s.Steps);
            s.Evaluate(span);
            Assert.True(span.SequenceEqual(all));
            Assert.Throws<ArgumentOutOfRangeException>(() => s.At(0));
            Assert.Throws<ArgumentOutOfRangeException>(() => s.At(s.Steps + 1));
            Assert.Throws<ArgumentException>(() => s.Evaluate(new double[s.Steps + 1]));
        }, iterations: 100);

    [Theory]
    [MemberData(nameof(Families))]
    public void Values_AreFiniteAndWithinZeroAndPeak(string family) =>
        ForAll(Gen(family), s =>
        {
            double max = MaxLr(s);
            foreach (double v in s.Evaluate())
                if (!(v >= 0 && v <= max * (1 + 1e-14))) throw new XunitException($"value {v:R} outside [0, {max:R}]");
        });

    [Theory]
    [MemberData(nameof(Families))]
    public void Warmup_EndsAtPeak(string family) =>
        ForAll(Gen(family), s =>
        {
            if (s is WarmupSchedule { Warmup: > 0 } w && w.Warmup + w.Offset <= w.Steps)
                Near(w.Peak, w.At(w.Warmup + w.Offset), 1e-15, "eta at the end of the warmup");
            if (s is TableSchedule { Warmup: > 0 } tab)
                Assert.Equal(tab.Values[0], tab.At(tab.Warmup));
            if (s is WarmupSchedule { Warmup: > 0, WarmupInit: 0, Offset: 0, WarmupShape: WarmupShape.Linear } lin)
                Assert.Equal(lin.Peak / lin.Warmup, lin.At(1));
        });

    [Theory]
    [InlineData("linear")]
    [InlineData("cosine")]
    [InlineData("wsd")]
    [InlineData("multistep")]
    [InlineData("invsqrt")]
    [InlineData("fourphase")]
    [InlineData("constant")]
    public void DecayingFamilies_AreNonIncreasingAfterTheWarmup(string family) =>
        ForAll(Gen(family), s =>
        {
            var w = (WarmupSchedule)s;
            double[] all = s.Evaluate();
            for (int t = w.Warmup + w.Offset + 1; t < s.Steps; t++)
                if (all[t] > all[t - 1] * (1 + 1e-14))
                    throw new XunitException($"eta rises from step {t} ({all[t - 1]:R}) to step {t + 1} ({all[t]:R})");
        });

    [Theory]
    [InlineData("linear")]
    [InlineData("cosine")]
    [InlineData("wsd")]
    public void DecayingFamilies_EndAtTheirFloor(string family) =>
        ForAll(Gen(family), s =>
        {
            var w = (WarmupSchedule)s;
            if (w.Offset != 0 || w.Warmup == w.Steps) return;
            double floor = s switch { LinearSchedule l => l.Floor, CosineSchedule c => c.Floor, WsdSchedule d => d.Floor, _ => double.NaN };
            Assert.True(Math.Abs(s.At(s.Steps) - floor) <= 1e-15 * w.Peak, $"eta_S = {s.At(s.Steps):R}, floor {floor:R}");
        });

    private static double MaxLr(LrSchedule s) => s switch
    {
        WarmupSchedule w => w.Peak,
        TableSchedule t => t.Values.Max(),
        ContinuedSchedule c => Math.Max(MaxLr(c.Previous), MaxLr(c.Next)),
        _ => throw new XunitException($"unexpected schedule {s}"),
    };
}
