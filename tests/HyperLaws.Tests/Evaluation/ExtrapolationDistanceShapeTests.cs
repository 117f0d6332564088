using HyperLaws.Evaluation;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>
/// The shape distance of <see cref="ExtrapolationDistance.Of(FitTarget, IReadOnlyList{FitTarget})"/> is measured when first read
/// (only the shape calibration reads it): the value is <see cref="ScheduleShape.Of(FitTarget, IReadOnlyList{FitTarget})"/>'s, equality
/// and hashing see it, and side-by-side first reads agree.
/// </summary>
public sealed class ExtrapolationDistanceShapeTests
{
    private static readonly FitTarget[] Train =
    [
        new("const", ScheduleShapeTests.Wsd(4000, 1e-3, 0), [2000, 4000], [3.5, 3.2]),
        new("wsd", ScheduleShapeTests.Wsd(6000, 1e-3, 0.2), [3000, 6000], [3.5, 3.0]),
    ];

    private static FitTarget Target() => new("target", ScheduleShapeTests.Wsd(9000, 2e-3, 0.5), [4500, 9000], [3.4, 2.9]);

    [Fact]
    public void The_shape_read_later_is_the_shape_distance_of_the_nearest_training_schedule()
    {
        var d = ExtrapolationDistance.Of(Target(), Train);
        double expected = ScheduleShape.Of(Target(), Train);
        Assert.True(expected > 0.05, $"the test needs a shape outside the training shapes (got {expected})");
        Assert.Equal(expected, d.Shape);
        Assert.Equal(expected, d.Shape);   // read twice: the same value
        // The ratios and the value are those of the plan-target overload, which measures no shape.
        var plain = ExtrapolationDistance.Of(Target().History, 9000, double.NaN, Train);
        Assert.Equal(plain.Value, d.Value);
        Assert.Equal(0, plain.Shape);
    }

    [Fact]
    public void Equality_and_hashing_include_the_shape_measured_on_first_read()
    {
        var lazy = ExtrapolationDistance.Of(Target(), Train);
        var eager = ExtrapolationDistance.Of(Target().History, 9000, double.NaN, Train) with { Shape = ScheduleShape.Of(Target(), Train) };
        Assert.Equal(eager, lazy);                                   // reads lazy's shape
        Assert.Equal(eager.GetHashCode(), ExtrapolationDistance.Of(Target(), Train).GetHashCode());
        Assert.NotEqual(eager with { Shape = 0 }, ExtrapolationDistance.Of(Target(), Train));
        // Setting the shape replaces the measurement.
        Assert.Equal(0.25, (ExtrapolationDistance.Of(Target(), Train) with { Shape = 0.25 }).Shape);
    }

    [Fact]
    public void First_reads_side_by_side_agree()
    {
        double expected = ScheduleShape.Of(Target(), Train);
        for (int round = 0; round < 20; round++)
        {
            var d = ExtrapolationDistance.Of(Target(), Train);
            var seen = new double[8];
            Parallel.For(0, seen.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => seen[i] = d.Shape);
            Assert.All(seen, s => Assert.Equal(expected, s));
        }
    }
}
