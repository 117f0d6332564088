using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>The comparison's input checks (the full run takes ~30 s, so it is measured by the CLI, not here).</summary>
public sealed class ScheduleOptimizationComparisonTests
{
    [Fact]
    public void Unknown_sizes_and_missing_data_are_named_before_any_fitting()
    {
        var e = Assert.Throws<ArgumentException>(() => ScheduleOptimizationComparison.Run(Path.GetTempPath(), ["50"]));
        Assert.Contains("'50'", e.Message, StringComparison.Ordinal);
        using var empty = new TempDir();
        var missing = Assert.Throws<ValidationDataException>(() => ScheduleOptimizationComparison.Run(empty.Path, ["25"]));
        Assert.Contains("25.npy", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uses_the_mpl_setup()
    {
        var o = ScheduleOptimizationComparison.Options;
        Assert.Equal(24000, o.Steps);
        Assert.Equal(2160, o.Warmup);
        Assert.Equal(3e-4, o.Peak);
        Assert.False(o.AllowIncrease);
    }
}
