using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Schedules;

/// <summary>
/// <see cref="LrSchedule.ToDisplaySpec"/>: the spec people read (exponents lower-case, "floor=6.67e-05") beside the canonical
/// <see cref="LrSchedule.ToSpec"/> that keys and JSON keep ("floor=6.67E-05"); both read back as the same schedule.
/// </summary>
public sealed class DisplaySpecTests
{
    [Theory]
    [InlineData("cosine(peak=6.67e-4,steps=1000,warmup=10,floor=6.67e-5)", "floor=6.67E-05", "floor=6.67e-05")]
    [InlineData("wsd(peak=3e-3,steps=1000,warmup=10,cooldown=0.2,floor=1e-7)", "floor=1E-07", "floor=1e-07")]
    [InlineData("table(values=[1e-5;2.5e-5;3e-3])", "values=[1E-05;2.5E-05;0.003]", "values=[1e-05;2.5e-05;0.003]")]
    [InlineData("continued(previous=constant(peak=2e-5,steps=100),next=cosine(peak=2e-5,steps=50,floor=2e-6))", "floor=2E-06", "floor=2e-06")]
    public void Numbers_read_lower_case_for_people_and_the_canonical_spec_is_unchanged(string spec, string canonical, string display)
    {
        var s = LrSchedule.Parse(spec);
        Assert.Contains(canonical, s.ToSpec(), StringComparison.Ordinal);
        Assert.Contains(display, s.ToDisplaySpec(), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\dE[+-]\d", s.ToDisplaySpec());
        Assert.Equal(s.ToSpec().ToLowerInvariant(), s.ToDisplaySpec().ToLowerInvariant());
        Assert.Equal(s, LrSchedule.Parse(s.ToDisplaySpec()));
    }

    [Theory]
    [InlineData("table(file=\"Dir/LR_E.csv\",warmup=10,scale=2E-05)", "Dir/LR_E.csv", "scale=2e-05")]
    [InlineData("table(file=\"runs/My Run E-05.npy\",scale=1E+03)", "\"runs/My Run E-05.npy\"", "scale=1e+03")]
    public void A_file_name_keeps_its_letter_case_where_the_numbers_are_lower_cased(string spec, string file, string number)
    {
        // The test above compares lower-cased specs, which a display form that lower-cased a file name would pass: the spec text itself
        // (as ToDisplaySpec and the plan's words write it, SpecText) keeps a string field as it is.
        string display = SpecText.Write(SpecText.Parse(spec), display: true);
        Assert.Contains(file, display, StringComparison.Ordinal);
        Assert.Contains(number, display, StringComparison.Ordinal);
        Assert.Equal(display, SpecText.Write(SpecText.Parse(display), display: true));
    }

    [Fact]
    public void A_spec_without_exponents_reads_the_same_both_ways()
    {
        var s = LrSchedule.Parse("wsd(peak=0.0003,steps=24000,warmup=500,cooldown=0.2,floor=0)");
        Assert.Equal(s.ToSpec(), s.ToDisplaySpec());
    }
}
