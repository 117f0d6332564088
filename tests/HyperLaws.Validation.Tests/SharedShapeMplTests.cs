using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// <see cref="SharedShapeMpl"/>: MPL with one drop shape (C, beta, gamma) across peak LRs and L0, A, alpha, B per peak LR
/// (protocol 3's --shared-shape).
/// </summary>
public sealed class SharedShapeMplTests
{
    private static readonly double[] Lrs = [1e-3, 2e-3];

    /// <summary>Warmup of 50 steps to <paramref name="lr"/>, then constant, with a linear cooldown to 0 over the last <paramref name="cooldown"/>.</summary>
    private static ScheduleHistory History(double lr, int steps, double cooldown) =>
        new([.. Enumerable.Range(1, steps).Select(t => t <= 50 ? lr * t / 50 : t <= steps * (1 - cooldown) ? lr : lr * (steps - t + 1) / (steps * cooldown))]);

    /// <summary>Shared shape (published 25M), per LR L0, A, alpha, B.</summary>
    private static readonly double[] Truth = [2.0656, 0.5828, 0.6414, 3.0, 0.52, 0.50, 360, 3.1, 0.6, 0.45, 300];

    private static FitTarget Curve(SharedShapeMpl law, double lr, int steps, double cooldown, string name)
    {
        var h = History(lr, steps, cooldown);
        int[] at = [.. Enumerable.Range(1, 40).Select(i => i * steps / 40)];
        var y = new double[at.Length];
        law.Predict(Truth, h, at, y);
        return new FitTarget(name, h, at, y);
    }

    [Fact]
    public void Each_curve_is_mpl_with_its_peak_lrs_block_and_the_shared_shape()
    {
        var law = new SharedShapeMpl(Lrs);
        Assert.Equal(11, law.ParameterNames.Count);
        Assert.Equal(["C", "beta", "gamma", "L0@0.001", "A@0.001", "alpha@0.001", "B@0.001", "L0@0.002", "A@0.002", "alpha@0.002", "B@0.002"], law.ParameterNames);
        var mpl = new MultiPowerLaw();
        int[] steps = [100, 900, 1500, 2000];
        for (int g = 0; g < Lrs.Length; g++)
        {
            var h = History(Lrs[g], 2000, 0.3);
            var own = law.GroupParameters(Truth, g);
            Assert.Equal([Truth[3 + 4 * g], Truth[4 + 4 * g], Truth[5 + 4 * g], Truth[6 + 4 * g], Truth[0], Truth[1], Truth[2]], own);
            var expected = new double[steps.Length];
            var expectedGradient = new double[steps.Length * 7];
            mpl.PredictWithGradient(own, h, steps, expected, expectedGradient);
            var actual = new double[steps.Length];
            var gradient = new double[steps.Length * 11];
            law.PredictWithGradient(Truth, h, steps, actual, gradient);
            Assert.Equal(expected, actual);
            for (int i = 0; i < steps.Length; i++)
            {
                Assert.Equal(expectedGradient[i * 7 + MultiPowerLaw.C], gradient[i * 11]);
                Assert.Equal(expectedGradient[i * 7 + MultiPowerLaw.Gamma], gradient[i * 11 + 2]);
                Assert.Equal(expectedGradient[i * 7 + MultiPowerLaw.B], gradient[i * 11 + 3 + 4 * g + 3]);
                Assert.Equal(0, gradient[i * 11 + 3 + 4 * (1 - g)]);   // the other LR's block
            }
        }
        Assert.Throws<ArgumentException>(() => law.Predict(Truth, History(5e-3, 500, 0.2), [100], new double[1]));
        Assert.Throws<ArgumentException>(() => law.Predict([1, 2], History(1e-3, 500, 0.2), [100], new double[1]));
        Assert.Throws<ArgumentException>(() => new SharedShapeMpl([1e-3, 1e-3]));
    }

    [Fact]
    public void A_fit_on_both_lrs_finds_the_shared_shape_and_keeps_it_in_the_box()
    {
        var law = new SharedShapeMpl(Lrs);
        FitTarget[] curves = [Curve(law, 1e-3, 3000, 0, "c1"), Curve(law, 1e-3, 3000, 0.3, "w1"), Curve(law, 2e-3, 3000, 0, "c2"), Curve(law, 2e-3, 3000, 0.3, "w2")];
        var fit = LawFitter.Fit(law, curves);
        Assert.True(fit.Objective < 1e-9, $"objective {fit.Objective}");
        // The fitted law predicts a cooldown it did not see (0.6) at both LRs.
        foreach (double lr in Lrs)
        {
            var h = History(lr, 3000, 0.6);
            var truth = new double[1];
            var predicted = new double[1];
            law.Predict(Truth, h, [3000], truth);
            law.Predict(fit.Parameters, h, [3000], predicted);
            Assert.Equal(truth[0], predicted[0], 1e-3 * truth[0]);
        }
        // A box that excludes the true gamma (0.64): the fit stays in it.
        var box = MplShapeBox.Create(10);
        var lower = box.Lower.ToArray();
        lower[MultiPowerLaw.Gamma] = 1.0;
        var boxed = new SharedShapeMpl(Lrs, new ParameterBounds(lower, box.Upper));
        Assert.Equal("mpl-box-shared", boxed.Name);
        var boxedFit = LawFitter.Fit(boxed, curves);
        Assert.True(boxed.Bounds!.Contains(boxedFit.Parameters));
        Assert.InRange(boxedFit.Parameters[2], 1.0, 6.438);
    }

    [Fact]
    public void Protocol_three_with_a_shared_shape_gives_every_lr_the_same_c_beta_gamma()
    {
        var grid = ScheduleGridTests.Grid();
        var result = ScheduleGrid.Run(grid, ["mpl-box"], new GridOptions { TrainFraction = 0.2, SharedMplShape = true });
        var law = Assert.Single(result.Laws);
        Assert.Equal(2, law.Fits.Count);
        foreach (int j in (int[])[MultiPowerLaw.C, MultiPowerLaw.Beta, MultiPowerLaw.Gamma])
        {
            Assert.Equal(law.Fits[0].Fit.Parameters[j], law.Fits[1].Fit.Parameters[j]);
            Assert.InRange(law.Fits[0].Fit.Parameters[j], MplShapeBox.Create().Lower[j], MplShapeBox.Create().Upper[j]);
        }
        Assert.NotEqual(law.Fits[0].Fit.Parameters[MultiPowerLaw.L0], law.Fits[1].Fit.Parameters[MultiPowerLaw.L0]);
        Assert.Equal(0, law.FinalLoss.NonFinite);
    }
}
