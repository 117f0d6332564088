using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

public class WandbReaderTests
{
    private static readonly Lazy<RunSet> Main = new(() => WandbReader.ReadDirectory(DataFolder.Combine("lr-scheduling", "data")));
    private static readonly Lazy<RunSet> GradNorm = new(() => WandbReader.ReadDirectory(DataFolder.Combine("lr-scheduling", "data", "grad_norm")));

    private static string Dir => DataFolder.Combine("lr-scheduling", "data");

    [Fact]
    public void EveryExportReads()
    {
        var set = Main.Value;
        Assert.Empty(set.Failures.Select(f => f.Message));
        Assert.Equal(Directory.GetFiles(Dir, "*.json").Length, set.Runs.Count);
        var g = GradNorm.Value;
        Assert.Empty(g.Failures.Select(f => f.Message));
        Assert.Equal(Directory.GetFiles(Path.Combine(Dir, "grad_norm"), "*.json").Length, g.Runs.Count);
        foreach (var r in set.Runs.Concat(g.Runs))
        {
            Assert.Equal(102400, r.Metadata.TokensPerStep);
            Assert.Equal(r.Steps, int.Parse(r.Metadata.Tags["iterations"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains(r.Observations, o => o.Split == LossSplit.Validation);
            Assert.True(r.Observations.Count(o => o.Split == LossSplit.Train) >= r.Steps / 50 - 1, r.Name);
        }
    }

    [Fact]
    public void OnlyTheLr0005CosineRunDiverges()
    {
        var diverged = Main.Value.Runs.Concat(GradNorm.Value.Runs).Where(r => r.Diverged).ToList();
        var run = Assert.Single(diverged);
        Assert.StartsWith("cos-zero-124m", run.Name);
        Assert.Contains("lr0.005", run.Name);
        int at = int.Parse(run.Metadata.Tags["divergedAt"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(at, 1000, 5000);
        Assert.True(run.Final()!.Value.Loss > 7); // kept, with its exploded tail
    }

    [Fact]
    public void CooldownRunsAreStitchedToTheirParents()
    {
        var set = Main.Value;
        var child = set.Runs.Single(r => r.Name == "ann124-0.1_slimpajama_llama_norm_nlayers12_nhead12_lr0.001_sched_wsd_warmup300_decay_linear_0.1_iter25000_bs50x2_ws2_seed0_data_seed1337");
        var parent = set.Runs.Single(r => r.Name == child.Metadata.Tags["branchedFrom"]);
        Assert.StartsWith("stable-124m", parent.Name);
        Assert.Equal("20000", child.Metadata.Tags["branchStep"]);
        Assert.Equal(25000, child.Steps);
        // Before the branch the stitched history is the parent's.
        var before = child.Observations.Where(o => o.Step <= 20000).ToList();
        var parentBefore = parent.Observations.Where(o => o.Step <= 20000).ToList();
        Assert.True(before.Count > 400);
        Assert.Equal(parentBefore, before);
        Assert.Equal(parent.LearningRates.Take(20000), child.LearningRates.Take(20000));
        // After it: the cooldown, linear to 0 over the last 2,500 steps.
        Assert.Equal(0.001, child.LearningRates[22500], 12); // step 22501 = f(22500) = 1
        Assert.Equal(0.0, child.LearningRates[^1] - 0.001 / 2500, 12);
        Assert.Contains(child.Observations, o => o.Step > 24000);
    }

    [Fact]
    public void IterConventionAndWarmup()
    {
        var run = Main.Value.Runs.Single(r => r.Name.StartsWith("stable-124m", StringComparison.Ordinal) && r.Metadata.Tags["lr"] == "0.001");
        // train_lr at iter 50 is 0.000175 = eta_51 = lr (50/300 + (1 - 50/300)/100).
        Assert.Equal(0.000175, run.LearningRates[50], 15);
        Assert.Equal(0.001 / 100, run.LearningRates[0], 15);
        Assert.Equal(49, run.Observations.First(o => o.Split == LossSplit.Train).Step);
        Assert.Equal(200, run.Observations.First(o => o.Split == LossSplit.Validation).Step);
        Assert.True(run.Metadata.Tags.ContainsKey("initialValLoss"));
        Assert.True(run.Metadata.Tags.ContainsKey("finalValLoss"));
        Assert.Equal(123587328, run.Metadata.Parameters);
    }

    [Fact]
    public void AMissingParentIsReportedClearly()
    {
        using var tmp = new TempDir();
        string name = "ann124-0.1_slimpajama_llama_norm_nlayers12_nhead12_lr0.001_sched_wsd_warmup300_decay_linear_0.1_iter25000_bs50x2_ws2_seed0_data_seed1337.json";
        File.Copy(Path.Combine(Dir, name), Path.Combine(tmp.Path, name));
        var set = WandbReader.ReadDirectory(tmp.Path);
        Assert.Empty(set.Runs);
        var e = Assert.Single(set.Failures);
        Assert.Contains("parent run missing", e.Message);
        Assert.Contains("checkpoint 20000", e.Message);
        Assert.StartsWith(Path.Combine(tmp.Path, name) + ":config.resume_from:", e.Message);
        Assert.Throws<RunFormatException>(() => WandbReader.Read(Path.Combine(tmp.Path, name)));
    }

    [Fact]
    public void ResumeConflictsAreResolvedOrRejectedWhenStrict()
    {
        string f = Path.Combine(Dir, "stable-124m_slimpajama_llama_norm_nlayers12_nhead12_lr0.002_sched_wsd_warmup300_decay_linear_0.0_iter50000_bs50x2_ws2_seed0_data_seed1337.json");
        var run = WandbReader.Read(f);
        Assert.Equal("9", run.Metadata.Tags["resumeConflicts"]); // 8 re-run train iters (14050..14400) and 1 validation
        var e = Assert.Throws<RunFormatException>(() => WandbReader.Read(f, new RunReadOptions { StrictDuplicates = true }));
        Assert.Contains("logged more than once with different values", e.Message);
    }

    private const string Config = """
        "config": {"lr": 0.001, "scheduler": "wsd", "iterations": 300, "warmup_steps": 100, "wsd_fract_decay": 0.5,
                   "decay_type": "linear", "wsd_final_lr_scale": 0, "batch_size": 4, "acc_steps": 1, "world_size": 1,
                   "sequence_length": 8, "n_layer": 2, "n_embd": 16}
        """;

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"config\": {\"lr\": 0.001", "invalid or truncated JSON")]
    [InlineData("{" + Config + ", \"history\": {\"train\": {\"iter\": [50, 100], \"train_loss\": [5.0], \"train_lr\": [0.0005, 0.001]}}}", "has 1 entries")]
    [InlineData("{" + Config + ", \"history\": {\"train\": {\"iter\": [50], \"train_lr\": [0.0005]}}}", "missing column 'train_loss'")]
    [InlineData("{" + Config + ", \"history\": {\"train\": {\"iter\": [50], \"train_loss\": [NaN], \"train_lr\": [0.000505]}}}", "before any finite loss")]
    [InlineData("{" + Config + ", \"history\": {\"train\": {\"iter\": [50], \"train_loss\": [5.0], \"train_lr\": [-0.1]}}}", "negative")]
    [InlineData("{" + Config + ", \"history\": {\"train\": {\"iter\": [50], \"train_loss\": [5.0], \"train_lr\": [0.0009]}}}", "disagrees with the wsd schedule")]
    [InlineData("{" + Config + ", \"history\": {\"train\": {\"iter\": [5000], \"train_loss\": [5.0], \"train_lr\": [0.0009]}}}", "beyond config.iterations")]
    [InlineData("{\"config\": {\"lr\": -1}, \"history\": {}}", "config.lr")]
    public void BadExports(string content, string problem)
    {
        using var tmp = new TempDir();
        string f = tmp.File("run.json", content);
        var e = Assert.Throws<RunFormatException>(() => WandbReader.Read(f));
        Assert.StartsWith(f + ":", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void NonFiniteTailMarksDivergence()
    {
        using var tmp = new TempDir();
        // lr f(k): warmup k/100 + (1 - k/100)/100 to k = 100, 1 until 150, then linear to 0 at 300.
        string f = tmp.File("run.json", "{" + Config + """
            , "history": {"train": {"iter": [100, 50, 150, 200], "train_loss": [4.0, 5.0, NaN, Infinity],
                                    "train_lr": [0.001, 0.000505, 0.001, 0.0006666666666666666]},
                          "val": {"iter": [0, 200], "val_loss": [10.0, 4.5]}}}
            """);
        var run = WandbReader.Read(f);
        Assert.True(run.Diverged);
        Assert.Equal("149", run.Metadata.Tags["divergedAt"]);
        Assert.Equal([49, 99], run.Split(LossSplit.Train).Select(o => o.Step));
        Assert.Equal(1024, run.Metadata.Parameters / 6); // 12 * 2 * 16^2 = 6144, estimated
        Assert.Equal("true", run.Metadata.Tags["parametersEstimated"]);
    }
}
