using CsCheck;
using HyperLaws.Fitting;
using HyperLaws.Fitting.Internal;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Fitting;

public sealed class LawBootstrapTests
{
    private static readonly AnnealingLaw Tissue = new();

    [Fact]
    public void Percentile_intervals_cover_the_true_parameters_at_about_their_level()
    {
        // 8 data sets of 3 noisy tissue curves (0.2% Gaussian noise), 60 block replicates each, 90% intervals:
        // 32 (data set, parameter) pairs. At a true 90% the count covered is Binomial(32, 0.9): mean 28.8,
        // below 25 with probability about 1.4%. Too-wide intervals would cover everything: require some width
        // discipline too (the median interval is narrower than a tenth of the parameter).
        int covered = 0, total = 0;
        var widths = new List<double>();
        for (int seed = 1; seed <= 8; seed++)
        {
            var result = LawBootstrap.Run(Tissue, SyntheticCurves.Tissue(3, 2e-3, seed), new BootstrapOptions { Replicates = 60, Seed = seed });
            Assert.Equal(BootstrapScheme.Blocks, result.Bootstrap.Scheme);
            for (int j = 0; j < SyntheticCurves.TissueTruth.Length; j++)
            {
                var p = result.Parameters[j];
                total++;
                if (p.Contains(SyntheticCurves.TissueTruth[j])) covered++;
                widths.Add((p.Upper - p.Lower) / Math.Abs(SyntheticCurves.TissueTruth[j]));
            }
        }
        Assert.True(covered >= 25, $"{covered} of {total} intervals cover the truth");
        widths.Sort();
        Assert.True(widths[widths.Count / 2] < 0.1, $"median relative width {widths[widths.Count / 2]}");
    }

    [Fact]
    public void Runs_scheme_intervals_cover_the_truth_with_many_curves()
    {
        // 8 curves resampled whole (the default with >= 4 curves), 3 data sets: at least 9 of 12 covered
        // (Binomial(12, 0.9) falls below 9 with probability about 2.6%).
        int covered = 0;
        for (int seed = 11; seed <= 13; seed++)
        {
            var result = LawBootstrap.Run(Tissue, SyntheticCurves.Tissue(8, 2e-3, seed), new BootstrapOptions { Replicates = 40, Seed = seed });
            Assert.Equal(BootstrapScheme.Runs, result.Bootstrap.Scheme);
            covered += result.Parameters.Select((p, j) => p.Contains(SyntheticCurves.TissueTruth[j])).Count(x => x);
        }
        Assert.True(covered >= 9, $"{covered} of 12 intervals cover the truth");
    }

