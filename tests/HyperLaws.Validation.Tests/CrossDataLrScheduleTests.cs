using HyperLaws.Readers;
using HyperLaws.Runs;
using HyperLaws.Tests;
using HyperLaws.Validation;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 17's loader and procedure on two real runs of its source (github.com/fabian-sp/lr-scheduling, MIT; the reader tests'
/// TestData/horizon_transfer): a 124M WSD run of 50,000 steps and its two-stage extension to 100,000 steps, resumed from its
/// checkpoint 40,000, listed in a manifest as benchmarks/foreign-runs-lrsched/manifest.json lists them (no schedule: the reader
/// rebuilds the LRs from each config). The 88 runs themselves are not in the repository; the protocol runs behind
/// <c>hyperlaws validate --protocol 17</c>.
/// </summary>
public sealed class CrossDataLrScheduleTests : IDisposable
{
    private const string Short = "slimpajama_chunk1_llama_norm_nlayers12_nhead12_lr0.001_sched_wsd_warmup300_decay_linear_0.2_iter50000_bs50x2_ws2_seed0_data_seed1337.json";
    private const string Long = "extend-50k_slimpajama_chunk1_llama_norm_nlayers12_nhead12_lr0.001_sched_wsd_twostage_warmup300_decay_linear_0.2_iter100000_bs50x2_ws2_seed0_data_seed1337.json";

    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "TestData", "horizon_transfer");

    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private void Folder(string pairs)
    {
        foreach (string f in new[] { Short, Long }) File.Copy(Path.Combine(Fixture, f), _tmp.Combine(f));
        File.WriteAllText(_tmp.Combine(CrossData.ManifestName), $$"""
            {"runs": [{"set": "sp-124m-ext", "run": "wsd-50k", "file": "{{Short}}"},
                      {"set": "sp-124m-ext", "run": "wsd2-100k", "file": "{{Long}}"}],
             "horizonTransfers": {{pairs}}}
            """);
    }

    [Fact]
    public void Each_run_ends_at_its_last_validation_loss_with_the_schedules_lrs_up_to_it()
    {
        Folder("""[{"from": "wsd-50k", "to": "wsd2-100k"}]""");
        var (runs, pairs) = CrossDataLrSchedule.Load(_tmp.Path);
        Assert.Equal([("wsd-50k", "wsd2-100k")], pairs);
        foreach (var r in runs)
        {
            var full = RunReader.Read(_tmp.Combine(r.Name == "wsd-50k" ? Short : Long));
            int lastVal = full.Split(LossSplit.Validation).Max(o => o.Step);
            // llm-baselines evaluates every 200 steps below the run's length: the last one is 200 steps before its end.
            Assert.Equal(full.Steps - 200, lastVal);
            Assert.Equal(lastVal, r.Run.Steps);
            Assert.Equal(full.LearningRates[..lastVal], r.Run.LearningRates);
            Assert.All(r.Run.Observations, o => Assert.True(o.Step <= lastVal));
            Assert.Equal(full.Observations.Count(o => o.Step <= lastVal), r.Run.Observations.Count);
            Assert.Contains(full.Observations, o => o.Step > lastVal && o.Split == LossSplit.Train); // a train loss after it was dropped
        }
    }

    [Fact]
    public void Protocol_17r_groups_by_set_and_horizon_and_leaves_out_a_group_of_one_run()
    {
        Folder("[]");
        var (runs, _) = CrossDataLrSchedule.Load(_tmp.Path);
        var groups = LrScheduleRanking.Groups(runs);
        // Same set, horizons 50,000 and 100,000 (config.iterations, not the cut S): two groups of one run each.
        Assert.Equal(["sp-124m-ext S=100000", "sp-124m-ext S=50000"], groups.Select(g => g.Key));
        Assert.All(groups, g => Assert.Single(g.Runs));
        var result = LrScheduleRanking.Run(runs);
        Assert.Empty(result.Groups);
        Assert.Equal(["sp-124m-ext S=100000", "sp-124m-ext S=50000"], result.LeftOut);
        Assert.Equal(LrScheduleRanking.Rankers.Count * (1 + LrScheduleRanking.Fractions.Count), result.Scores.Count);
        Assert.All(result.Scores, s => Assert.Equal(0, s.Pairs));
        Assert.Equal(["optlaw", "mpl-g1", "tissue", "joint-pooled-p", "ensemble", "ensemble-borda", "ensemble-w",
            "optlaw-a", "mpl-g1-a", "tissue-a", "joint-pooled-p-a", "ensemble-a", "ensemble-lr"], LrScheduleRanking.Rankers);
    }

    [Fact]
    public void The_first_half_and_the_horizon_pair_are_scored_at_the_last_validation_loss()
    {
        Folder("""[{"from": "wsd-50k", "to": "wsd2-100k"}]""");
        var (runs, pairs) = CrossDataLrSchedule.Load(_tmp.Path);
        var result = CrossDataLrSchedule.Run(runs, pairs, ["convex"]);
        var shortRun = runs.Single(r => r.Name == "wsd-50k").Run;
        var longRun = runs.Single(r => r.Name == "wsd2-100k").Run;
        var shortVal = shortRun.Split(LossSplit.Validation).ToList();
        var longVal = longRun.Split(LossSplit.Validation).ToList();

        // 17a: fitted on the validation losses at steps <= S/2 (S = 49,800 and 99,800), the last of them held flat by the baseline.
        var last = result.FirstHalf.Single(p => p.Law == CrossData.Baseline && p.Run == "wsd-50k");
        var half = shortVal.Where(o => o.Step <= 49_800 / 2).ToList();
        Assert.Equal((half.Count, 49_800, half[^1].Loss, shortVal[^1].Loss), (last.Points, last.Step, last.Predicted, last.Actual));
        Assert.Equal(2, result.FirstHalf.Count(p => p.Law == "convex"));

        // 17b: fitted on the whole shorter curve, the longer run's last validation loss predicted at its last step.
        var baseline = result.Horizon.Single(p => p.Law == CrossData.Baseline);
        Assert.Equal(("wsd-50k", "wsd2-100k", shortVal.Count, 99_800), (baseline.FittedOn, baseline.Run, baseline.Points, baseline.Step));
        Assert.Equal((shortVal[^1].Loss, longVal[^1].Loss), (baseline.Predicted, baseline.Actual));
        var law = result.Horizon.Single(p => p.Law == "convex");
        Assert.Null(law.Failure);
        Assert.True(double.IsFinite(law.Predicted) && law.Predicted > 0);
        Assert.Equal(longVal[^1].Loss, law.Actual);
    }

    [Fact]
    public void A_pair_that_names_no_listed_run_is_an_error_naming_the_pair()
    {
        Folder("""[{"from": "wsd-50k", "to": "wsd-200k"}]""");
        var e = Assert.Throws<ValidationDataException>(() => CrossDataLrSchedule.Load(_tmp.Path));
        Assert.Contains("horizonTransfers[0]: no run named 'wsd-200k'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_manifest_names_protocol_17s_fetch_script()
    {
        var e = Assert.Throws<ValidationDataException>(() => CrossDataLrSchedule.Load(_tmp.Path));
        Assert.Contains(CrossDataLrSchedule.FetchScript, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_ends_at_its_last_validation_loss_or_has_none_is_kept()
    {
        var meta = new RunMetadata("r");
        var ends = new TrainingRun(meta, [0.1, 0.2, 0.3], [new(2, 6, LossSplit.Train), new(3, 5, LossSplit.Validation)]);
        Assert.Same(ends, CrossDataLrSchedule.EndAtLastValidation(ends));
        var none = new TrainingRun(meta, [0.1, 0.2, 0.3], [new(3, 5, LossSplit.Train)]);
        Assert.Same(none, CrossDataLrSchedule.EndAtLastValidation(none));
        var longer = new TrainingRun(meta, [0.1, 0.2, 0.3, 0.4], [new(1, 6, LossSplit.Validation), new(2, 5.5, LossSplit.Validation), new(3, 5, LossSplit.Train)]);
        var cut = CrossDataLrSchedule.EndAtLastValidation(longer);
        Assert.Equal([0.1, 0.2], cut.LearningRates);
        Assert.Equal(2, cut.Observations.Count);
    }
}
