using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// <see cref="FitOptions.ConvergeEveryStart"/>: every start run to convergence, the lowest objective kept, against the default
/// probe (each start a few iterations, only the best continues), on a law whose objective has a poor local minimum.
/// </summary>
public sealed class ConvergeEveryStartTests
{
    /// <summary>
    /// L(t) = 2 (1 + 4e-4 r(w)) with r(w) = 1.2 + sin w - 2 exp(-(w - 5)^2), fitted to L = 2: r has a local minimum 0.2 at
    /// w = -pi/2 (a poor fit) and zeros near w = 4.3 and 5.7 (exact fits).
    /// </summary>
    private sealed class TwoBasins : IFittableLaw
    {
        public string Name => "two-basins";
        public IReadOnlyList<string> ParameterNames { get; } = ["w"];
        public IReadOnlyList<bool> Positive { get; } = [false];
        public static double R(double w) => 1.2 + Math.Sin(w) - 2 * Math.Exp(-(w - 5) * (w - 5));
        public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets) => [[-Math.PI / 2], [3.0]];
        public void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
        {
            for (int i = 0; i < steps.Length; i++) output[i] = 2 * (1 + 4e-4 * R(parameters[0]));
        }
    }

    private static readonly FitTarget[] Flat = [new("flat", new ScheduleHistory([.. Enumerable.Repeat(1e-3, 40)]), [.. Enumerable.Range(1, 40)], [.. Enumerable.Repeat(2.0, 40)])];

    [Fact]
    public void Every_start_converged_finds_the_lower_objective_the_probe_drops()
    {
        var law = new TwoBasins();
        // One probe iteration: the start in the poor basin is already at its minimum (0.2), the other still above it.
        var probed = LawFitter.Fit(law, Flat, new FitOptions { ProbeIterations = 1 });
        var every = LawFitter.Fit(law, Flat, new FitOptions { ProbeIterations = 1, ConvergeEveryStart = true });
        Assert.Equal(-Math.PI / 2, probed.Parameters[0], 1e-3);
        Assert.True(Math.Abs(TwoBasins.R(every.Parameters[0])) < 1e-4, $"w {every.Parameters[0]}, r {TwoBasins.R(every.Parameters[0])}");
        Assert.True(every.Objective < 1e-3 * probed.Objective, $"{every.Objective} vs {probed.Objective}");
        Assert.True(every.Evaluations > probed.Evaluations);
    }

    [Fact]
    public void With_one_start_it_is_the_default_fit()
    {
        var law = new TwoBasins();
        var options = new FitOptions { UseLawStartingPoints = false, Starts = [[3.0]] };
        var a = LawFitter.Fit(law, Flat, options);
        var b = LawFitter.Fit(law, Flat, options with { ConvergeEveryStart = true });
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.Equal(a.Objective, b.Objective);
        Assert.Equal(a.Evaluations, b.Evaluations);
    }

    [Fact]
    public void The_fit_cache_key_changes_only_when_it_is_on()
    {
        var law = new MultiPowerLaw();
        var targets = new[] { new FitTarget("c", new ScheduleHistory([.. Enumerable.Repeat(1e-3, 50)]), [10, 20, 50], [3.2, 3.1, 3.0]) };
        string off = HyperLaws.Fitting.FitCacheKey.Of(law, targets, new FitOptions());
        Assert.Equal(off, HyperLaws.Fitting.FitCacheKey.Of(law, targets, new FitOptions { ConvergeEveryStart = false }));
        Assert.NotEqual(off, HyperLaws.Fitting.FitCacheKey.Of(law, targets, new FitOptions { ConvergeEveryStart = true }));
    }
}