    [Fact]
    public void Same_seed_gives_bit_identical_samples_whatever_the_parallelism()
    {
        var data = SyntheticCurves.Tissue(3, 2e-3, 5);
        var serial = LawBootstrap.Run(Tissue, data, new BootstrapOptions { Replicates = 24, Seed = 99, MaxDegreeOfParallelism = 1 });
        var parallel = LawBootstrap.Run(Tissue, data, new BootstrapOptions { Replicates = 24, Seed = 99 });
        Assert.Equal(serial.Bootstrap.Samples.Count, parallel.Bootstrap.Samples.Count);
        for (int b = 0; b < serial.Bootstrap.Samples.Count; b++)
            Assert.Equal(serial.Bootstrap.Samples[b].Select(BitConverter.DoubleToInt64Bits), parallel.Bootstrap.Samples[b].Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(serial.Bootstrap.ResidualQuantiles, parallel.Bootstrap.ResidualQuantiles);

        var other = LawBootstrap.Run(Tissue, data, new BootstrapOptions { Replicates = 24, Seed = 100 });
        Assert.NotEqual(serial.Bootstrap.Samples[0], other.Bootstrap.Samples[0]);
        Assert.Equal(serial.Fit.Parameters, other.Fit.Parameters);   // the estimate does not depend on the seed
    }

    [Theory]
    [InlineData(BootstrapScheme.Blocks)]
    [InlineData(BootstrapScheme.Residuals)]
    [InlineData(BootstrapScheme.Runs)]
    public void Every_scheme_gives_a_summary_around_the_estimate(BootstrapScheme scheme)
    {
        var data = SyntheticCurves.Tissue(4, 2e-3, 3);
        var result = LawBootstrap.Run(Tissue, data, new BootstrapOptions { Replicates = 30, Scheme = scheme });
        Assert.Equal(scheme, result.Bootstrap.Scheme);
        Assert.Equal(30, result.Bootstrap.Replicates);
        Assert.Equal(30 - result.Failed, result.Bootstrap.Samples.Count);
        Assert.Equal(BootstrapSamples.ResidualQuantileCount, result.Bootstrap.ResidualQuantiles.Length);
        Assert.Equal(Tissue.ParameterNames, result.Parameters.Select(p => p.Name));
        foreach (var p in result.Parameters)
        {
            Assert.True(p.Lower <= p.Median && p.Median <= p.Upper, $"{p}");
            Assert.True(p.StandardError > 0, $"{p}");
            // Percentile intervals of a 0.2%-noise fit sit near the estimate (within ten standard errors).
            Assert.True(Math.Abs(p.Median - p.Estimate) < 10 * p.StandardError, $"{p}");
        }
    }

    [Fact]
    public void Runs_scheme_needs_four_curves_and_bad_settings_are_refused()
    {
        var three = SyntheticCurves.Tissue(3, 2e-3, 1);
        var e = Assert.Throws<ArgumentException>(() => LawBootstrap.Run(Tissue, three, new BootstrapOptions { Scheme = BootstrapScheme.Runs, Replicates = 5 }));
        Assert.Contains("at least 4 curves", e.Message, StringComparison.Ordinal);
        Assert.Equal(BootstrapScheme.Blocks, LawBootstrap.DefaultScheme(3));
        Assert.Equal(BootstrapScheme.Runs, LawBootstrap.DefaultScheme(4));
        Assert.Throws<ArgumentException>(() => LawBootstrap.Run(Tissue, three, new BootstrapOptions { Replicates = 0 }));
        Assert.Throws<ArgumentException>(() => LawBootstrap.Run(Tissue, three, new BootstrapOptions { Replicates = 5, Level = 1 }));
        Assert.Throws<ArgumentException>(() => LawBootstrap.Run(Tissue, three, new BootstrapOptions { Replicates = 5, BlockLength = 0 }));
        Assert.Throws<ArgumentException>(() => LawBootstrap.Run(Tissue, [], new BootstrapOptions { Replicates = 5 }));
    }

    [Fact]
    public void Warm_start_refit_needs_a_start()
    {
        var data = SyntheticCurves.Tissue(1, 2e-3, 1);
        Assert.Throws<ArgumentException>(() => LawFitter.Fit(Tissue, data, new FitOptions { UseLawStartingPoints = false }));
        var full = LawFitter.Fit(Tissue, data);
        var warm = LawFitter.Fit(Tissue, data, new FitOptions { UseLawStartingPoints = false, Starts = [full.Parameters] });
        Assert.True(warm.Evaluations < full.Evaluations, $"warm {warm.Evaluations} vs full {full.Evaluations} evaluations");
        Assert.True(warm.Objective <= full.Objective * (1 + 1e-9));
    }

    [Fact]
    public void Block_length_is_the_cube_root_rounded_up()
    {
        Assert.Equal(5, LawBootstrap.BlockLength(95));
        Assert.Equal(6, LawBootstrap.BlockLength(170));
        Assert.Equal(9, LawBootstrap.BlockLength(545));
        Assert.Equal(2, LawBootstrap.BlockLength(8));
        Assert.Equal(1, LawBootstrap.BlockLength(1));
        Assert.Equal(3, LawBootstrap.BlockLength(95, 3));
        Assert.Equal(10, LawBootstrap.BlockLength(10, 50));
    }

    [Fact]
    public void Circular_blocks_are_runs_of_consecutive_indices_that_fill_the_curve()
    {
        var gen = from n in Gen.Int[1, 300] from length in Gen.Int[1, 20] from seed in Gen.ULong select (n, length, seed);
        Property.ForAll(gen, c =>
        {
            var rng = new SplitMix64(c.seed);
            int length = LawBootstrap.BlockLength(c.n, c.length);
            var order = LawBootstrap.CircularBlocks(c.n, length, ref rng);
            Assert.Equal(c.n, order.Length);
            Assert.All(order, i => Assert.InRange(i, 0, c.n - 1));
            // Inside each block of `length` positions, each index follows the previous one (mod n).
            for (int i = 1; i < order.Length; i++)
                if (i % length != 0) Assert.Equal((order[i - 1] + 1) % c.n, order[i]);
        });
    }

    [Fact]
    public void Layers_hold_every_point_as_often_as_it_was_drawn_in_ascending_steps()
    {
        var curve = SyntheticCurves.Tissue(1, 2e-3, 2)[0];
        var gen = Gen.Int[0, 4].Array[curve.Steps.Length].Where(c => c.Any(x => x > 0));
        Property.ForAll(gen, counts =>
        {
            var layers = LawBootstrap.Layers(curve, counts).ToList();
            foreach (var layer in layers)
            {
                layer.Validate();   // distinct ascending steps within the history
                Assert.Same(curve.History, layer.History);
            }
            for (int i = 0; i < counts.Length; i++)
                Assert.Equal(counts[i], layers.Count(l => Array.IndexOf(l.Steps, curve.Steps[i]) is var k && k >= 0 && l.Loss[k] == curve.Loss[i]));
        }, iterations: 100);
    }

    [Fact]
    public void A_curve_drawn_twice_over_fits_like_the_curve()
    {
        // Every point twice = two identical layers: the mean objective, hence the optimum, is unchanged.
        var curve = SyntheticCurves.Tissue(1, 2e-3, 4)[0];
        var once = LawFitter.Fit(Tissue, [curve]);
        var twice = LawFitter.Fit(Tissue, [.. LawBootstrap.Layers(curve, [.. curve.Steps.Select(_ => 2)])]);
        for (int j = 0; j < once.Parameters.Length; j++) Property.Near(once.Parameters[j], twice.Parameters[j], 1e-6, Tissue.ParameterNames[j]);
        Property.Near(once.Objective, twice.Objective, 1e-9, "objective");
    }

    [Fact]
    public void Quantiles_follow_type_7()
    {
        // R: quantile(c(1, 2, 3, 4), c(0, 0.25, 0.5, 0.9, 1)) = 1, 1.75, 2.5, 3.7, 4.
        double[] x = [1, 2, 3, 4];
        Assert.Equal(1, Quantile.OfSorted(x, 0));
        Assert.Equal(1.75, Quantile.OfSorted(x, 0.25), 12);
        Assert.Equal(2.5, Quantile.OfSorted(x, 0.5), 12);
        Assert.Equal(3.7, Quantile.OfSorted(x, 0.9), 12);
        Assert.Equal(4, Quantile.OfSorted(x, 1));
        Assert.Equal(Math.Sqrt(5.0 / 3), Quantile.StandardDeviation(x), 12);
        Assert.True(double.IsNaN(Quantile.OfSorted([], 0.5)));
    }
}
