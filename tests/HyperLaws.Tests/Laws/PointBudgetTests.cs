using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>The declared per-curve point budget (FitOptions.MaxPointsPerCurve, issue 12).</summary>
public sealed class PointBudgetTests
{
    [Fact]
    public void Bins_hold_consecutive_points_in_near_equal_counts_with_their_mean_loss_and_mean_step() =>
        ForAll(Gen.Select(Gen.Int[3, 400], Gen.Int[2, 60], Gen.Int[1, 7], Gen.Int[0, 1000]), t =>
        {
            var (n, budget, gap, seed) = t;
            var random = new Random(seed);
            var steps = new int[n];
            for (int i = 0, s = 0; i < n; i++) steps[i] = s += 1 + random.Next(gap);
            double[] loss = [.. steps.Select(_ => 2 + random.NextDouble())];
            var curve = new FitTarget("c", new ScheduleHistory([.. Enumerable.Repeat(1e-3, steps[^1])]), steps, loss) { ModelSize = 1e8 };
            var budgeted = PointBudget.Apply([curve], budget)[0];
            if (n <= budget)
            {
                Assert.Same(curve, budgeted);
                return;
            }
            Assert.Equal(budget, budgeted.Steps.Length);
            budgeted.Validate();   // ascending steps inside the history, positive losses
            Assert.Same(curve.History, budgeted.History);
            Assert.Equal(1e8, budgeted.ModelSize);
            int from = 0;
            for (int j = 0; j < budget; j++)
            {
                int count = (int)((long)(j + 1) * n / budget) - from;
                Assert.InRange(count, n / budget, n / budget + 1);
                var bin = Enumerable.Range(from, count);
                Near(bin.Average(i => loss[i]), budgeted.Loss[j], 1e-15, "bin loss");
                double meanStep = bin.Average(i => (double)steps[i]);
                Assert.True(Math.Abs(budgeted.Steps[j] - meanStep) <= 0.5, $"bin {j}: step {budgeted.Steps[j]}, mean {meanStep}");
                Assert.InRange(budgeted.Steps[j], steps[from], steps[from + count - 1]);
                from += count;
            }
            Assert.Equal(n, from);
        });

    [Fact]
    public void Curves_within_the_budget_are_passed_on_unchanged()
    {
        var curves = SyntheticCurves.Tissue(3, 0.002, seed: 4);
        Assert.Same(curves, PointBudget.Apply(curves, curves.Max(c => c.Steps.Length)));
        var fit = LawFitter.Fit(new AnnealingLaw(), curves);
        var everyPoint = LawFitter.Fit(new AnnealingLaw(), curves, new FitOptions { MaxPointsPerCurve = int.MaxValue });
        Assert.Equal(everyPoint.Parameters, fit.Parameters);
        Assert.Equal(everyPoint.Objective, fit.Objective);
    }

    [Fact]
    public void A_fit_over_budget_is_the_fit_of_the_bin_means()
    {
        var mpl = new MultiPowerLaw();
        var curve = SyntheticCurves.Curve(mpl, MultiPowerLaw.Published["25M"], SyntheticCurves.Wsd(5000, 0.3), "long", 0.002, 3, points: 300);
        foreach (IFittableLaw law in new IFittableLaw[] { new AnnealingLaw(), new OptLaw() })
        {
            var budgeted = LawFitter.Fit(law, [curve], new FitOptions { MaxPointsPerCurve = 100 });
            var binned = LawFitter.Fit(law, [PointBudget.Binned(curve, 100)], new FitOptions { MaxPointsPerCurve = int.MaxValue });
            Assert.Equal(binned.Parameters, budgeted.Parameters);
            Assert.Equal(binned.Objective, budgeted.Objective);
            var full = LawFitter.Fit(law, [curve], new FitOptions { MaxPointsPerCurve = int.MaxValue });
            Assert.NotEqual(full.Objective, budgeted.Objective);   // the budget did apply
        }
    }

    [Fact]
    public void A_budget_under_two_points_is_refused()
    {
        var curves = SyntheticCurves.Tissue(1, 0.002, seed: 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => LawFitter.Fit(new AnnealingLaw(), curves, new FitOptions { MaxPointsPerCurve = 1 }));
    }
}
