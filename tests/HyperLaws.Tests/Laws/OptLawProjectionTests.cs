using System.Globalization;
using HyperLaws.Laws;
using HyperLaws.Numerics;
using HyperLaws.Schedules;
using HyperLaws.Tests.Numerics;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// OptLaw's variable projection on the shipped 25M MPL curves (protocol 1's training runs): the exact Huber solve of the
/// linear weights against the reweighting the fit used before (20 iterations from unit weights, best iterate kept), and the
/// fit's objective against the Huber loss of its own parameters.
/// </summary>
public sealed class OptLawProjectionTests
{
    private static readonly (string File, string Spec)[] Curves =
    [
        ("cosine_24000.csv", "cosine(peak=3e-4,steps=24000,warmup=2160,floor=3e-5)"),
        ("constant_24000.csv", "constant(peak=3e-4,steps=24000,warmup=2160)"),
        ("wsdcon_9.csv", "multistep(peak=3e-4,steps=24000,warmup=2160,milestones=[8000],values=[9e-5])"),
    ];

    internal static FitTarget[] Targets() => [.. Curves.Select(c =>
    {
        var rows = File.ReadAllLines(Path.Combine(DataFolders.Repo, "MultiPowerLaw", "loss_curve_repo", "csv_25", c.File)).Skip(1)
            .Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Split(',')).ToArray();
        int[] steps = [.. rows.Select(r => int.Parse(r[0], CultureInfo.InvariantCulture))];
        double[] loss = [.. rows.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture))];
        return new FitTarget(c.File, new ScheduleHistory(LrSchedule.Parse(c.Spec).Evaluate()), steps, loss);
    })];

    /// <summary>The design of the projection at (alpha, s_w, p): 1, (S1 + s_w)^-alpha, the noise features (by columns).</summary>
    private static (double[][] Columns, double[] Y) Design(OptLaw law, FitTarget[] targets, double alpha, double sw, double power)
    {
        var columns = Enumerable.Range(0, 2 + law.Lags.Count).Select(_ => new List<double>()).ToArray();
        var y = new List<double>();
        foreach (var t in targets)
        {
            var f = law.FeatureMatrix(t.History, t.Steps, power);
            for (int i = 0; i < t.Steps.Length; i++)
            {
                columns[0].Add(1);
                columns[1].Add(Math.Pow(t.History.S1(t.Steps[i]) + sw, -alpha));
                for (int k = 0; k < law.Lags.Count; k++) columns[2 + k].Add(f[i, k]);
                y.Add(t.Loss[i]);
            }
        }
        return ([.. columns.Select(c => c.ToArray())], [.. y]);
    }

    [Fact]
    public void ExactSolve_IsAtMostTheReweightingsValue_OnTheMplCurves()
    {
        var law = new OptLaw();
        var targets = Targets();
        double delta = new FitOptions().HuberDelta;
        // Around protocol 1's 25M optimum (alpha ~ 0.44, s_w ~ 0, p ~ 0.8) and away from it.
        foreach (var (alpha, sw, power) in new[] { (0.44, 1e-9, 0.8), (0.3, 0.05, 1.0), (0.6, 0.5, 0.6), (1.2, 2.0, 1.5) })
        {
            var (columns, y) = Design(law, targets, alpha, sw, power);
            bool[] constrained = [false, .. Enumerable.Repeat(true, columns.Length - 1)];
            var (objective, x) = new RelativeHuberRegression(columns, y, constrained, delta).Solve(null);
            Assert.Equal(RelativeHuberRegressionTests.Objective(columns, y, x, delta), objective, 1e-15);
            // The previous fitter's value at this point: the best of 20 reweighting iterations from unit weights.
            double reweighted = double.PositiveInfinity;
            for (int iterations = 1; iterations <= 20; iterations++)
                reweighted = Math.Min(reweighted, RelativeHuberRegressionTests.Objective(columns, y, RelativeHuberRegressionTests.Reweighted(columns, y, constrained, iterations), delta));
            Assert.True(objective <= reweighted * (1 + 1e-12), $"({alpha}, {sw}, {power}): exact {objective:R} above reweighting {reweighted:R}");
            // The two agree to the reweighting's own convergence (it stops short of the minimum by at most this much here).
            Property.Near(reweighted, objective, 1e-3, $"({alpha}, {sw}, {power})");
        }
    }

    [Fact]
    public void Fit_ObjectiveIsTheHuberLossOfItsParameters_OnTheMplCurves()
    {
        var law = new OptLaw();
        var targets = Targets();
        var fit = LawFitter.Fit(law, targets);
        double delta = new FitOptions().HuberDelta, total = 0;
        int count = 0;
        foreach (var t in targets)
        {
            var predicted = fit.Predict(t.History, t.Steps);
            for (int i = 0; i < predicted.Length; i++, count++)
            {
                double a = Math.Abs((predicted[i] - t.Loss[i]) / t.Loss[i]);
                total += a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
            }
        }
        // The fit's features come from the block expansion, the prediction's from the step recursion: rounding apart.
        Property.Near(total / count, fit.Objective, 1e-9, "objective");
        Assert.All(fit.Parameters.Skip(OptLaw.FirstWeight), w => Assert.True(w >= 0));
    }
}
