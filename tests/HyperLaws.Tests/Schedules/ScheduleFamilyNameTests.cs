using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Schedules;

/// <summary><see cref="ScheduleFamily"/>: canonical names, parsing, and agreement with the spec text each schedule writes.</summary>
public sealed class ScheduleFamilyNameTests
{
    [Fact]
    public void Names_AreTheSpecNames_InTheOrderErrorsListThem()
    {
        Assert.Equal(["constant", "linear", "cosine", "wsd", "multistep", "invsqrt", "fourphase", "table", "continued"],
            ScheduleFamily.All.Select(f => f.Name));
        Assert.All(ScheduleFamily.All, f => Assert.Equal(f.Name, f.ToString()));
    }

    [Fact]
    public void TryParse_ReturnsTheOneInstance_AndRefusesOtherSpellings()
    {
        foreach (var f in ScheduleFamily.All)
        {
            Assert.True(ScheduleFamily.TryParse(f.Name, out var parsed));
            Assert.Same(f, parsed);
        }
        foreach (string? bad in new[] { null, "", "WSD", " wsd", "cosine-10%", "step" })
            Assert.False(ScheduleFamily.TryParse(bad, out _), bad);
    }

    [Theory]
    [InlineData("constant(peak=1,steps=10)")]
    [InlineData("linear(peak=1,steps=10,floor=0.1)")]
    [InlineData("cosine(peak=1,steps=10,warmup=2)")]
    [InlineData("wsd(peak=1,steps=10,cooldown=0.2)")]
    [InlineData("multistep(peak=1,steps=8,milestones=[3;6],factor=0.5)")]
    [InlineData("invsqrt(peak=1,steps=10,warmup=2)")]
    [InlineData("fourphase(peak=1,steps=100,warmupFraction=0.1,decayEnd=0.3,decayTo=0.5,cooldown=0.2,floor=0.1)")]
    [InlineData("table(values=[0.3;0.2])")]
    [InlineData("continued(previous=[0.3, 0.2], next=cosine(peak=0.1, steps=3))")]
    public void EverySchedule_ReportsTheFamilyItsSpecStartsWith(string spec)
    {
        var s = LrSchedule.Parse(spec);
        string head = s.ToSpec().Split('(')[0];
        Assert.Equal(head, s.Family.Name);
        Assert.Same(s.Family, ScheduleFamily.All.Single(f => f.Name == head));
    }
}
