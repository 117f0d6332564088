using HyperLaws.Runs;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// fairseq JSON-format training logs: three real outputs of fairseq-train (TestData/fairseq_log, MIT, see its README): a dense
/// 13B GPT-3 on 1 and on 8 GPUs (10 updates, log interval 1, polynomial decay, one validation) and a 4.1B MoE (moe_cross_entropy,
/// log interval 10); values checked by hand against the lines, and hand-made variants for what they do not show.
/// </summary>
public sealed class FairseqLogReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "fairseq_log", name);

    private static readonly double Ln2 = Math.Log(2);

    private static double Train(TrainingRun run, int step) => run.Observations.Single(o => o.Step == step && o.Split == LossSplit.Train).Loss;

    [Fact]
    public void The_real_logs_are_recognised_by_content_and_read_by_RunReader()
    {
        foreach (string f in new[] { "fsdp_13b_1gpu.log", "fsdp_13b_8gpu.log", "moe_lm_8xV100.log" })
        {
            Assert.True(FairseqLogReader.Recognizes(Data(f)), f);
            Assert.False(MegatronLogReader.Recognizes(Data(f)), f);
            Assert.False(LlmcLogReader.Recognizes(Data(f)), f);
            Assert.False(SpeedrunLogReader.Recognizes(Data(f)), f);
            Assert.Equal("fairseq-log", RunReader.Read(Data(f)).Metadata.Tags["format"]);
        }
        var set = RunReader.ReadDirectory(Path.GetDirectoryName(Data("LICENSE"))!);
        Assert.Empty(set.Failures);
        Assert.Equal(3, set.Runs.Count);
    }

    [Fact]
    public void A_slurm_out_file_is_read_by_content_and_another_is_refused_naming_the_formats()
    {
        string dir = _tmp.Combine("job");
        Directory.CreateDirectory(dir);
        string slurm = Path.Combine(dir, "slurm-4242.out");
        File.Copy(Data("moe_lm_8xV100.log"), slurm);
        Assert.Equal("fairseq-log", RunReader.Read(slurm).Metadata.Tags["format"]);
        File.WriteAllText(Path.Combine(dir, "slurm-4243.err"), "Traceback (most recent call last):\n");
        var set = RunReader.ReadDirectory(dir);
        Assert.Single(set.Runs);
        Assert.Empty(set.Failures); // an .err that is no training log is not a run file of the folder
        var ex = Assert.Throws<RunFormatException>(() => RunReader.Read(Path.Combine(dir, "slurm-4243.err")));
        Assert.Contains(":1: a .err file that is neither an llm.c main.log", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dense_run_every_loss_and_lr_at_its_step_in_nats()
    {
        var run = FairseqLogReader.Read(Data("fsdp_13b_1gpu.log"));
        // train_inner at num_updates k (log interval 1): the loss of the batch before update k, after k - 1 updates; in bits.
        double[] bits = [16.475, 16.446, 25.22, 18.079, 23.729, 20.429, 18.965, 18.345, 18.262, 17.556];
        Assert.Equal((16.475 * Ln2).ToString("R", System.Globalization.CultureInfo.InvariantCulture), run.Metadata.Tags["initialLoss"]);
        for (int k = 2; k <= 10; k++) Assert.Equal(bits[k - 1] * Ln2, Train(run, k - 1), 12);
        Assert.Equal(9, run.Split(LossSplit.Train).Count());
        // "valid | {... "valid_loss": "17.953", ... "valid_num_updates": "10"}": after 10 updates.
        var val = Assert.Single(run.Split(LossSplit.Validation));
        Assert.Equal((10, 17.953 * Ln2), (val.Step, val.Loss));
        // lr printed at k is eta_{k+1}: polynomial decay, warmup 5, total 10, peak 1e-4; eta_1 (never printed) held at eta_2.
        Assert.Equal(10, run.Steps);
        Assert.Equal([2e-5, 2e-5, 4e-5, 6e-5, 8e-5, 1e-4, 8e-5, 6e-5, 4e-5, 2e-5], run.LearningRates);
        Assert.Equal(16384, run.Metadata.TokensPerStep);
        Assert.Equal(8, run.Metadata.BatchSize);
        Assert.Equal(163840, run.Metadata.TotalTokens);
        Assert.Equal("loss", run.Metadata.Tags["lossKey"]);
        Assert.StartsWith("bits", run.Metadata.Tags["lossUnit"], StringComparison.Ordinal);
        Assert.Equal("valid", run.Metadata.Tags["validationSubset"]);
        Assert.False(run.Diverged);
    }

    [Fact]
    public void Dense_run_schedule_spec_matches_every_printed_lr()
    {
        // fairseq's polynomial_decay: update k uses step_update(k - 1), so offset=1; the LR printed at 10 (of update 11) is not checked.
        var run = FairseqLogReader.Read(Data("fsdp_13b_8gpu.log"), RunReadOptions.Default with { Schedule = "linear(peak=1e-4,warmup=5,steps=10,offset=1)" });
        Assert.Equal(10, run.Steps);
        Assert.Equal(131072, run.Metadata.TokensPerStep);
        Assert.Equal(64, run.Metadata.BatchSize);
        var ex = Assert.Throws<RunFormatException>(() =>
            FairseqLogReader.Read(Data("fsdp_13b_8gpu.log"), RunReadOptions.Default with { Schedule = "linear(peak=1e-4,warmup=5,steps=10)" }));
        Assert.Contains("fsdp_13b_8gpu.log:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_batch_of_the_real_logs_is_every_update_s_logged_tokens_and_says_so()
    {
        // The logs state 'training on 8 devices' and 'batch size per GPU = 8' but not tokens_per_sample nor update_freq (elided as
        // '(...)' in the README): the batch is the logged wpb, the same on all ten train_inner lines.
        var run = FairseqLogReader.Read(Data("fsdp_13b_8gpu.log"));
        Assert.Equal(131072, run.Metadata.TokensPerStep);
        Assert.Equal(64, run.Metadata.BatchSize);
        Assert.Equal("the logged tokens per update: wpb 131072 on all 10 train_inner lines", run.Metadata.Tags["tokensPerStepSource"]);
        var moe = FairseqLogReader.Read(Data("moe_lm_8xV100.log"));
        Assert.Equal("the logged tokens per update: wpb 65536 on all 3 train_inner lines", moe.Metadata.Tags["tokensPerStepSource"]);
    }

    /// <summary>The 8-GPU log with its first '(...)' (the elided start of the output) replaced by <paramref name="config"/>.</summary>
    private string WithConfig(string config)
    {
        var lines = File.ReadAllLines(Data("fsdp_13b_8gpu.log")).ToList();
        Assert.Equal("(...)", lines[0]);
        lines[0] = "2021-03-08 18:04:01 | INFO | fairseq_cli.train | " + config;
        return _tmp.File("with_config.log", string.Join('\n', lines) + "\n");
    }

    [Theory]
    // fairseq <= 0.10.1 logs args as a Namespace; the README's command: --task language_modeling --tokens-per-sample 2048 --batch-size 8
    // (update_freq 1 on 8 GPUs). A variant with --batch-size 4 --update-freq 2 has the same 64 sequences per update.
    [InlineData("Namespace(arch='transformer_lm_gpt3_13', batch_size=8, batch_size_valid=8, distributed_world_size=8, max_tokens=None, max_tokens_valid=None, sample_break_mode='none', task='language_modeling', tokens_per_sample=2048, update_freq=[1])",
        "batch_size 8 x tokens_per_sample 2048 x distributed_world_size 8 x update_freq 1")]
    [InlineData("Namespace(batch_size=4, distributed_world_size=8, max_tokens=None, task='language_modeling', tokens_per_sample=2048, update_freq=[2])",
        "batch_size 4 x tokens_per_sample 2048 x distributed_world_size 8 x update_freq 2")]
    // fairseq >= 0.10.2 logs its OmegaConf config as a Python dict on a '| INFO | fairseq_cli.train | {' line (before this change the
    // reader took it for a JSON progress line and refused the whole log: "invalid or truncated JSON").
    [InlineData("{'_name': None, 'common': {'_name': None, 'fp16': True}, 'distributed_training': {'_name': None, 'distributed_world_size': 8, 'ddp_backend': 'fully_sharded'}, 'dataset': {'_name': None, 'max_tokens': None, 'batch_size': 8, 'max_tokens_valid': None, 'batch_size_valid': 8}, 'optimization': {'_name': None, 'max_update': 10, 'update_freq': [1], 'lr': [0.0001]}, 'task': {'_name': 'language_modeling', 'data': 'data-bin/wikitext-103-roberta-bpe-bin', 'sample_break_mode': 'none', 'tokens_per_sample': 2048}}",
        "batch_size 8 x tokens_per_sample 2048 x distributed_world_size 8 x update_freq 1")]
    public void The_batch_comes_from_the_log_s_arguments_when_they_state_it(string config, string how)
    {
        var run = FairseqLogReader.Read(WithConfig(config));
        Assert.Equal(131072, run.Metadata.TokensPerStep);
        Assert.Equal(64, run.Metadata.BatchSize);
        Assert.Equal(1310720, run.Metadata.TotalTokens);
        Assert.Equal($"the log's arguments: {how} = 131072 tokens per update; logged: wpb 131072 on all 10 train_inner lines", run.Metadata.Tags["tokensPerStepSource"]);
    }

    [Fact]
    public void Arguments_that_disagree_with_the_logged_wpb_are_used_and_said_to_disagree()
    {
        // The 8-GPU log's ten lines log wpb 131072; arguments stating half that (batch_size 4): the arguments' batch, with a note.
        var run = FairseqLogReader.Read(WithConfig("Namespace(batch_size=4, distributed_world_size=8, max_tokens=None, task='language_modeling', tokens_per_sample=2048, update_freq=[1])"));
        Assert.Equal(65536, run.Metadata.TokensPerStep);
        Assert.Equal("the log's arguments: batch_size 4 x tokens_per_sample 2048 x distributed_world_size 8 x update_freq 1 = 65536 tokens per update; "
            + "logged: wpb 131072 on all 10 train_inner lines; the logged median differs from the arguments' 65536 by 100%: check which batch the run had",
            run.Metadata.Tags["tokensPerStepSource"]);
    }

    [Theory]
    // Batches bounded by --max-tokens (translation) or samples cut at document ends do not fix the tokens per update: the logged wpb is used.
    [InlineData("Namespace(batch_size=None, distributed_world_size=8, max_tokens=4096, task='translation', update_freq=[2])")]
    [InlineData("Namespace(batch_size=8, distributed_world_size=8, max_tokens=None, sample_break_mode='complete', task='language_modeling', tokens_per_sample=2048, update_freq=[1])")]
    [InlineData("Namespace(batch_size=8, distributed_world_size=8, max_tokens=16384, task='language_modeling', tokens_per_sample=2048, update_freq=[1])")]
    public void Arguments_that_do_not_fix_the_batch_leave_it_to_the_logged_tokens(string config)
    {
        var run = FairseqLogReader.Read(WithConfig(config));
        Assert.Equal(131072, run.Metadata.TokensPerStep);
        Assert.StartsWith("the logged tokens per update: ", run.Metadata.Tags["tokensPerStepSource"], StringComparison.Ordinal);
    }

    [Fact]
    public void Varying_logged_tokens_give_their_median_and_the_variation()
    {
        // The 8-GPU log with the wpb of updates 3 and 7 changed (as a --max-tokens batch or a short last batch of an epoch would):
        // the batch was unknown before (wpb not the same on every line); now the median of all ten, with the range.
        string text = File.ReadAllText(Data("fsdp_13b_8gpu.log"));
        text = text.Replace("\"wpb\": \"131072\", \"bsz\": \"64\", \"num_updates\": \"3\"", "\"wpb\": \"98304\", \"bsz\": \"48\", \"num_updates\": \"3\"", StringComparison.Ordinal)
            .Replace("\"wpb\": \"131072\", \"bsz\": \"64\", \"num_updates\": \"7\"", "\"wpb\": \"120000.5\", \"bsz\": \"58.6\", \"num_updates\": \"7\"", StringComparison.Ordinal);
        var run = FairseqLogReader.Read(_tmp.File("varying.log", text));
        Assert.Equal(131072, run.Metadata.TokensPerStep);
        Assert.Equal(64, run.Metadata.BatchSize);
        Assert.Equal("the logged tokens per update: wpb median 131072 of 10 train_inner lines (range 98304-131072, 25% of the median)", run.Metadata.Tags["tokensPerStepSource"]);
    }

    [Fact]
    public void Moe_run_reads_the_cross_entropy_without_the_gate_loss()
    {
        var run = FairseqLogReader.Read(Data("moe_lm_8xV100.log"));
        Assert.Equal("inner_loss", run.Metadata.Tags["lossKey"]);
        // Log interval 10: the mean over updates 1..10 at floor((0 + 10 - 1) / 2) = 4, then 14 and 24.
        Assert.Equal(20.472 * Ln2, Train(run, 4), 12);
        Assert.Equal(15.969 * Ln2, Train(run, 14), 12);
        Assert.Equal(14.939 * Ln2, Train(run, 24), 12);
        Assert.Equal(30, run.Steps);
        // fairseq's fixed scheduler with --warmup-updates 750: update j has 5e-4 j / 750; printed at 10, 20, 30 (eta_11, eta_21, eta_31).
        Assert.Equal(7.33333e-6, run.LearningRates[10], 1e-17);
        Assert.Equal(1.4e-5, run.LearningRates[20], 1e-17);
        Assert.Equal(65536, run.Metadata.TokensPerStep);
        var withSchedule = FairseqLogReader.Read(Data("moe_lm_8xV100.log"), RunReadOptions.Default with { Schedule = "constant(peak=5e-4,warmup=750,steps=1000)" });
        Assert.Equal(5e-4 * 11 / 750, withSchedule.LearningRates[10], 1e-17);
        // --loss-column loss: the criterion's total, gate loss included.
        var total = FairseqLogReader.Read(Data("moe_lm_8xV100.log"), RunReadOptions.Default with { LossColumn = "loss" });
        Assert.Equal(20.714 * Ln2, Train(total, 4), 12);
    }

    [Fact]
    public void Every_cut_of_a_real_log_reads_or_fails_with_a_file_line_error()
    {
        byte[] bytes = File.ReadAllBytes(Data("fsdp_13b_1gpu.log"));
        string path = _tmp.Combine("cut.log");
        int read = 0, refused = 0;
        for (int n = 1; n < bytes.Length; n += 41)
        {
            File.WriteAllBytes(path, bytes[..n]);
            try
            {
                if (!FairseqLogReader.Recognizes(path)) continue;
                FairseqLogReader.Read(path);
                read++;
            }
            catch (RunFormatException e)
            {
                Assert.StartsWith(path + ":", e.Message, StringComparison.Ordinal);
                refused++;
            }
        }
        Assert.True(read > 0 && refused > 0, $"{read} read, {refused} refused");
    }

    private const string Head = "2024-01-01 00:00:00 | INFO | fairseq_cli.train | begin training\n";

    private static string Inner(int k, string loss, string lr, string extra = "") =>
        $"2024-01-01 00:00:{k % 60:00} | INFO | train_inner | {{\"epoch\": 1, \"update\": 0.1, \"loss\": \"{loss}\"{extra}, \"num_updates\": \"{k}\", \"lr\": \"{lr}\"}}\n";

    [Fact]
    public void A_resumed_log_keeps_the_later_lines()
    {
        string text = Head + Inner(10, "9", "1e-4") + Inner(20, "8", "1e-4") + Inner(30, "7", "1e-4")
            + Inner(20, "7.5", "1e-4") + Inner(30, "6.5", "1e-4") + Inner(40, "6", "1e-4");
        var run = FairseqLogReader.Read(_tmp.File("resumed.log", text));
        Assert.Equal(6.5 * Ln2, Train(run, 24), 12);
        Assert.Equal(7.5 * Ln2, Train(run, 14), 12);
        Assert.Equal("2", run.Metadata.Tags["resumeConflicts"]);
        Assert.Equal(40, run.Steps);
        Assert.Throws<RunFormatException>(() => FairseqLogReader.Read(_tmp.Combine("resumed.log"), RunReadOptions.Default with { StrictDuplicates = true }));
    }

    [Fact]
    public void A_ppl_of_e_to_the_loss_keeps_nats()
    {
        string text = Head + Inner(10, "4", "1e-4", ", \"ppl\": \"54.6\"") + Inner(20, "3", "1e-4", ", \"ppl\": \"20.09\"");
        var run = FairseqLogReader.Read(_tmp.File("nats.log", text));
        Assert.Equal(4.0, Train(run, 4), 12);
        Assert.StartsWith("nats", run.Metadata.Tags["lossUnit"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("| INFO | train_inner | {\"epoch\": 1, \"loss\": \"9\", \"lr\": \"1e-4\"}", "without \"num_updates\"")]
    [InlineData("| INFO | train_inner | {\"epoch\": 1, \"loss\": \"nine\", \"num_updates\": \"10\", \"lr\": \"1e-4\"}", "\"loss\" 'nine' is not a number")]
    [InlineData("| INFO | train_inner | {\"epoch\": 1, \"loss\": \"9\", \"num_updates\": \"10.5\", \"lr\": \"1e-4\"}", "not a whole number")]
    [InlineData("| INFO | train_inner | {\"epoch\": 1, \"loss\": \"9\", \"num_updates\": \"10\", \"lr\": \"1e-4\"", "invalid or truncated JSON")]
    [InlineData("| INFO | train_inner | {\"epoch\": 1, \"loss\": \"9\", \"num_updates\": \"0\", \"lr\": \"1e-4\"}", "num_updates 0")]
    [InlineData("| INFO | train_inner | {\"epoch\": 1, \"loss\": \"9\", \"num_updates\": \"10\", \"lr\": \"-1\"}", "")]
    public void A_broken_line_is_an_error_naming_the_file_and_line(string line, string problem)
    {
        string path = _tmp.File("broken.log", Head + "2024-01-01 00:00:01 " + line + "\n");
        var ex = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.StartsWith(path + ":2", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_lr_asks_for_a_schedule_and_the_simple_format_is_not_taken()
    {
        string noLr = _tmp.File("nolr.log", Head + "2024-01-01 00:00:01 | INFO | train_inner | {\"loss\": \"9\", \"num_updates\": \"10\"}\n");
        var ex = Assert.Throws<RunFormatException>(() => RunReader.Read(noLr));
        Assert.Contains("--schedule", ex.Message, StringComparison.Ordinal);
        var run = RunReader.Read(noLr, RunReadOptions.Default with { Schedule = "constant(peak=1e-4,steps=10)" });
        Assert.Equal(10, run.Steps);
        string simple = _tmp.File("simple.log", Head + "2024-01-01 00:00:01 | INFO | train_inner | epoch 001:     10 / 100 loss=9, ppl=512, num_updates=10, lr=1e-4\n");
        Assert.False(FairseqLogReader.Recognizes(simple));
        Assert.Throws<RunFormatException>(() => RunReader.Read(simple));
    }
}
