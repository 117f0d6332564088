using HyperLaws.SizeLaws;
using Xunit;

namespace HyperLaws.Tests.SizeLaws;

/// <summary>Size extrapolations of a Chinchilla law fitted on a factor-4 window of sizes (protocol 2's size term).</summary>
public sealed class SizeExtrapolationTests
{
    private static readonly ChinchillaFitOptions Small = new(Grid: new ChinchillaGrid([0, 1], [0, 5, 10], [0, 5, 10], [0.5, 1], [0.5, 1]));

    // Sizes 1e7 x 2^k (k = 0..6), five data sizes each (10 to 160 tokens per parameter), losses from the law times (1 + noise).
    private static List<ScalingPoint> Table(ChinchillaLaw law, Func<int, double> noise)
    {
        var list = new List<ScalingPoint>();
        int i = 0;
        for (int k = 0; k <= 6; k++)
            for (int j = 0; j < 5; j++)
            {
                double n = 1e7 * Math.Pow(2, k), d = n * 10 * Math.Pow(2, j);
                list.Add(new ScalingPoint(n, d, law.Loss(n, d) * (1 + noise(i++))));
            }
        return list;
    }

    [Fact]
    public void Windows_of_a_factor_four_predict_the_sizes_four_times_beyond()
    {
        var res = SizeExtrapolation.Residuals("synthetic", Table(ChinchillaLaw.Besiroglu, _ => 0), options: Small);
        // Window tops 2e7 (two sizes: 1e7, 2e7), 4e7, 8e7 and 1.6e8 (three sizes each) have a size 4x beyond them; 1e7 has one
        // size in its window, 3.2e8 and 6.4e8 nothing beyond.
        Assert.Equal(new[] { 2e7, 4e7, 8e7, 1.6e8 }, res.Select(r => r.FittedUpTo).Distinct().Order().ToArray());
        Assert.All(res, r => Assert.Equal(Math.Log(4), r.LogSizeRatio, 9));
        Assert.Equal(4 * 5, res.Count);
        // Noise-free runs of the law itself: with three sizes in the window (E, A, alpha identified) the fit extrapolates it
        // exactly; two sizes cannot tell E, A and alpha apart, so that window's extrapolation is off although it fits exactly.
        Assert.All(res.Where(r => r.FittedUpTo >= 4e7), r => Assert.True(Math.Abs(r.Relative) < 1e-3, $"{r}"));
        Assert.All(res, r => Assert.True(double.IsFinite(r.Relative)));
        Assert.All(res, r => Assert.Equal("synthetic", r.Table));
    }

    [Fact]
    public void Noisy_runs_give_errors_the_size_of_the_noise_or_more_and_bad_arguments_are_refused()
    {
        var rng = new Random(7);
        var res = SizeExtrapolation.Residuals("noisy", Table(ChinchillaLaw.Besiroglu, _ => 0.01 * (2 * rng.NextDouble() - 1)), options: Small);
        Assert.NotEmpty(res);
        // Extrapolation errors exceed the 1% noise on some runs (the window's fit carries its own error) but stay finite.
        Assert.Contains(res, r => Math.Abs(r.Relative) > 0.002);
        Assert.All(res, r => Assert.True(double.IsFinite(r.Relative)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SizeExtrapolation.Residuals("x", Table(ChinchillaLaw.Besiroglu, _ => 0), window: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SizeExtrapolation.Residuals("x", Table(ChinchillaLaw.Besiroglu, _ => 0), lowRatio: 5, highRatio: 3));
        Assert.Empty(SizeExtrapolation.Residuals("x", Table(ChinchillaLaw.Besiroglu, _ => 0).Where(p => p.N < 3e7).ToList(), options: Small));
    }
}
