using HyperLaws.Planning;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>How many evaluations of a plan's law run side by side (<see cref="Planner.SideBySide"/>): fewer as the horizon takes more memory, never none.</summary>
public sealed class PlanLawSideBySideTests
{
    [Fact]
    public void Evaluations_side_by_side_fall_to_one_as_the_horizon_nears_the_limit_and_never_exceed_the_cores()
    {
        Assert.Equal(Environment.ProcessorCount, Planner.SideBySide(1000));
        Assert.Equal(1, Planner.SideBySide(Planner.MaxLawSteps));
        Assert.Equal(1, Planner.SideBySide(0.9 * Planner.MaxLawSteps));
        Assert.InRange(Planner.SideBySide(Planner.MaxLawSteps / 2), 1, Math.Min(2, Environment.ProcessorCount));
    }

    [Fact]
    public void The_limit_is_the_memory_fraction_of_the_gc_s_available_memory_over_the_bytes_per_step()
    {
        double expected = Planner.LawMemoryFraction * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / Planner.BytesPerLawStep;
        Assert.Equal(expected, Planner.MaxLawSteps, 6);
        Assert.True(Planner.MaxLawSteps > 685_031, "the shipped 400M / 590B plan's horizon must fit");
    }
}
