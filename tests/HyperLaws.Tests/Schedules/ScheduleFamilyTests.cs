using HyperLaws.Schedules;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Schedules;

/// <summary>Hand-checked values of each family, the text form and the cumulative sum.</summary>
public sealed class ScheduleFamilyTests
{
    [Fact]
    public void LinearWarmup_FollowsTheStepConvention()
    {
        var s = new ConstantSchedule(peak: 1, steps: 6, warmup: 4);
        Assert.Equal([0.25, 0.5, 0.75, 1, 1, 1], s.Evaluate());
    }

    [Fact]
    public void Linear_DecaysFromTheEndOfTheWarmup()
    {
        var s = new LinearSchedule(peak: 1, steps: 6, warmup: 2, floor: 0.2);
        Assert.Equal([0.5, 1, 0.8, 0.6, 0.4, 0.2], s.Evaluate(), (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Cosine_HasTheHalfwayValueAtHalfProgress()
    {
        var s = new CosineSchedule(peak: 1, steps: 12, warmup: 2, floor: 0.5);
        Near(0.75, s.At(7), 1e-15, "p = 1/2");
        Assert.Equal(0.5, s.At(12), 15);
    }

    [Fact]
    public void Wsd_ShapesMatchTheirFormulas()
    {
        double q = 0.5;
        Near(1 - 0.9 * q, new WsdSchedule(1, 10, 0, cooldownSteps: 4, floor: 0.1).At(8), 1e-15, "linear");
        Near(0.1 + 0.9 * (1 - Math.Sqrt(q)), new WsdSchedule(1, 10, 0, cooldownSteps: 4, shape: CooldownShape.Sqrt, floor: 0.1).At(8), 1e-15, "sqrt");
        Near(0.1 + 0.9 * 0.5, new WsdSchedule(1, 10, 0, cooldownSteps: 4, shape: CooldownShape.Cosine, floor: 0.1).At(8), 1e-15, "cosine");
        Near(Math.Sqrt(0.1), new WsdSchedule(1, 10, 0, cooldownSteps: 4, shape: CooldownShape.Exp, floor: 0.1).At(8), 1e-15, "exp");
        Assert.Equal(1, new WsdSchedule(1, 10, 0, cooldownSteps: 4).At(6));
        Assert.Equal(3, new WsdSchedule(1, 10, 0, cooldown: 0.25).CooldownLength); // round(2.5), halves away from zero
    }

    [Fact]
    public void MultiStep_ChangesAtTheMilestoneInclusive()
    {
        var s = LrSchedule.Parse("multistep(peak=1,steps=8,milestones=[3;6],factor=0.5)");
        Assert.Equal([1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25], s.Evaluate());
        var v = LrSchedule.Parse("multistep(peak=1,steps=5,warmup=1,milestones=[2,4],values=[0.3,0.1])");
        Assert.Equal([1, 0.3, 0.3, 0.1, 0.1], v.Evaluate());
    }

    [Fact]
    public void InvSqrt_IsPeakTimesRootOfTimescaleOverStep()
    {
        var s = new InverseSqrtSchedule(peak: 1, steps: 100, warmup: 4);
        Assert.Equal(1, s.At(4));
        Near(Math.Sqrt(4.0 / 16), s.At(16), 1e-15, "t = 16");
        var t = new InverseSqrtSchedule(peak: 1, steps: 100, warmup: 4, timescale: 25);
        Assert.Equal(1, t.At(25));
        Near(0.5, t.At(100), 1e-15, "t = 100");
    }

    [Fact]
    public void FourPhase_HasItsFourPhases()
    {
        var s = LrSchedule.Parse("fourphase(peak=1,steps=100,warmupFraction=0.1,decayEnd=0.3,decayTo=0.5,cooldown=0.2,floor=0.1,decayShape=linear)");
        Assert.Equal("fourphase(peak=1,steps=100,warmup=10,decayEnd=0.3,decayTo=0.5,cooldown=0.2,floor=0.1,decayShape=linear,shape=linear)", s.ToSpec());
        Assert.Equal(0.5, s.At(5));
        Assert.Equal(1, s.At(10));
        Near(0.75, s.At(20), 1e-15, "mid-decay");
        Assert.Equal(0.5, s.At(30));
        Assert.Equal(0.5, s.At(80));
        Near(0.3, s.At(90), 1e-15, "mid-cooldown");
        Near(0.1, s.At(100), 1e-15, "end");
    }

    [Fact]
    public void CosineWarmup_IsOneCycleLr()
    {
        var s = new ConstantSchedule(peak: 1, steps: 10, warmup: 5, warmupShape: WarmupShape.Cosine, warmupInit: 0.01);
        Assert.Equal(0.01, s.At(1), 15);
        Near(0.01 + 0.99 * 0.5, s.At(3), 1e-15, "halfway");
        Assert.Equal(1, s.At(5));
    }

    [Fact]
    public void Offset_DelaysTheFormulaByOneStep()
    {
        var s = new WsdSchedule(peak: 1, steps: 10, warmup: 2, cooldownSteps: 4, warmupInit: 0.1, offset: 1);
        Assert.Equal([0.1, 0.55, 1, 1, 1, 1, 1, 0.75, 0.5, 0.25], s.Evaluate(), (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Continued_ConcatenatesTheHistory_AndCanRewarmFromTheCurrentLr()
    {
        var previous = new LinearSchedule(peak: 1, steps: 4, floor: 0.2);
        var next = new ConstantSchedule(peak: 0.5, steps: 4, warmup: 2);
        var zero = new ContinuedSchedule(previous, next);
        Assert.Equal(8, zero.Steps);
        Assert.Equal([.. previous.Evaluate(), .. next.Evaluate()], zero.Evaluate());
        var current = LrSchedule.Parse("continued(previous=linear(peak=1,steps=4,floor=0.2), next=constant(peak=0.5,steps=4,warmup=2), rewarmFrom=current)");
        double[] lrs = current.Evaluate();
        Assert.Equal(0.2, lrs[3], 15);
        Near(0.35, lrs[4], 1e-15, "first re-warm step");
        Assert.Equal(0.5, lrs[5]);
        Assert.Equal(lrs[4], current.At(5));

        var fromArray = new ContinuedSchedule([0.3, 0.2], new CosineSchedule(0.1, 3));
        Assert.Equal("continued(previous=table(values=[0.3;0.2]),next=cosine(peak=0.1,steps=3,warmup=0,floor=0))", fromArray.ToSpec());
        Assert.Equal(fromArray, LrSchedule.Parse("continued(previous=[0.3, 0.2], next=cosine(peak=0.1, steps=3))"));
    }

    [Fact]
    public void TextForm_IsCaseInsensitiveOnInput_AndCanonicalOnOutput()
    {
        var s = LrSchedule.Parse("  WSD( Floor = 3e-5 , SHAPE = Linear, cooldown=0.2, Steps=24000, warmup=2160, peak=0.0003 ) ");
        Assert.Equal("wsd(peak=0.0003,steps=24000,warmup=2160,cooldown=0.2,shape=linear,floor=3E-05)", s.ToSpec());
        Assert.Equal(new WsdSchedule(3e-4, 24000, 2160, cooldown: 0.2, floor: 3e-5), s);
        Assert.Equal("""{"family":"wsd","peak":0.0003,"steps":24000,"warmup":2160,"cooldown":0.2,"shape":"linear","floor":3E-05}""", s.ToJson());
        Assert.Equal(s.ToSpec(), s.ToString());
    }

    [Fact]
    public void CumulativeSum_IsCompensated()
    {
        double[] lrs = new double[1_000_000];
        Array.Fill(lrs, 0.1);
        double[] s1 = ScheduleMath.CumulativeSum(lrs);
        Assert.Equal(100_000.0, s1[^1], 9);
        Assert.Equal(0.1, s1[0]);
        double[] tiny = [1, .. Enumerable.Repeat(1e-16, 10)];
        Assert.Equal(1 + 1e-15, ScheduleMath.CumulativeSum(tiny)[^1]); // naive summation stays at 1
    }

    [Fact]
    public void LargeSchedules_EvaluateWithoutAllocatingPerStep()
    {
        var s = LrSchedule.Parse("wsd(peak=3e-4,steps=1000000,warmup=10000,cooldown=0.2,shape=sqrt,floor=3e-5)");
        var buffer = new double[s.Steps];
        s.Evaluate(buffer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        s.Evaluate(buffer);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024, "Evaluate(span) allocated");
    }
}
