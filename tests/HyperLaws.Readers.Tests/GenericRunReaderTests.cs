using System.Globalization;
using System.Text;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

public class GenericRunReaderTests
{
    private const string Cosine = "cosine(peak=0.001,warmup=10,steps=100,floor=0.0001)";

    private static string Csv(Func<int, bool> logLr, bool metadata = true)
    {
        var lrs = ScheduleSpecs.Evaluate(Cosine);
        var sb = new StringBuilder();
        if (metadata)
        {
            sb.Append("# name: tiny\n# params: 1.5e6\n# tokens_per_step: 4096\n# dataset: toy\n# plain comment without key\n");
            sb.Append($"# schedule: {Cosine}\n");
        }
        sb.Append("step,loss,lr,split\n");
        for (int s = 1; s <= 100; s++)
        {
            string lr = logLr(s) ? lrs[s - 1].ToString("R", CultureInfo.InvariantCulture) : "";
            sb.Append(CultureInfo.InvariantCulture, $"{s},{5.0 / Math.Sqrt(s)},{lr},train\n");
            if (s % 25 == 0) sb.Append(CultureInfo.InvariantCulture, $"{s},{5.1 / Math.Sqrt(s)},{lr},val\n");
        }
        return sb.ToString();
    }

    [Fact]
    public void CsvRoundTripWithEveryLr()
    {
        using var tmp = new TempDir();
        var run = RunReader.Read(tmp.File("run.csv", Csv(_ => true, metadata: false)));
        Assert.Equal(100, run.Steps);
        Assert.Equal(ScheduleSpecs.Evaluate(Cosine), run.LearningRates);
        Assert.Equal(104, run.Observations.Count);
        Assert.Equal(4, run.Split(LossSplit.Validation).Count());
        Assert.Equal(5.0 / 10, run.Final()!.Value.Loss, 15);
        Assert.Null(run.Metadata.Schedule);
    }

    [Fact]
    public void CsvWithSomeLrsAndASchedule()
    {
        using var tmp = new TempDir();
        var run = RunReader.Read(tmp.File("run.csv", Csv(s => s % 10 == 0)));
        Assert.Equal("tiny", run.Name);
        Assert.Equal(1.5e6, run.Metadata.Parameters);
        Assert.Equal(4096 * 100, run.Metadata.TotalTokens);
        Assert.Equal("toy", run.Metadata.Tags["dataset"]);
        Assert.Equal(Cosine, run.Metadata.Schedule);
        Assert.Equal(HyperLaws.Schedules.LrSchedule.Parse(Cosine).Evaluate(), run.LearningRates);
        Assert.False(run.Diverged);
    }

    [Fact]
    public void JsonlRoundTrip()
    {
        using var tmp = new TempDir();
        var lrs = ScheduleSpecs.Evaluate(Cosine);
        var sb = new StringBuilder($"{{\"meta\": {{\"name\": \"j\", \"params\": 2e6, \"schedule\": \"{Cosine}\"}}}}\n");
        for (int s = 1; s <= 100; s += 3)
            sb.Append(CultureInfo.InvariantCulture, $"{{\"step\": {s}, \"loss\": {4.0 / s}, \"lr\": {lrs[s - 1].ToString("R", CultureInfo.InvariantCulture)}, \"split\": \"train\"}}\n");
        sb.Append("{\"step\": 100, \"loss\": 0.05, \"split\": \"val\"}\n\n");
        var run = RunReader.Read(tmp.File("run.jsonl", sb.ToString()));
        Assert.Equal("j", run.Name);
        Assert.Equal(2e6, run.Metadata.Parameters);
        Assert.Equal(100, run.Steps);
        Assert.Equal(35, run.Observations.Count);
        Assert.Equal(0.05, run.Final(LossSplit.Validation)!.Value.Loss);
    }

    [Fact]
    public void NonFiniteTailIsDivergenceNotAnError()
    {
        using var tmp = new TempDir();
        string f = tmp.File("run.csv", "step,loss,lr\n1,5,0.1\n2,4,0.1\n3,nan,0.1\n4,inf,0.1\n5,9,0.1\n");
        var run = RunReader.Read(f);
        Assert.True(run.Diverged);
        Assert.Equal("3", run.Metadata.Tags["divergedAt"]);
        Assert.Equal([1, 2, 5], run.Observations.Select(o => o.Step));
        var exploded = RunReader.Read(tmp.File("run2.csv", "step,loss,lr\n1,5,0.1\n2,4,0.1\n3,3,0.1\n4,4.6,0.1\n"));
        Assert.True(exploded.Diverged);
        Assert.Equal("4", exploded.Metadata.Tags["divergedAt"]);
    }

