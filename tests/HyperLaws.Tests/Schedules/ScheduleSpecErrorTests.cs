using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Schedules;

/// <summary>Invalid specs throw <see cref="ScheduleSpecException"/> (a FormatException) naming the field and why.</summary>
public sealed class ScheduleSpecErrorTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "wsd(peak=3e-4,steps=24000,cooldown=1.5)", "wsd: field 'cooldown' must be in (0, 1] (got 1.5)" },
        { "cosin(peak=1,steps=10)", "unknown family 'cosin' (known: constant, linear, cosine, wsd, multistep, invsqrt, fourphase, table, continued)" },
        { "cosine(peak=1e-3)", "cosine: missing field 'steps'" },
        { "wsd(peak=1,steps=100,cooldwn=0.2)", "wsd: unknown field 'cooldwn'" },
        { "cosine(peak=1e-3,steps=10", "unbalanced parentheses: 'cosine(' opened at position 7 is never closed" },
        { "cosine(peak=1e-3,steps=10))", "unbalanced parentheses: unexpected ')' at position 27" },
        { "continued(previous=cosine(peak=1,steps=10,next=constant(peak=1,steps=5))", "unbalanced parentheses" },
        { "cosine(peak=-1,steps=10)", "cosine: field 'peak' must be a finite number > 0 (got -1)" },
        { "cosine(peak=abc,steps=10)", "cosine: field 'peak' must be a finite number (got 'abc')" },
        { "cosine(peak=1,steps=10,warmup=20)", "cosine: field 'warmup' must be in [0, steps = 10] (got 20)" },
        { "constant(peak=1,steps=2e9)", "constant: field 'steps' must be an integer in [1, 1000000000] (got 2e9)" },
        { "constant(peak=1,steps=10.5)", "constant: field 'steps' must be an integer" },
        { "cosine(peak=1,steps=10,floor=2)", "cosine: field 'floor' must be in [0, peak] (got 2)" },
        { "wsd(peak=1,steps=100,cooldown=0.2,shape=cubic)", "wsd: field 'shape' must be one of linear, sqrt, 1-sqrt, cosine, exp (got 'cubic')" },
        { "wsd(peak=1,steps=100,cooldown=0.2,shape=exp)", "wsd: field 'floor' must be > 0 for shape=exp (got 0)" },
        { "wsd(peak=1,steps=100,cooldown=0.2,cooldownSteps=10)", "wsd: field 'cooldownSteps' cannot be given together with 'cooldown'" },
        { "wsd(peak=1,steps=100,warmup=90,cooldown=0.2)", "wsd: field 'cooldown' must leave the warmup intact" },
        { "wsd(peak=1,steps=100)", "wsd: missing field 'cooldown'" },
        { "multistep(peak=1,steps=100,milestones=[50;40],values=[0.5;0.1])", "multistep: field 'milestones' must be strictly increasing" },
        { "multistep(peak=1,steps=100,milestones=[50],values=[0.5;0.1])", "multistep: field 'values' must have one value per milestone (1)" },
        { "multistep(peak=1,steps=100,milestones=[50],factor=2)", "multistep: field 'factor' must be in (0, 1] (got 2)" },
        { "multistep(peak=1,steps=100,milestones=[50;x],factor=0.5)", "multistep: field 'milestones' must be a finite number (got 'x')" },
        { "fourphase(peak=1,steps=100,warmup=10,decayEnd=0.9,decayTo=0.5,cooldown=0.2)", "fourphase: field 'decayEnd' must leave room for the cooldown" },
        { "fourphase(peak=1,steps=100,decayEnd=0.5,decayTo=2,cooldown=0.2)", "fourphase: field 'decayTo' must be in [floor, peak] (got 2)" },
        { "invsqrt(peak=1,steps=100,timescale=0)", "invsqrt: field 'timescale' must be in (0, inf) (got 0)" },
        { "cosine(peak=1,peak=2,steps=10)", "cosine: field 'peak' is given twice" },
        { "cosine(peak=1,steps=10,warmupShape=step)", "cosine: field 'warmupShape' must be one of linear, cosine (got 'step')" },
        { "cosine(peak=1,steps=10,offset=10)", "cosine: field 'offset' must be in [0, steps - 1] (got 10)" },
        { "cosine(peak=1,steps=10,warmupInit=3)", "cosine: field 'warmupInit' must be in [0, peak] (got 3)" },
        { "cosine(peak=[1;2],steps=10)", "cosine: field 'peak' must be a single value, not a list" },
        { "continued(previous=cosine(peak=1,steps=10),next=cosin(peak=1,steps=10))", "continued: field 'next': unknown family 'cosin'" },
        { "continued(previous=cosine(peak=1,steps=10),next=cosine(peak=1,steps=10),rewarmFrom=current)", "continued: field 'rewarmFrom' =current needs 'next' to be a family with warmup > 0" },
        { "continued(previous=cosine(peak=1,steps=10))", "continued: missing field 'next'" },
        { "table(values=[])", "table: field 'values' must hold at least one value" },
        { "table(values=[1e-3;-1])", "table: field 'values' must hold finite values >= 0 (entry 2)" },
        { "table(file=/nonexistent/schedule.npy)", "table: field 'file' could not be read" },
        { "cosine peak=1", "expected '(' after family 'cosine'" },
        { "", "empty schedule spec" },
        { "cosine(peak=1,steps=10) extra", "unexpected text after the spec" },
        { "{\"family\":\"cosine\",\"peak\":1}", "cosine: missing field 'steps'" },
        { "{\"peak\":1,\"steps\":10}", "has no \"family\"" },
        { "{\"family\":\"cosine\",\"peak\":1,", "invalid JSON schedule spec" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void InvalidSpec_ThrowsWithAMessageNamingTheProblem(string spec, string expected)
    {
        var e = Assert.Throws<ScheduleSpecException>(() => LrSchedule.Parse(spec));
        Assert.IsAssignableFrom<FormatException>(e);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Constructors_ThrowArgumentExceptions_WithTheSameMessages()
    {
        var e = Assert.Throws<ArgumentException>(() => new CosineSchedule(peak: 1, steps: 10, floor: 2));
        Assert.StartsWith("cosine: field 'floor' must be in [0, peak] (got 2)", e.Message);
        Assert.Equal("floor", e.ParamName);
    }
}
