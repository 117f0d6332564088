using HyperLaws.Evaluation;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>Nested residuals (variant A of protocol 9): fit on the runs below each level of a key, predict the runs at it.</summary>
public sealed class ConformalNestedResidualTests
{
    private static FitTarget Curve(string name, int steps, double final) =>
        new(name, new ScheduleHistory(Enumerable.Repeat(1e-3, steps).ToArray()), [steps / 2, steps], [final + 0.5, final]);

    [Fact]
    public void Each_level_is_predicted_from_the_levels_below_it_only()
    {
        var runs = new[] { Curve("a1", 1000, 3.0), Curve("a2", 1000, 3.2), Curve("b", 2000, 2.9), Curve("c1", 4000, 2.8), Curve("c2", 4000, 2.7) };
        var seen = new List<string[]>();
        // A "law" that predicts the mean final loss of what it was fitted on: the residuals show which runs each fit saw.
        Func<FitTarget, double> Fit(IReadOnlyList<FitTarget> train)
        {
            seen.Add([.. train.Select(t => t.Name).Order()]);
            double mean = train.Average(t => t.Loss[^1]);
            return _ => mean;
        }
        var res = ConformalCalibration.Residuals(runs, Fit, group: _ => "all", truncations: [], nestedBy: t => t.History.Steps);
        Assert.Equal([["a1", "a2"], ["a1", "a2", "b"]], seen);
        Assert.Equal(["b", "c1", "c2"], res.Select(r => r.Run));
        Assert.All(res, r => Assert.Equal("nested", r.Split));
        Assert.Equal(3.1, res[0].Predicted, 12);
        Assert.Equal((3.0 + 3.2 + 2.9) / 3, res[1].Predicted, 12);
        // The distance is the horizon beyond the fit's curves: 2000 / 1000 and 4000 / 2000.
        Assert.Equal(2, res[0].Distance.HorizonRatio, 12);
        Assert.Equal(2, res[2].Distance.HorizonRatio, 12);
        // Without the key nothing nested is made; one level alone has nothing below it.
        Assert.Empty(ConformalCalibration.Residuals(runs, Fit, group: _ => "all", truncations: []));
        Assert.Empty(ConformalCalibration.Residuals(runs.Take(2).ToList(), Fit, group: _ => "all", truncations: [], nestedBy: t => t.History.Steps));
    }
}
