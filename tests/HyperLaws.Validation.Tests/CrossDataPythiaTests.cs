using System.Globalization;
using HyperLaws.Runs;
using HyperLaws.Tests;
using HyperLaws.Validation;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 16's loader on a hand-made run in the form benchmarks/foreign-runs-pythia/fetch.sh writes (a generic run file of
/// window means at the windows' middle steps, the schedule's full length; the real curves are not in the repository, the
/// protocol runs behind <c>hyperlaws validate --protocol 16</c>): each run ends at its last observation, the rest is protocol
/// 14a's procedure.
/// </summary>
public sealed class CrossDataPythiaTests : IDisposable
{
    private const string Spec = "cosine(peak=0.001,steps=14300,warmup=143,floor=0.0001,offset=1)";
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    /// <summary>Window means 3 + 5 / sqrt(s) at s = 100 j + 49, j = 1..142, as fetch.sh writes them (windows of 100 here).</summary>
    private void Run(string file)
    {
        var lines = new List<string> { "# name: p-seed1", $"# schedule: {Spec}", "step,loss,split" };
        for (int j = 1; j < 143; j++)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{100 * j + 49},{3 + 5 / Math.Sqrt(100 * j + 49):R},val"));
        File.WriteAllLines(_tmp.Combine(file), lines);
        File.WriteAllText(_tmp.Combine(CrossData.ManifestName),
            $$"""{"runs": [{"set": "p", "run": "p-seed1", "file": "{{file}}", "schedule": "{{Spec}}"}]}""");
    }

    [Fact]
    public void Each_run_ends_at_its_last_window_and_the_rest_is_protocol_14a()
    {
        Run("p-seed1.csv");
        var full = CrossData.Load(_tmp.Path).Runs.Single().Run;
        Assert.Equal(14300, full.Steps);

        var runs = CrossDataPythia.Load(_tmp.Path);
        var run = Assert.Single(runs).Run;
        Assert.Equal(14249, run.Steps);
        Assert.Equal(full.LearningRates[..14249], run.LearningRates);

        var result = CrossDataPythia.Run(runs, ["tissue"]);
        Assert.Empty(result.Horizon);
        var last = result.FirstHalf.Single(p => p.Law == CrossData.Baseline);
        // Fitted on the means at steps <= 14249 / 2 = 7124: 149, 249, ..., 7049 (70 points), the last one held flat; scored at 14249.
        Assert.Equal((70, 14249), (last.Points, last.Step));
        Assert.Equal(3 + 5 / Math.Sqrt(7049), last.Predicted, 15);
        Assert.Equal(3 + 5 / Math.Sqrt(14249), last.Actual, 15);
    }

    [Fact]
    public void A_run_that_already_ends_at_its_last_observation_or_has_none_is_kept()
    {
        var meta = new RunMetadata("r");
        var ends = new TrainingRun(meta, [0.1, 0.2, 0.3], [new(3, 5, LossSplit.Validation)]);
        Assert.Same(ends, CrossDataPythia.EndAtLastObservation(ends));
        var none = new TrainingRun(meta, [0.1, 0.2, 0.3], []);
        Assert.Same(none, CrossDataPythia.EndAtLastObservation(none));
        var longer = new TrainingRun(meta, [0.1, 0.2, 0.3, 0.4], [new(1, 6, LossSplit.Train), new(2, 5, LossSplit.Validation)]);
        Assert.Equal([0.1, 0.2], CrossDataPythia.EndAtLastObservation(longer).LearningRates);
    }

    [Fact]
    public void A_missing_manifest_names_protocol_16s_fetch_script()
    {
        var e = Assert.Throws<ValidationDataException>(() => CrossDataPythia.Load(_tmp.Path));
        Assert.Contains("benchmarks/foreign-runs-pythia/fetch.sh", e.Message, StringComparison.Ordinal);
    }
}
