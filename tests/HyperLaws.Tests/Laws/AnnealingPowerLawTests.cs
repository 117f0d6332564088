using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// <see cref="AnnealingPowerLaw"/> ("tissue-p"): the LR-annealing law with T_p = sum eta_max (eta_i / eta_max)^p in its progress
/// term (docs/VALIDATION.md, helper p3rank).
/// </summary>
public sealed class AnnealingPowerLawTests
{
    private static readonly int[] Steps = [150, 1500, 2400, 2900, 3000];

    [Fact]
    public void At_p_one_it_is_the_published_law()
    {
        var h = new ScheduleHistory(SyntheticCurves.Wsd(3000, 0.4));
        double[] tissue = [2.9, 0.6, 0.45, 0.5];
        var expected = new double[Steps.Length];
        var actual = new double[Steps.Length];
        new AnnealingLaw().Predict(tissue, h, Steps, expected);
        new AnnealingPowerLaw().Predict([.. tissue, 1.0], h, Steps, actual);
        for (int i = 0; i < Steps.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12 * expected[i]);
    }

    [Fact]
    public void The_clock_is_the_sum_of_powered_lr_ratios()
    {
        var lr = SyntheticCurves.Wsd(2000, 0.5);
        var h = new ScheduleHistory(lr);
        double max = lr.Max();
        foreach (double p in (double[])[0.0, 0.3, 1.0])
        {
            var (t, dt) = AnnealingPowerLaw.Clock(h, p, 2000);
            double sum = 0, dsum = 0;
            for (int i = 1; i <= 2000; i++)
            {
                double r = lr[i - 1] / max;
                sum += max * Math.Pow(r, p);
                dsum += max * Math.Pow(r, p) * Math.Log(r);
                if (i % 250 == 0)
                {
                    Assert.Equal(sum, t[i], 1e-12 * sum);
                    Assert.Equal(dsum, dt[i], 1e-10 * Math.Abs(dsum) + 1e-15);
                }
            }
        }
        // p = 0: every step counts as a step at the peak; p = 1: the LR sum S1.
        Assert.Equal(2000 * max, AnnealingPowerLaw.Clock(h, 0, 2000).T[2000], 1e-9);
        Assert.Equal(h.S1(2000), AnnealingPowerLaw.Clock(h, 1, 2000).T[2000], 1e-12);
        // A smaller p counts the cooldown's low-LR steps for more: the clock at the end is larger.
        Assert.True(AnnealingPowerLaw.Clock(h, 0.5, 2000).T[2000] > h.S1(2000));
    }

    [Fact]
    public void Derivatives_match_central_differences()
    {
        var law = new AnnealingPowerLaw();
        var h = new ScheduleHistory(SyntheticCurves.Wsd(3000, 0.6));
        double[] p = [2.9, 0.6, 0.45, 0.5, 0.7];
        var y = new double[Steps.Length];
        var g = new double[Steps.Length * 5];
        law.PredictWithGradient(p, h, Steps, y, g);
        var plain = new double[Steps.Length];
        law.Predict(p, h, Steps, plain);
        Assert.Equal(plain, y);
        for (int j = 0; j < 5; j++)
        {
            var numeric = CentralDifference.Of(law, p, h, Steps, j, 1e-6 * Math.Max(1, Math.Abs(p[j])));
            for (int i = 0; i < Steps.Length; i++)
                Assert.Equal(numeric[i], g[i * 5 + j], 1e-6 * Math.Max(1, Math.Abs(numeric[i])));
        }
    }

    [Fact]
    public void A_fit_recovers_p_below_one_and_keeps_p_at_most_one()
    {
        var law = new AnnealingPowerLaw();
        double[] truth = [2.9, 0.6, 0.45, 0.5, 0.6];
        FitTarget[] curves = [.. Enumerable.Range(0, 4).Select(c => SyntheticCurves.Curve(law, truth, SyntheticCurves.Wsd(3000 + 500 * c, 0.1 + 0.25 * c), $"c{c}", 0, c))];
        var fit = LawFitter.Fit(law, curves);
        Assert.True(fit.Objective < 1e-10, $"objective {fit.Objective}");
        Assert.Equal(0.6, fit.Parameters[AnnealingPowerLaw.P], 0.02);
        // Curves of the published law (p = 1, at the box's end): the fit stays at p <= 1 and fits them.
        FitTarget[] published = [.. Enumerable.Range(0, 3).Select(c => SyntheticCurves.Curve(new AnnealingLaw(), SyntheticCurves.TissueTruth, SyntheticCurves.Wsd(3000 + 500 * c, 0.2 + 0.3 * c), $"t{c}", 0, c))];
        var atEnd = LawFitter.Fit(law, published);
        Assert.InRange(atEnd.Parameters[AnnealingPowerLaw.P], 0, 1);
        Assert.True(atEnd.Objective < 1e-10, $"objective {atEnd.Objective}");
        Assert.Equal("tissue-p", LawCatalog.Create("tissue-p").Name);
        Assert.DoesNotContain("tissue-p", LawCatalog.Names);
    }
}
