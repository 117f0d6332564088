using System.Globalization;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

public class MplCsvReaderTests
{
    private static IEnumerable<string> Files() =>
        new[] { "25", "100", "400" }.SelectMany(s => Directory.EnumerateFiles(DataFolder.Combine("MultiPowerLaw", "loss_curve_repo", $"csv_{s}"), "*.csv"));

    [Fact]
    public void All27CurvesReadWithTheFilesLrsAndTheWarmupRamp()
    {
        var files = Files().ToList();
        Assert.Equal(27, files.Count);
        foreach (var f in files)
        {
            var run = RunReader.Read(f);
            Assert.False(run.Diverged, f);
            Assert.Equal(MplCsvReader.Peak, run.LearningRates[MplCsvReader.Warmup - 1]);
            for (int t = 1; t <= MplCsvReader.Warmup; t++)
                Assert.Equal(3e-4 * t / 2160, run.LearningRates[t - 1], 15);
            // The LR at every logged step equals the file's lr column (to 1e-12 relative).
            var lines = File.ReadAllLines(f).Skip(1).Where(l => l.Length > 0).ToList();
            Assert.Equal(lines.Count, run.Observations.Count);
            foreach (var line in lines)
            {
                var p = line.Split(',');
                int step = int.Parse(p[0], CultureInfo.InvariantCulture);
                double lr = double.Parse(p[1], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(run.LearningRates[step - 1] - lr) <= 1e-12 * lr, $"{f} step {step}: {run.LearningRates[step - 1]} vs {lr}");
            }
            Assert.NotNull(run.Metadata.Parameters);
            Assert.Equal(run.Metadata.Tags["size"], $"{run.Metadata.Parameters / 1e6}M");
        }
    }

    [Fact]
    public void ScheduleLengthsAndFamilies()
    {
        var dir = DataFolder.Combine("MultiPowerLaw", "loss_curve_repo", "csv_100");
        var wsdcon = RunReader.Read(Path.Combine(dir, "wsdcon_9.csv"));
        Assert.Equal(16000, wsdcon.Steps);
        Assert.Equal(3e-4, wsdcon.LearningRates[7998]);
        Assert.Equal(9e-5, wsdcon.LearningRates[7999], 15); // step 8000 logs the dropped LR
        Assert.Equal("wsdcon", wsdcon.Metadata.Tags["family"]);
        var cos = RunReader.Read(Path.Combine(dir, "cosine_72000.csv"));
        Assert.Equal(72000, cos.Steps);
        Assert.Equal(3e-5, cos.LearningRates[^1], 15);
        var wsd = RunReader.Read(Path.Combine(dir, "wsd_20000_24000.csv"));
        Assert.Equal(3e-5, wsd.LearningRates[^1], 15);
        Assert.Equal(3e-4, wsd.LearningRates[19999], 15);
        Assert.Equal("wsd(peak=0.0003,warmup=2160,steps=24000,cooldownSteps=4000,shape=exp,floor=3E-05)", wsd.Metadata.Schedule);
        Assert.Equal(100e6, wsd.Metadata.Parameters);
    }

    [Fact]
    public void AWrongScheduleIsCaughtAtTheFirstDisagreeingStep()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(Path.Combine(tmp.Path, "csv_25"));
        string f = Path.Combine(tmp.Path, "csv_25", "cosine_24000.csv");
        File.WriteAllText(f, "step,lr,loss\n2160,0.0003,4.1\n2288,0.00025,4.0\n");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.StartsWith($"{f}:3:", e.Message);
        Assert.Contains("step 2288", e.Message);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("step,loss\n2160,4.1\n", "missing column lr")]
    [InlineData("step,lr,loss\n2160,0.0003\n", "expected 3 fields")]
    [InlineData("step,lr,loss\n2160,0.0003,4.1\n2160,0.0003,4.0\n", "duplicated")]
    [InlineData("step,lr,loss\n2288,0.0003,4.1\n2160,0.0003,4.0\n", "not sorted")]
    [InlineData("step,lr,loss\n2160,-0.0003,4.1\n", "negative")]
    [InlineData("step,lr,loss\n2160,0.0003,nan\n", "before any finite loss")]
    [InlineData("step,lr,loss\n2000000000,0.0003,4.1\n", "absurdly large")]
    [InlineData("step,lr,loss\n", "no data rows")]
    public void BadInputNamesTheFileAndLine(string content, string problem)
    {
        using var tmp = new TempDir();
        string f = tmp.File("constant_24000.csv", content);
        var e = Assert.Throws<RunFormatException>(() => MplCsvReader.Read(f));
        Assert.StartsWith(f + ":", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void ModelSizeMustBePositive()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(Path.Combine(tmp.Path, "csv_0"));
        string f = Path.Combine(tmp.Path, "csv_0", "constant_24000.csv");
        File.WriteAllText(f, "step,lr,loss\n2176,0.0003,4.1\n");
        var e = Assert.Throws<RunFormatException>(() => MplCsvReader.Read(f));
        Assert.Contains("not positive", e.Message);
    }
}
