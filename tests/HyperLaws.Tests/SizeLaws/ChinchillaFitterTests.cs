using HyperLaws.Numerics;
using HyperLaws.SizeLaws;
using Xunit;

namespace HyperLaws.Tests.SizeLaws;

/// <summary>The Chinchilla law, its robust fit on synthetic runs and its compute-optimal allocation.</summary>
public sealed class ChinchillaFitterTests
{
    private static readonly ChinchillaFitOptions Small = new(Grid: new ChinchillaGrid([0, 1], [0, 5, 10], [0, 5, 10], [0.5, 1], [0.5, 1]));

    /// <summary>An iso-FLOP-like design: 8 budgets x 9 sizes spread over 1.5 decades around the budget's optimum.</summary>
    private static List<ScalingPoint> Design(ChinchillaLaw truth, Func<int, double> noise)
    {
        var points = new List<ScalingPoint>();
        int k = 0;
        for (int c = 0; c < 8; c++)
        {
            double flops = 1e18 * Math.Pow(10, 0.5 * c);
            var (nOpt, _) = truth.ComputeOptimal(flops);
            for (int j = -4; j <= 4; j++)
            {
                double n = nOpt * Math.Pow(10, 0.2 * j), d = flops / (6 * n);
                points.Add(new ScalingPoint(n, d, truth.Loss(n, d) * Math.Exp(noise(k++))));
            }
        }
        return points;
    }

    [Fact]
    public void A_fixed_alpha_is_held_and_the_other_parameters_are_fitted()
    {
        var truth = ChinchillaLaw.Besiroglu;
        // Held at the truth: the other four come back.
        var held = ChinchillaFitter.Fit(Design(truth, _ => 0), Small with { FixedAlpha = truth.Alpha });
        Assert.Equal(truth.Alpha, held.Law.Alpha);
        Assert.Equal(truth.E, held.Law.E, 3);
        Assert.InRange(held.Law.A / truth.A, 0.99, 1.01);
        Assert.Equal(truth.Beta, held.Law.Beta, 3);
        Assert.True(held.RmsLogResidual < 1e-5, $"rms {held.RmsLogResidual}");
        // Held away from the truth: alpha stays exactly there and the fit is worse than the free one.
        var wrong = ChinchillaFitter.Fit(Design(truth, _ => 0), Small with { FixedAlpha = 0.5 });
        Assert.Equal(0.5, wrong.Law.Alpha);
        Assert.True(wrong.RmsLogResidual > 1e-4, $"rms {wrong.RmsLogResidual}");
        Assert.Equal(0.5, ChinchillaFitter.FitFrom(Design(truth, _ => 0), truth, Small with { FixedAlpha = 0.5 }).Law.Alpha);
    }

    [Fact]
    public void Noise_free_runs_give_back_Besiroglus_parameters()
    {
        var truth = ChinchillaLaw.Besiroglu;
        var fit = ChinchillaFitter.Fit(Design(truth, _ => 0), Small);
        Assert.Equal(truth.E, fit.Law.E, 3);
        Assert.InRange(fit.Law.A / truth.A, 0.99, 1.01);
        Assert.InRange(fit.Law.B / truth.B, 0.99, 1.01);
        Assert.Equal(truth.Alpha, fit.Law.Alpha, 3);
        Assert.Equal(truth.Beta, fit.Law.Beta, 3);
        Assert.True(fit.RmsLogResidual < 1e-5, $"rms {fit.RmsLogResidual}");
        Assert.Equal(Small.Grid!.Count, fit.Starts);
    }

    [Fact]
    public void Noisy_runs_give_the_exponents_within_their_noise_and_the_bootstrap_is_deterministic()
    {
        var truth = ChinchillaLaw.Hoffmann;
        var rng = new Random(7);
        var noise = Enumerable.Range(0, 72).Select(_ => 0.005 * (rng.NextDouble() * 2 - 1)).ToArray();
        var points = Design(truth, i => noise[i]);
        var fit = ChinchillaFitter.Fit(points, Small);
        Assert.InRange(fit.Law.Alpha, truth.Alpha - 0.03, truth.Alpha + 0.03);
        Assert.InRange(fit.Law.Beta, truth.Beta - 0.03, truth.Beta + 0.03);
        Assert.InRange(fit.Law.E, truth.E - 0.05, truth.E + 0.05);
        Assert.InRange(fit.Law.NExponent, truth.NExponent - 0.02, truth.NExponent + 0.02);
        Assert.InRange(fit.RmsLogResidual, 0.001, 0.005);
        var b1 = ChinchillaFitter.Bootstrap(points, fit, resamples: 40, seed: 3, level: 0.9);
        var b2 = ChinchillaFitter.Bootstrap(points, fit, resamples: 40, seed: 3, level: 0.9);
        Assert.Equal(b1.Parameters, b2.Parameters);
        Assert.Equal(b1.NExponent, b2.NExponent);
        var p = fit.Law.ToArray();
        for (int k = 0; k < 5; k++)
        {
            Assert.True(b1.Parameters[k].Low < b1.Parameters[k].High, ChinchillaLaw.ParameterNames[k]);
            Assert.InRange(p[k], b1.Parameters[k].Low, b1.Parameters[k].High);
        }
        Assert.InRange(truth.Alpha, b1.Parameters[3].Low - 0.01, b1.Parameters[3].High + 0.01);
    }

    [Theory]
    [InlineData(1e18)]
    [InlineData(5.76e23)]
    [InlineData(3e25)]
    public void Compute_optimal_allocation_spends_the_budget_and_minimises_the_loss_on_the_iso_flop_line(double flops)
    {
        foreach (var law in new[] { ChinchillaLaw.Hoffmann, ChinchillaLaw.Besiroglu })
        {
            var (n, d) = law.ComputeOptimal(flops);
            Assert.Equal(1, 6 * n * d / flops, 10);
            // Numerical check: minimise L(N, C/(6N)) over ln N with Brent and compare.
            double Along(double lnN) => law.Loss(Math.Exp(lnN), flops / (6 * Math.Exp(lnN)));
            var best = BrentMinimizer.Minimize(Along, Math.Log(n) - 5, Math.Log(n) + 5);
            Assert.Equal(Math.Log(n), best.X, 3);
            Assert.True(law.Loss(n, d) <= Along(Math.Log(n) + 0.01) && law.Loss(n, d) <= Along(Math.Log(n) - 0.01));
        }
        // Hoffmann's published law: N_opt ~ C^0.45, Besiroglu's: ~ C^0.51.
        Assert.Equal(0.452, ChinchillaLaw.Hoffmann.NExponent, 3);
        Assert.Equal(0.513, ChinchillaLaw.Besiroglu.NExponent, 3);
        var ratio = ChinchillaLaw.Hoffmann.ComputeOptimal(10 * flops).N / ChinchillaLaw.Hoffmann.ComputeOptimal(flops).N;
        Assert.Equal(Math.Pow(10, ChinchillaLaw.Hoffmann.NExponent), ratio, 8);
    }

    [Fact]
    public void Bad_inputs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ChinchillaFitter.Fit([new ScalingPoint(1e8, 1e9, 3)]));
        var bad = Enumerable.Range(1, 6).Select(i => new ScalingPoint(1e8 * i, 1e9, i == 3 ? -1 : 3)).ToList();
        Assert.Throws<ArgumentException>(() => ChinchillaFitter.Fit(bad));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChinchillaLaw.Hoffmann.ComputeOptimal(0));
        Assert.Throws<InvalidOperationException>(() => new ChinchillaLaw(1, 1, 1, 0, 0.3).ComputeOptimal(1e20));
    }
}
