using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Readers.Tests;

public class ScheduleSpecsTests
{
    public static TheoryData<string> MplSpecs() =>
    [
        MplCsvReader.ScheduleFor("constant_24000").Spec,
        MplCsvReader.ScheduleFor("cosine_72000").Spec,
        MplCsvReader.ScheduleFor("wsd_20000_24000").Spec,
        MplCsvReader.ScheduleFor("wsdld_20000_24000").Spec,
        MplCsvReader.ScheduleFor("wsdcon_3").Spec,
        "linear(peak=0.001,warmup=10,steps=100,floor=0.0001)",
    ];

    /// <summary>The readers' fallback evaluator and the core's LrSchedule agree on every spec the readers write.</summary>
    [Theory]
    [MemberData(nameof(MplSpecs))]
    public void FallbackAgreesWithTheCoreSchedules(string spec)
    {
        var mine = ScheduleSpecs.Evaluate(spec);
        var core = LrSchedule.Parse(spec).Evaluate();
        Assert.Equal(mine.Length, core.Length);
        for (int i = 0; i < mine.Length; i++)
            Assert.True(Math.Abs(mine[i] - core[i]) <= 1e-12 * Math.Max(1e-30, Math.Abs(mine[i])), $"{spec} step {i + 1}: {mine[i]} vs {core[i]}");
    }
}