    [Theory]
    [InlineData("run.csv", "", "empty")]
    [InlineData("run.csv", "step,lr\n1,0.1\n", "missing column loss")]
    [InlineData("run.csv", "step,loss,lr\n1,5,0.1\n2,4\n", "expected 3 fields")]
    [InlineData("run.csv", "step,loss,lr\n1,5,0.1\n1,4,0.1\n", "step 1 is duplicated")]
    [InlineData("run.csv", "step,loss,lr\n2,5,0.1\n1,4,0.1\n", "not sorted")]
    [InlineData("run.csv", "step,loss,lr\n1,5,-0.1\n", "negative")]
    [InlineData("run.csv", "step,loss,lr\n1,nan,0.1\n", "before any finite loss")]
    [InlineData("run.csv", "step,loss,lr\n1,-inf,0.1\n", "before any finite loss")]
    [InlineData("run.csv", "step,loss,lr\n1,5,0.1\n2000000000,4,0.1\n", "absurdly large")]
    [InlineData("run.csv", "step,loss,lr\n0,5,0.1\n", "out of range")]
    [InlineData("run.csv", "step,loss\n1,5\n2,4\n", "no learning rates")]
    [InlineData("run.csv", "step,loss,lr\n1,5,0.1\n3,4,0.1\n", "first missing: step 2")]
    [InlineData("run.csv", "# params: -3\nstep,loss,lr\n1,5,0.1\n", "params must be a positive number")]
    [InlineData("run.csv", "# schedule: cosine(peak=0.1,warmup=0,steps=3)\nstep,loss,lr\n1,5,0.1\n3,4,0.1\n", "disagrees with the schedule")]
    [InlineData("run.csv", "# schedule: nonsense(\nstep,loss\n1,5\n", "invalid schedule")]
    [InlineData("run.csv", "# steps: 2\nstep,loss,lr\n1,5,0.1\n2,4,0.1\n3,3,0.1\n", "beyond the run's 2 steps")]
    [InlineData("run.csv", "step,loss,lr,split\n1,5,0.1,bogus\n", "unknown split")]
    [InlineData("run.jsonl", "", "empty")]
    [InlineData("run.jsonl", "{\"step\": 1, \"loss\": 5, \"lr\": 0.1}\n{\"step\": 2, \"loss\"", "invalid or truncated JSON")]
    [InlineData("run.jsonl", "{\"step\": 1, \"lr\": 0.1}\n", "no loss key among the keys seen")]
    [InlineData("run.jsonl", "{\"step\": 1, \"loss\": 5, \"lr\": 0.1}\n{\"meta\": {}}\n", "must be the first line")]
    [InlineData("run.jsonl", "{\"step\": 2, \"loss\": 5, \"lr\": 0.1}\n{\"step\": 1, \"loss\": 4, \"lr\": 0.1}\n", "not sorted")]
    [InlineData("run.jsonl", "{\"step\": 1, \"loss\": NaN, \"lr\": 0.1}\n", "before any finite loss")]
    public void BadInputNamesFileAndLine(string name, string content, string problem)
    {
        using var tmp = new TempDir();
        string f = tmp.File(name, content);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.StartsWith(f + ":", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void ErrorsNameTheLine()
    {
        using var tmp = new TempDir();
        string f = tmp.File("run.csv", "# name: x\nstep,loss,lr\n1,5,0.1\n2,4,0.1\n2,3,0.1\n");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.Equal($"{f}:5: step 2 is duplicated (train).", e.Message);
        Assert.Equal("5", e.Location);
    }
    [Fact]
    public void StreamedCsv_ReadsLongFilesLineByLine_WithTheSameLinesAndErrors()
    {
        // 200,000 rows in blocks larger than the reader's 64k-character buffer: every row kept, CRLF trimmed,
        // line numbers counted across buffer boundaries, a NUL byte still reported as binary.
        using var tmp = new TempDir();
        var sb = new StringBuilder("# name: long\r\nstep,loss,lr\r\n");
        for (int s = 1; s <= 200_000; s++) sb.Append(s).Append(',').Append((5.0 - s * 1e-5).ToString("R", CultureInfo.InvariantCulture)).Append(",0.001\r\n");
        var run = RunReader.Read(tmp.File("long.csv", sb.ToString()));
        Assert.Equal(200_000, run.Observations.Count);
        Assert.Equal(200_000, run.LearningRates.Length);
        Assert.Equal(5.0 - 200_000 * 1e-5, run.Observations[^1].Loss);

        sb.Append("200001,1,0.001,extra\n");
        string bad = tmp.File("bad.csv", sb.ToString());
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(bad));
        Assert.StartsWith($"{bad}:200003: expected 3 fields", e.Message);

        string binary = tmp.File("binary.csv", "step,loss,lr\n1,5\0,0.1\n");
        Assert.Contains("binary", Assert.Throws<RunFormatException>(() => RunReader.Read(binary)).Message);
    }
}
