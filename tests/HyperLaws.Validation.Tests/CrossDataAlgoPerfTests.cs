using System.Globalization;
using HyperLaws.Runs;
using HyperLaws.Tests;
using HyperLaws.Validation;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 15's loader on a hand-made AlgoPerf-format run (the real logs are not in the repository; the protocol runs behind
/// <c>hyperlaws validate --protocol 15</c>): the evaluation of the initial model (global_step 1, after an update at LR 0) is left
/// out, everything else is protocol 14's procedure.
/// </summary>
public sealed class CrossDataAlgoPerfTests : IDisposable
{
    private const string Header = "accumulated_eval_time,accumulated_logging_time,accumulated_submission_time,global_step,preemption_count,score,test/loss,test/num_examples,total_duration,train/loss,validation/loss,validation/num_examples";
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    /// <summary>An AlgoPerf eval log: the initial model's loss 11 at global_step 1, then 3 + 5 / sqrt(s) every 100 steps to <paramref name="last"/>.</summary>
    private void Log(string file, int last)
    {
        var lines = new List<string> { Header, "1.0,0.0,1.0,1,0,1.0,11.0,10,2.0,11.0,11.0,10" };
        for (int s = 100; s <= last; s += 100)
        {
            string loss = (3 + 5 / Math.Sqrt(s)).ToString("R", CultureInfo.InvariantCulture);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"1.0,0.0,1.0,{s},0,1.0,{loss},10,2.0,{loss},{loss},10"));
        }
        File.WriteAllLines(_tmp.Combine(file), lines);
    }

    [Fact]
    public void The_initial_model_evaluation_is_left_out_and_the_rest_is_protocol_14a()
    {
        // The run stopped at step 1900 (its time budget) of a 2,400-step schedule whose update 1 runs at LR 0 (offset 1).
        Log("w-t1.csv", 1900);
        File.WriteAllText(_tmp.Combine(CrossData.ManifestName), """
            {"horizonTransfer": {"from": "w-t1", "to": "w-t1"},
             "runs": [{"set": "w", "run": "w-t1", "file": "w-t1.csv", "schedule": "cosine(peak=0.001,steps=2400,warmup=100,offset=1)"}]}
            """);
        var read = CrossData.Load(_tmp.Path).Runs.Single().Run;
        Assert.Equal(0, read.LearningRates[0]);
        // The evaluation at step 1 follows only the update at LR 0: the reader leaves it out (RunAssembly, tag untrainedObservations).
        Assert.Equal(100, read.Split(LossSplit.Validation).First().Step);
        Assert.True(read.Metadata.Tags.ContainsKey("untrainedObservations"));

        var runs = CrossDataAlgoPerf.Load(_tmp.Path);
        var run = Assert.Single(runs).Run;
        Assert.Equal(1900, run.Steps);
        Assert.Equal(Enumerable.Range(1, 19).Select(k => 100 * k), run.Split(LossSplit.Validation).Select(o => o.Step));
        Assert.Equal(Enumerable.Range(1, 19).Select(k => 100 * k), run.Split(LossSplit.Train).Select(o => o.Step));

        var result = CrossDataAlgoPerf.Run(runs, ["tissue"]);
        Assert.Empty(result.Horizon); // no 15b, whatever the manifest says
        var last = result.FirstHalf.Single(p => p.Law == CrossData.Baseline);
        // Fitted on steps 100..900 (<= 1900 / 2): 9 points, the last one held flat; scored at step 1900.
        Assert.Equal((9, 1900), (last.Points, last.Step));
        Assert.Equal(3 + 5 / Math.Sqrt(900), last.Predicted, 15);
        Assert.Equal(3 + 5 / Math.Sqrt(1900), last.Actual, 15);
        Assert.Equal(9, result.FirstHalf.Single(p => p.Law == "tissue").Points);
    }

    [Fact]
    public void A_missing_manifest_or_log_names_protocol_15s_fetch_script()
    {
        var e = Assert.Throws<ValidationDataException>(() => CrossDataAlgoPerf.Load(_tmp.Path));
        Assert.Contains("benchmarks/foreign-runs-algoperf/fetch.sh", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("benchmarks/foreign-runs/fetch.sh", e.Message, StringComparison.Ordinal);
        File.WriteAllText(_tmp.Combine(CrossData.ManifestName), """{"runs": [{"set": "w", "run": "w-t1", "file": "w-t1.csv"}]}""");
        e = Assert.Throws<ValidationDataException>(() => CrossDataAlgoPerf.Load(_tmp.Path));
        Assert.Contains("w-t1.csv not found (run benchmarks/foreign-runs-algoperf/fetch.sh)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trained_drops_only_observations_before_the_first_nonzero_lr()
    {
        var meta = new RunMetadata("r");
        LossObservation[] obs = [new(1, 9, LossSplit.Validation), new(3, 8, LossSplit.Train), new(4, 7, LossSplit.Validation), new(6, 6, LossSplit.Validation)];
        var late = new TrainingRun(meta, [0, 0, 0, 0.1, 0.2, 0.2], obs);
        Assert.Equal([4, 6], CrossDataAlgoPerf.Trained(late).Observations.Select(o => o.Step));
        var moving = new TrainingRun(meta, [0.1, 0.2, 0.2, 0.2, 0.2, 0.2], obs);
        Assert.Same(moving, CrossDataAlgoPerf.Trained(moving));
        Assert.Empty(CrossDataAlgoPerf.Trained(new TrainingRun(meta, [0, 0, 0, 0, 0, 0], obs)).Observations);
    }
}
