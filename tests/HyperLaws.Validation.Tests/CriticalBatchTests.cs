using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>Protocol 5 (critical batch): the steps-batch fit on synthetic data and the B_noise exponent on the real data.</summary>
public sealed class CriticalBatchTests
{
    private static readonly double[] Batches = [32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4194304, 8388608];

    [Theory]
    [InlineData(1500, 1.2e6)]
    [InlineData(4000, 6e5)]
    [InlineData(900, 3e6)]
    public void Recovers_a_synthetic_SMin_and_BNoise(double sMin, double bNoise)
    {
        // S(B) = S_min (1 + B_noise / B) with a deterministic +-3% wiggle in S.
        var steps = Batches.Select((b, i) => sMin * (1 + bNoise / b) * (1 + 0.03 * Math.Sin(1.7 * i))).ToList();
        var (s, bn, rms) = CriticalBatch.FitStepsBatch(Batches, steps);
        Assert.InRange(s / sMin, 0.95, 1.05);
        Assert.InRange(bn / bNoise, 0.93, 1.07);
        Assert.InRange(rms, 0.005, 0.03);
        // Exact data is fitted exactly.
        var exact = CriticalBatch.FitStepsBatch(Batches, Batches.Select(b => sMin * (1 + bNoise / b)).ToList());
        Assert.Equal(1, exact.SMin / sMin, 6);
        Assert.Equal(1, exact.BNoise / bNoise, 6);
    }

    [Fact]
    public void Recovers_a_synthetic_size_exponent()
    {
        // Five sizes with B_noise = 2e6 (N / 3e8)^0.5 and S_min = 2000 (N / 3e8)^0.4, exact S(B).
        double[] sizes = [8.5e7, 1.51e8, 3.02e8, 6.04e8, 1.2e9];
        var runs = sizes.SelectMany(n => Batches.Select(b =>
        {
            double bn = 2e6 * Math.Pow(n / 3e8, 0.5), s = 2000 * Math.Pow(n / 3e8, 0.4);
            return new BatchRun(n.ToString("G3", System.Globalization.CultureInfo.InvariantCulture), n, b, s * (1 + bn / b), 3.0, 20 * n);
        })).ToList();
        var result = CriticalBatch.Run(runs);
        Assert.Equal(0.5, result.InSize.Exponent, 4);
        Assert.Equal(0.4, result.SMinInSize.Exponent, 4);
        Assert.Equal(0.5, result.InHorizon.Exponent, 4);
    }

    [Fact]
    public void Real_data_gives_a_BNoise_exponent_near_0_62()
    {
        var runs = CriticalBatch.Load(HyperLaws.Tests.DataFolders.Shared);
        Assert.Equal(45, runs.Count);
        var result = CriticalBatch.Run(runs);
        Assert.Equal(5, result.Sizes.Count);
        // Measured: 0.619 with standard error 0.030 (5 sizes); the paper's data gives about 0.62.
        Assert.InRange(result.InSize.Exponent, 0.62 - 0.03, 0.62 + 0.03);
        Assert.InRange(result.InSize.Exponent, result.JackknifeMin, result.JackknifeMax);
        Assert.True(result.InSize.RSquared > 0.98, $"R^2 {result.InSize.RSquared}");
        // The per-size fits follow the data to within about 6% in S.
        Assert.All(result.Sizes, s => Assert.InRange(s.RmsLogError, 0, 0.06));
        // B_noise grows faster than the sqrt(T) of the LMO theory's b*: the gap is more than its standard error.
        Assert.True(result.InHorizon.Exponent - 0.5 > result.InHorizon.ExponentStandardError);
    }

    [Fact]
    public void Missing_data_names_the_file()
    {
        var e = Assert.Throws<ValidationDataException>(() => CriticalBatch.Load(Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N"))));
        Assert.Contains("cbs_steps_to_target_loss.csv", e.Message, StringComparison.Ordinal);
    }
}
