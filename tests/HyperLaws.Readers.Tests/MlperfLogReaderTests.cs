using System.Text.Json;
using HyperLaws.Runs;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// MLPerf Training result logs (<c>:::MLLOG {...}</c> events): real files from mlcommons/training_results_v5.1 (TestData/mlperf_log,
/// see its README), each value checked against the events parsed here, and hand-made variants of them for the errors.
/// </summary>
public sealed class MlperfLogReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Real(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "mlperf_log", name);

    private const string Amd = "amd_mi355x_llama31_8b_result_0.txt";
    private const string Nvidia = "nvidia_ngpu8_llama31_8b_result_0_head222.txt";
    private const string GptOss = "nvidia_ngpu8_gpt_oss_20b_result_0_head55.txt";

    /// <summary>The events of a file with <paramref name="key"/>, as (value, metadata).</summary>
    private static List<(JsonElement Value, JsonElement Meta)> Events(string path, string key) =>
        [.. File.ReadLines(path)
            .Where(l => l.Contains(":::MLLOG ", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l[(l.IndexOf(":::MLLOG ", StringComparison.Ordinal) + 9)..]).RootElement)
            .Where(e => e.GetProperty("key").GetString() == key)
            .Select(e => (e.GetProperty("value"), e.GetProperty("metadata")))];

    [Fact]
    public void Every_evaluation_is_a_validation_loss_at_its_evaluation_blocks_update_count()
    {
        string path = Real(Amd);
        Assert.True(MlperfLogReader.Recognizes(path));
        var run = RunReader.Read(path);
        var evals = Events(path, "eval_accuracy");
        var blocks = Events(path, "eval_start");
        Assert.Equal(14, evals.Count);
        Assert.Equal(evals.Count, blocks.Count);
        // AMD's eval_accuracy carries one batch less than its block (12,256 in the block at 12,288): the block's count is the step.
        Assert.Equal(12256, evals[0].Meta.GetProperty("samples_count").GetInt32());
        Assert.Equal(12288, blocks[0].Meta.GetProperty("samples_count").GetInt32());
        var expected = evals.Zip(blocks, (e, b) => (b.Meta.GetProperty("samples_count").GetInt32() / 32, e.Value.GetDouble())).ToList();
        Assert.Equal(expected, run.Split(LossSplit.Validation).Select(o => (o.Step, o.Loss)).ToList());
        Assert.Empty(run.Split(LossSplit.Train));
        Assert.Equal(172032 / 32, run.Steps); // run_stop's samples_count over the batch
        Assert.Equal(3.290742874145508, run.Split(LossSplit.Validation).Last().Loss);
        Assert.Equal(32, run.Metadata.BatchSize);
        Assert.Equal(8192, run.Metadata.SequenceLength);
        Assert.Equal(32.0 * 8192, run.Metadata.TokensPerStep);
        Assert.Equal(32.0 * 8192 * 5376, run.Metadata.TotalTokens);
        Assert.Equal("adamw", run.Metadata.Optimizer);
        Assert.Null(run.Metadata.Parameters);
        Assert.Equal("llama31_8b", run.Metadata.Tags["benchmark"]);
        Assert.Equal("AMD", run.Metadata.Tags["submitter"]);
        Assert.Equal("success", run.Metadata.Tags["runStatus"]);
        Assert.False(run.Metadata.Tags.ContainsKey("targetAccuracy")); // AMD's log states none
    }

    [Fact]
    public void The_LR_is_NeMos_cosine_with_linear_warmup_from_the_logged_settings()
    {
        // opt_base_learning_rate 8e-4, warmup 128, decay steps 1,199,872, end 8e-5. NeMo's scheduler at step s = t - 1 for update t
        // gives P (s + 1)/(W + 1) in the warmup and the cosine over D after it: the spec cosine(warmup=W+1, steps=W+1+D) of the
        // independent evaluator, cut at the run's 5,376 steps.
        var run = RunReader.Read(Real(Amd));
        double[] spec = ScheduleSpecs.Evaluate("cosine(peak=0.0008,warmup=129,steps=1200001,floor=0.00008)");
        Assert.Equal(5376, run.LearningRates.Length);
        for (int i = 0; i < run.LearningRates.Length; i++) Assert.Equal(spec[i], run.LearningRates[i], 15);
        Assert.Equal(0.0008 / 129, run.LearningRates[0], 15);
        Assert.Equal(0.0008, run.LearningRates[128], 15);
        Assert.InRange(run.LearningRates[^1], 0.0008 * (1 - 1e-4), 0.0008); // 4 steps in 1,000 of the cosine: within 0.01% of the peak
        Assert.StartsWith("NeMo's cosine with linear warmup from the logged settings", run.Metadata.Tags[ReaderTags.LrFilledIn], StringComparison.Ordinal);
        // A schedule given is used instead.
        var given = RunReader.Read(Real(Amd), new RunReadOptions { Schedule = "constant(peak=0.0008,warmup=129,steps=5376)" });
        Assert.Equal(0.0008, given.LearningRates[^1]);
        Assert.Equal("constant(peak=0.0008,warmup=129,steps=5376)", given.Metadata.Schedule);
    }

    [Fact]
    public void NVIDIAs_training_losses_are_the_loss_before_the_update_their_samples_count_ends()
    {
        // The first 222 lines: settings, 48 reduced_train_loss stats every 32 updates, two evaluations (768 and 1,536 updates).
        string path = Real(Nvidia);
        var run = RunReader.Read(path);
        var stats = Events(path, "tracked_stats").Where(e => e.Value.TryGetProperty("reduced_train_loss", out _)).ToList();
        Assert.Equal(48, stats.Count);
        var expected = stats.Select(e => ((int)e.Meta.GetProperty("samples_count").GetDouble() / 16 - 1, e.Value.GetProperty("reduced_train_loss").GetDouble())).ToList();
        Assert.Equal((31, 8.166596412658691), expected[0]);
        Assert.Equal(expected, run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)).ToList());
        var val = run.Split(LossSplit.Validation).ToList();
        Assert.Equal([768, 1536], val.Select(o => o.Step));
        Assert.Equal(4.273257255554199, val[1].Loss);
        Assert.Equal(1536, run.Steps); // cut before run_stop: the last evaluation's
        Assert.Equal(16.0 * 8192, run.Metadata.TokensPerStep);
        Assert.Equal("NVIDIA", run.Metadata.Tags["submitter"]);
        Assert.False(run.Metadata.Tags.ContainsKey("runStatus"));
        Assert.Equal("3.3", run.Metadata.Tags["targetAccuracy"]);
        Assert.Equal(0.0004 / 17, run.LearningRates[0], 15);
    }

    [Fact]
    public void A_gpt_oss_20b_mixture_of_experts_log_counts_its_training_losses_from_zero()
    {
        // MLPerf Training v6.0's gpt-oss 20B (NVIDIA, 2x GB200, batch 24, LR 5e-4, warmup 256), first 55 lines: its callback
        // (callback_logging.py, as each event's metadata.file says) writes the first reduced_train_loss at samples_count 0: the loss
        // of the first update, made after 0 updates. So the loss at k batches is an observation after k updates, not k - 1 as in
        // the v5.1 callback above.
        string path = Real(GptOss);
        var run = RunReader.Read(path);
        var expected = Events(path, "tracked_stats").Where(e => e.Value.TryGetProperty("reduced_train_loss", out _))
            .Select(e => (e.Meta.GetProperty("samples_count").GetInt32() / 24, e.Value.GetProperty("reduced_train_loss").GetDouble())).ToList();
        // After 0 updates: the initialLoss tag, not a point of the curve; an untrained model's loss over the ~201k-token vocabulary
        // (ln 201,088 = 12.21), which a reader off by one update would have put on the curve.
        double initial = double.Parse(run.Metadata.Tags["initialLoss"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(12.3104887008667, initial);
        Assert.InRange(initial, Math.Log(201088), Math.Log(201088) + 0.2);
        var train = run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)).ToList();
        Assert.Equal(16, train.Count);
        Assert.Equal((32, 8.785188674926758), train[0]); // at 768 samples = 32 batches: after 32 updates
        Assert.Equal(expected[1..], train);
        var val = Assert.Single(run.Split(LossSplit.Validation));
        Assert.Equal((512, 5.013967514038086), (val.Step, val.Loss)); // the block's 12,288 samples over the batch of 24
        Assert.Equal(513, run.Steps); // the last loss logged is update 513's (at 512 batches); cut before run_stop
        Assert.Equal("gpt_oss_20b", run.Metadata.Tags["benchmark"]);
        Assert.Equal("3.34", run.Metadata.Tags["targetAccuracy"]);
        Assert.Equal(24, run.Metadata.BatchSize);
        Assert.Equal(24.0 * 8192, run.Metadata.TokensPerStep);
        Assert.Null(run.Metadata.Parameters); // not logged: neither the 20.9B total nor the 3.6B active
        // NeMo's cosine from the settings: peak 5e-4, warmup 256, 1,199,744 decay steps.
        double[] spec = ScheduleSpecs.Evaluate("cosine(peak=0.0005,warmup=257,steps=1200001,floor=0.00005)");
        for (int i = 0; i < run.LearningRates.Length; i++) Assert.Equal(spec[i], run.LearningRates[i], 15);
        Assert.Equal(0.0005 / 257, run.LearningRates[0], 15);
    }

    [Fact]
    public void Whether_training_losses_count_from_zero_is_what_their_callback_states_not_whether_one_is_at_zero()
    {
        // The v6.0 log without its loss at samples_count 0: its callback still counts from zero (the loss at 32 batches is after 32 updates).
        string gptOss = File.ReadAllText(Real(GptOss));
        string firstLoss = gptOss.Split('\n').Single(l => l.Contains("\"reduced_train_loss\": 12.3104887008667", StringComparison.Ordinal));
        string noZero = _tmp.File("gpt-oss-no-zero.txt", gptOss.Replace(firstLoss + "\n", "", StringComparison.Ordinal));
        var run = RunReader.Read(noZero);
        Assert.Equal((32, 8.785188674926758), run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)).First());
        Assert.False(run.Metadata.Tags.ContainsKey("initialLoss"));

        // A one-based callback's log (v5.1 NVIDIA, custom_callbacks.py) with a loss at samples_count 0: refused, naming the line.
        string nvidia = File.ReadAllText(Real(Nvidia));
        string one = nvidia.Split('\n').First(l => l.Contains("\"reduced_train_loss\"", StringComparison.Ordinal) && l.Contains("\"samples_count\": 512.0", StringComparison.Ordinal));
        int at = nvidia.Split('\n').ToList().IndexOf(one) + 1;
        string atZero = _tmp.File("nvidia-loss-at-zero.txt", nvidia.Replace(one, one.Replace("\"samples_count\": 512.0", "\"samples_count\": 0.0", StringComparison.Ordinal), StringComparison.Ordinal));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(atZero));
        Assert.Equal($"{atZero}:{at}: a training loss at samples_count 0: no update has been made (its callback counts updates from one; "
            + "only callback_logging.py's count from zero).", e.Message);
        // The same log unchanged: its loss at 512 samples (32 batches of 16) is update 32's, an observation after 31 updates.
        Assert.Equal(31, RunReader.Read(Real(Nvidia)).Split(LossSplit.Train).First().Step);
    }

    [Fact]
    public void Training_losses_without_a_samples_count_are_left_out_and_counted()
    {
        // Cisco's v5.1 logs: reduced_train_loss with a "step" only (another unit than NVIDIA's "step"); the evaluations are read.
        string text = File.ReadAllText(Real(Nvidia));
        string changed = System.Text.RegularExpressions.Regex.Replace(text, @"(""reduced_train_loss"": [^}]*\}, ""metadata"": \{[^}]*""step"": [0-9.]+), ""samples_count"": [0-9.]+", "$1");
        Assert.NotEqual(text, changed);
        var run = RunReader.Read(_tmp.File("cisco-like.txt", changed));
        Assert.Empty(run.Split(LossSplit.Train));
        Assert.Equal("48", run.Metadata.Tags["trainLossesWithoutSamplesCount"]);
        Assert.Equal([768, 1536], run.Split(LossSplit.Validation).Select(o => o.Step));
        Assert.Equal(1536, run.Steps);
    }

    [Fact]
    public void A_cut_or_mutated_log_is_read_or_refused_with_a_format_error()
    {
        byte[] bytes = File.ReadAllBytes(Real(Amd));
        // Cut mid-line: the truncated event is refused at its line; cut at a line's end: the run so far.
        var cut = Assert.Throws<RunFormatException>(() => RunReader.Read(_tmp.File("half.txt", bytes[..(bytes.Length / 2)])));
        Assert.Contains("half.txt:68: an :::MLLOG event that is not valid JSON:", cut.Message, StringComparison.Ordinal);
        int end = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length / 2) + 1;
        var half = RunReader.Read(_tmp.File("lines.txt", bytes[..end]));
        Assert.Equal(1536, half.Steps); // the 4th evaluation, the last before the cut (no run_stop)
        Assert.Equal(4, half.Split(LossSplit.Validation).Count());
        string noValue = Variant("novalue.txt", t => t.Replace("\"value\": 5.595030307769775, ", "", StringComparison.Ordinal));
        Assert.EndsWith(": eval_accuracy without a value.", Assert.Throws<RunFormatException>(() => RunReader.Read(noValue)).Message, StringComparison.Ordinal);
        var rng = new Random(19);
        for (int i = 0; i < 60; i++)
        {
            byte[] m = (byte[])bytes.Clone();
            for (int j = 0; j < 3; j++) m[rng.Next(m.Length)] = (byte)"0123456789:{}\",.-eE "[rng.Next(17)];
            string path = _tmp.File($"m{i}.txt", m);
            try
            {
                var run = RunReader.Read(path);
                Assert.True(run.Steps >= 1);
            }
            catch (RunFormatException)
            {
                // a one-line error naming the file: what the CLI prints
            }
        }
    }

    private string Variant(string name, Func<string, string> change)
    {
        string text = File.ReadAllText(Real(Amd));
        string changed = change(text);
        Assert.NotEqual(text, changed);
        return _tmp.File(name, changed);
    }

    [Fact]
    public void A_benchmark_that_evaluates_an_accuracy_a_resumed_run_and_a_broken_count_are_refused_naming_the_line()
    {
        string resnet = Variant("resnet.txt", t => t.Replace("\"value\": \"llama31_8b\"", "\"value\": \"resnet\"", StringComparison.Ordinal));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(resnet));
        Assert.Equal($"{resnet}:34: benchmark 'resnet' evaluates an accuracy, not a loss (read: llama31_8b, gpt_oss_20b).", e.Message);

        string resumed = Variant("resumed.txt", t => t.Replace("\"key\": \"init_checkpoint_step\", \"value\": 0,", "\"key\": \"init_checkpoint_step\", \"value\": 4000,", StringComparison.Ordinal));
        e = Assert.Throws<RunFormatException>(() => RunReader.Read(resumed));
        Assert.Equal($"{resumed}:22: the run continues a checkpoint at step 4000: its steps and schedule start there, which the log does not give.", e.Message);

        foreach (var (name, reason) in new[] { ("llama2_70b_lora", "fine-tunes Llama 2 70B with LoRA"), ("gpt3", "continues a GPT-3 175B checkpoint"),
            ("deepseekv3_671b", "continues DeepSeek-V3 671B's released checkpoint (50 iterations more for the Llama 3.1 tokenizer)") })
        {
            string continued = Variant(name + ".txt", t => t.Replace("\"value\": \"llama31_8b\"", $"\"value\": \"{name}\"", StringComparison.Ordinal));
            e = Assert.Throws<RunFormatException>(() => RunReader.Read(continued));
            Assert.StartsWith($"{continued}:34: benchmark '{name}' {reason}: its steps and schedule start where", e.Message, StringComparison.Ordinal);
        }

        string odd = Variant("odd.txt", t => t.Replace("\"samples_count\": 24576}}", "\"samples_count\": 24570}}", StringComparison.Ordinal));
        e = Assert.Throws<RunFormatException>(() => RunReader.Read(odd));
        Assert.Matches(@":\d+: samples_count 24570 is not a whole number of global batches of 32\.$", e.Message);

        string noSchedule = Variant("linear.txt", t => t.Replace("\"cosine with linear warmup\"", "\"linear\"", StringComparison.Ordinal));
        e = Assert.Throws<RunFormatException>(() => RunReader.Read(noSchedule));
        Assert.Contains(":0: no learning rate is logged: the log's schedule ('linear', base LR 0.0008, warmup 128, decay steps 1199872, end LR 8E-05) is not NeMo's cosine", e.Message, StringComparison.Ordinal);
        Assert.Equal(5376, RunReader.Read(noSchedule, new RunReadOptions { Schedule = "constant(peak=0.0008,steps=5376)" }).Steps);

        string broken = Variant("broken.txt", t => t.Replace("\"key\": \"eval_accuracy\", \"value\": 5.595030307769775,", "\"key\": \"eval_accuracy\", \"value\": 5.59", StringComparison.Ordinal));
        e = Assert.Throws<RunFormatException>(() => RunReader.Read(broken));
        Assert.Contains(": an :::MLLOG event that is not valid JSON:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Llama_31_405B_log_is_refused_by_name_though_it_logs_init_checkpoint_step_0()
    {
        // NVIDIA's v5.1 405B logs resume from Meta's checkpoint (their README) yet write init_checkpoint_step 0; the first training
        // loss, 7.77, is far below an untrained model's ln(32,000) = 10.4 nats.
        string path = Real("nvidia_ngpu512_llama31_405b_result_0_head170.txt");
        var ck = Events(path, "init_checkpoint_step");
        Assert.Equal(0, Assert.Single(ck).Value.GetInt32());
        double first = Events(path, "tracked_stats").First(e => e.Value.TryGetProperty("reduced_train_loss", out _)).Value.GetProperty("reduced_train_loss").GetDouble();
        Assert.InRange(first, 7, 8);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.Equal($"{path}:130: benchmark 'llama31_405b' resumes from Meta's Llama 3.1 405B checkpoint (though it logs init_checkpoint_step 0): "
            + "its steps and schedule start where that training ended, which the log does not give (read: llama31_8b, gpt_oss_20b).", e.Message);
    }

    [Fact]
    public void A_setting_that_is_no_number_is_named_at_its_line_and_an_end_LR_above_the_base_is_refused()
    {
        string text = Variant("gbsstr.txt", t => t.Replace("\"key\": \"global_batch_size\", \"value\": 32,", "\"key\": \"global_batch_size\", \"value\": \"32\",", StringComparison.Ordinal));
        Assert.Equal($"{text}:17: global_batch_size the string \"32\" is not a number.", Assert.Throws<RunFormatException>(() => RunReader.Read(text)).Message);
        string nan = Variant("nan.txt", t => t.Replace("\"value\": 8e-05,", "\"value\": NaN,", StringComparison.Ordinal));
        Assert.Equal($"{nan}:30: opt_end_learning_rate the string \"NaN\" is not a number.", Assert.Throws<RunFormatException>(() => RunReader.Read(nan)).Message);
        string above = Variant("above.txt", t => t.Replace("\"value\": 8e-05,", "\"value\": 0.002,", StringComparison.Ordinal));
        Assert.Equal($"{above}:30: opt_end_learning_rate 0.002 is above opt_base_learning_rate 0.0008: not a decay.", Assert.Throws<RunFormatException>(() => RunReader.Read(above)).Message);
        // The same LR at both ends is a constant after the warmup, which NeMo allows.
        string flat = Variant("flat.txt", t => t.Replace("\"value\": 8e-05,", "\"value\": 0.0008,", StringComparison.Ordinal));
        Assert.Equal(0.0008, RunReader.Read(flat).LearningRates[^1]);
    }

    [Fact]
    public void Run_stops_count_is_checked_at_its_line_and_one_too_large_to_hold_is_refused_before_any_allocation()
    {
        string odd = Variant("oddstop.txt", t => t.Replace("\"samples_count\": 172032, \"status\"", "\"samples_count\": 172033, \"status\"", StringComparison.Ordinal));
        Assert.Equal($"{odd}:128: samples_count 172033 is not a whole number of global batches of 32.", Assert.Throws<RunFormatException>(() => RunReader.Read(odd)).Message);
        // 32 x 10^9 samples: 10^9 updates (the largest step accepted), 8 GB of LRs alone: refused by ScheduleMemory, not an OOM.
        string huge = Variant("hugestop.txt", t => t.Replace("\"samples_count\": 172032, \"status\"", "\"samples_count\": 32000000000, \"status\"", StringComparison.Ordinal));
        // (ScheduleMemory allows it where over 128 GB are available: not run there, it would allocate them.)
        if (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >= 128e9) return;
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(huge));
        Assert.StartsWith($"{huge}:128: the run's 1000000000 steps: steps=1000000000 needs about 64 GB of memory", e.Message, StringComparison.Ordinal);
    }
}
