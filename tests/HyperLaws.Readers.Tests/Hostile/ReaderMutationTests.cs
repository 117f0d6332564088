using System.Globalization;
using System.Text;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Readers.Tests.Hostile;

/// <summary>
/// Property-based mutation of every run reader (issue 13): thousands of seeded corruptions of valid files.
/// Each either reads or fails with the readers' contract, a <see cref="FormatException"/> (RunFormatException)
/// or an <see cref="IOException"/> naming the file; never another exception, a hang or a crash.
/// </summary>
public sealed class ReaderMutationTests : IDisposable
{
    private const int Cases = 500;
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static void Survives(Func<object> read, string what, byte[] content)
    {
        try
        {
            read();
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message), $"{what}: empty message");
        }
        catch (Exception e)
        {
            string head = Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 300));
            Assert.Fail($"{what}: {e.GetType().Name}: {e.Message}\ninput starts: {head}");
        }
    }

    private void Run(string name, byte[] seed, Func<string, object> read, int seedValue, int cases = Cases)
    {
        var rng = new Random(seedValue);
        string path = Path.Combine(_tmp.Path, name);
        File.WriteAllBytes(path, seed);
        read(path); // the seed itself is valid
        for (int i = 0; i < cases; i++)
        {
            var mutated = Mutation.Mutate(seed, rng);
            File.WriteAllBytes(path, mutated);
            Survives(() => read(path), $"{name} case {i}", mutated);
        }
    }

    private static string Cosine => "cosine(peak=0.001,warmup=10,steps=60,floor=0.0001)";

    private static string GenericCsv()
    {
        var lrs = ScheduleSpecs.Evaluate(Cosine);
        var sb = new StringBuilder("# name: tiny\n# params: 1.5e6\n# tokens_per_step: 4096\n# schedule: " + Cosine + "\nstep,loss,lr,split\n");
        for (int s = 1; s <= 60; s++) sb.Append(CultureInfo.InvariantCulture, $"{s},{5.0 / Math.Sqrt(s)},{lrs[s - 1]:R},train\n");
        return sb.ToString();
    }

    private static string Jsonl()
    {
        var lrs = ScheduleSpecs.Evaluate(Cosine);
        var sb = new StringBuilder();
        for (int s = 1; s <= 60; s++) sb.Append(CultureInfo.InvariantCulture, $"{{\"step\":{s},\"loss\":{5.0 / Math.Sqrt(s):R},\"lr\":{lrs[s - 1]:R}}}\n");
        return sb.ToString();
    }

    [Fact]
    public void Generic_csv_survives_mutation() =>
        Run("run.csv", Encoding.UTF8.GetBytes(GenericCsv()), p => RunReader.Read(p), 13001);

    [Fact]
    public void Generic_jsonl_survives_mutation() =>
        Run("run.jsonl", Encoding.UTF8.GetBytes(Jsonl()), p => RunReader.Read(p), 13002);

    [Fact]
    public void Mpl_csv_survives_mutation()
    {
        string source = Path.Combine(DataFolders.Repo, "MultiPowerLaw", "loss_curve_repo", "csv_25", "cosine_24000.csv");
        string head = string.Join("\n", File.ReadLines(source).Take(60)) + "\n";
        Directory.CreateDirectory(Path.Combine(_tmp.Path, "csv_25"));
        Run(Path.Combine("csv_25", "cosine_24000.csv"), Encoding.UTF8.GetBytes(head), p => RunReader.Read(p), 13003);
    }

    [Fact]
    public void TensorBoard_events_survive_mutation()
    {
        var events = new List<byte[]> { EventWriter.FileVersion() };
        for (int s = 1; s <= 30; s++) events.Add(EventWriter.Event(s, ("train/loss", 4f / s, s % 2 == 0), ("lr", 0.5f, false)));
        Run("events.out.tfevents.1.host", EventWriter.File(events), p => TensorBoardReader.ReadScalars(p), 13004);
    }

    [Fact]
    public void Wandb_export_and_its_parent_survive_mutation()
    {
        string dir = DataFolders.Shared;
        string data = Path.Combine(dir, "lr-scheduling", "data");
        string child = Directory.GetFiles(data, "ann124-*.json").Order(StringComparer.Ordinal).First();
        string parentStem = WandbReader.Read(child).Metadata.Tags["branchedFrom"];
        string parent = Path.Combine(data, parentStem + ".json");
        byte[] childBytes = File.ReadAllBytes(child), parentBytes = File.ReadAllBytes(parent);
        string childCopy = Path.Combine(_tmp.Path, Path.GetFileName(child)), parentCopy = Path.Combine(_tmp.Path, Path.GetFileName(parent));
        File.WriteAllBytes(parentCopy, parentBytes);
        Run(Path.GetFileName(child), childBytes, p => WandbReader.Read(p), 13005, 150);
        File.WriteAllBytes(childCopy, childBytes);
        var rng = new Random(13006);
        for (int i = 0; i < 150; i++)
        {
            var mutated = Mutation.Mutate(parentBytes, rng);
            File.WriteAllBytes(parentCopy, mutated);
            Survives(() => WandbReader.Read(childCopy), $"parent case {i}", mutated);
        }
    }

    [Fact]
    public void Megatron_log_survives_mutation()
    {
        // Lines 2,715-2,870 of the real log: DeepSpeed's and the timer's lines around iterations 10-400 and validations 100-300.
        string source = Path.Combine(AppContext.BaseDirectory, "TestData", "megatron_log", "gpt3_125m_moe_kernel.head.log");
        string seed = string.Join("\n", File.ReadLines(source).Skip(2714).Take(156)) + "\n";
        Run("megatron.log", Encoding.UTF8.GetBytes(seed), p => RunReader.Read(p), 13008);
    }

    [Fact]
    public void Nemo_log_survives_mutation()
    {
        // Lines 455-540 of the real NeMo fine-tune log: NeMo's messages, validation lines and training lines with val_loss.
        string source = Path.Combine(AppContext.BaseDirectory, "TestData", "nemo_log", "e5_large_allnli_finetune.log");
        string seed = string.Join("\n", File.ReadLines(source).Skip(454).Take(86)) + "\n";
        Run("nemo.log", Encoding.UTF8.GetBytes(seed), p => RunReader.Read(p), 13012);
    }

    [Fact]
    public void Maxtext_log_survives_mutation()
    {
        // The first 80 lines of the real DPO log (absl and orbax lines, the first step lines), read with a schedule (MaxText prints no LR).
        string source = Path.Combine(AppContext.BaseDirectory, "TestData", "maxtext_log", "dpo_qwen3_demo.log");
        string seed = string.Join("\n", File.ReadLines(source).Take(80)) + "\n";
        Run("maxtext.log", Encoding.UTF8.GetBytes(seed), p => RunReader.Read(p, new RunReadOptions { Schedule = "constant(peak=3e-6,steps=500)" }), 13013);
    }

    [Fact]
    public void Mlflow_metric_files_survive_mutation()
    {
        // A hand-made generic run folder whose loss file is mutated, and the real Trainer store's eval_loss file.
        string run = Path.Combine(_tmp.Path, "mlruns", "0", "r1");
        Directory.CreateDirectory(Path.Combine(run, "metrics"));
        File.WriteAllText(Path.Combine(run, "meta.yaml"), "run_id: r1\n");
        File.WriteAllText(Path.Combine(run, "metrics", "lr"), "1 0.001 1\n2 0.001 10\n");
        var sb = new StringBuilder();
        for (int s = 1; s <= 40; s++) sb.Append(CultureInfo.InvariantCulture, $"{1700000000000L + s} {5.0 / Math.Sqrt(s):R} {s}\n");
        Run(Path.Combine("mlruns", "0", "r1", "metrics", "loss"), Encoding.UTF8.GetBytes(sb.ToString()), _ => RunReader.Read(run), 13009, 300);
    }

    [Fact]
    public void Steplaw_sweep_table_survives_mutation()
    {
        string source = Path.Combine(DataFolders.Shared, "steplaw", "data", "dense_lr_bs_loss.csv");
        string head = string.Join("\n", File.ReadLines(source).Take(40)) + "\n";
        Run("dense_lr_bs_loss.csv", Encoding.UTF8.GetBytes(head), p => RunReader.ReadSweep(p), 13007);
    }
}
