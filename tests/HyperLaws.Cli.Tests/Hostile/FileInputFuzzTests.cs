using System.Globalization;
using System.Text;
using HyperLaws.Cli.Output;
using HyperLaws.Readers.Tests.Hostile;
using Xunit;

namespace HyperLaws.Cli.Tests.Hostile;

/// <summary>
/// Hostile files through every command that reads one (the fuzz of issue "formats" item 1): each file-taking option of
/// fit, import, predict, rank, contour, rank-continuation, optimize-schedule, compare, diverge, optimum, size-law and
/// plan gets empty files, binary garbage, folders, missing paths, the real formats cut short, NaN/Inf/negative/huge
/// values, duplicated and decreasing steps, missing columns, and seeded mutations of real-format files
/// (<see cref="Mutation"/>, the readers' own corruptions). The contract: exit code 0 or 2; on 2, stdout empty and
/// exactly one line "hyperlaws: error: ..." that names the input (the file's name or the option), with no stack
/// trace, no .NET type name, no control character, and no file written anywhere in the test's folder. The seeds are
/// fixed, so every run tries the same cases; a failure lists every case that broke, with its command line.
/// </summary>
public sealed class FileInputFuzzTests : IDisposable
{
    private const string Spec = "cosine(peak=3e-4,warmup=10,steps=1000)";
    private const string TissueLaw = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""";

    /// <summary>
    /// A case slower than this is a breach: hostile input must not hang a command. Generous: on a machine shared at load 60 a
    /// valid 24,000-step history (the MPL file cut short keeps its schedule's length) took 68 s in rank-continuation.
    /// </summary>
    private const double SlowSeconds = 180;

    private readonly TempDir _tmp = new();
    private readonly string _inputs;
    private readonly string _goodLaw;
    private readonly string _goodRun;

    public FileInputFuzzTests()
    {
        _inputs = Path.Combine(_tmp.Path, "inputs");
        Directory.CreateDirectory(_inputs);
        _goodLaw = Path.Combine(_inputs, "good-law.json");
        File.WriteAllText(_goodLaw, TissueLaw);
        _goodRun = Path.Combine(_inputs, "good-run.csv");
        File.WriteAllText(_goodRun, GenericCsv(60));
    }

    public void Dispose() => _tmp.Dispose();

    private static string TestData(string folder, string name) => Path.Combine(AppContext.BaseDirectory, "TestData", folder, name);

    /// <summary>A valid generic run: a 10-step warmup to 1e-3, loss 5/sqrt(s), metadata lines.</summary>
    private static string GenericCsv(int steps)
    {
        var sb = new StringBuilder("# name: tiny\n# params: 1.5e6\n# tokens_per_step: 4096\nstep,loss,lr,split\n");
        for (int s = 1; s <= steps; s++) sb.Append(CultureInfo.InvariantCulture, $"{s},{5.0 / Math.Sqrt(s):R},{1e-3 * Math.Min(1, s / 10.0):R},train\n");
        return sb.ToString();
    }

    private static string GenericJsonl(int steps)
    {
        var sb = new StringBuilder("""{"meta": {"name": "tiny", "params": 1.5e6, "schedule": "cosine(peak=1e-3,warmup=5,steps=40)"}}""" + "\n");
        for (int s = 1; s <= steps; s++) sb.Append(CultureInfo.InvariantCulture, $"{{\"step\": {s}, \"loss\": {5.0 / Math.Sqrt(s):R}}}\n");
        return sb.ToString();
    }

    /// <summary>An AlgoPerf eval_measurements.csv (header as <c>submission_runner.py</c> writes it): rows "global_step,preemption_count,accumulated_submission_time,validation/loss".</summary>
    private static string AlgoPerfCsv(params string[] rows) =>
        "global_step,preemption_count,accumulated_submission_time,validation/loss\n" + string.Concat(rows.Select(r => r + "\n"));

    private static string Head(string path, int lines) => string.Join('\n', File.ReadLines(path).Take(lines)) + "\n";

    /// <summary>Valid files of each format a run option reads, by file name (the name picks the reader).</summary>
    private static List<(string Name, byte[] Content)> RunSeeds() =>
    [
        ("run.csv", Encoding.UTF8.GetBytes(GenericCsv(40))),
        ("run.jsonl", Encoding.UTF8.GetBytes(GenericJsonl(40))),
        ("cosine_24000.csv", Encoding.UTF8.GetBytes(Head(Path.Combine(DataFolders.Repo, "MultiPowerLaw", "loss_curve_repo", "csv_25", "cosine_24000.csv"), 80))),
        ("trainer_state.json", File.ReadAllBytes(TestData("hf_trainer_state", "metamath.trainer_state.json"))),
        ("main.log", Encoding.UTF8.GetBytes(Head(TestData("modded_nanogpt", "llmc_gpt2_124m.head.log"), 120))),
        ("speedrun.txt", File.ReadAllBytes(TestData("modded_nanogpt", "track3_adam_5625.txt"))),
        // Lines 2,715-2,870 of the real Megatron-DeepSpeed log: iterations 10-400 and validations 100-300 among DeepSpeed's lines.
        ("megatron.log", Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(TestData("megatron_log", "gpt3_125m_moe_kernel.head.log")).Skip(2714).Take(156)) + "\n")),
        // A real AlgoPerf eval_measurements.csv (LibriSpeech DeepSpeech, 30 evaluations to step 40,782; no LR: needs --schedule).
        ("eval_measurements.csv", File.ReadAllBytes(TestData("algoperf", "deepspeech_trial_2_eval_measurements.csv"))),
        // The same format, small enough for the targets' 1,000-step schedule (import --schedule reads it through).
        ("algoperf_small.csv", Encoding.UTF8.GetBytes(AlgoPerfCsv("1,0,0,9.1", "300,0,0,4.5", "600,0,0,3.9", "900,0,0,3.6"))),
        // W&B's local run file (W&B's fixture generator, 50 history rows; no LR: needs --schedule): CRC-checked binary records.
        ("run-tiny0001.wandb", File.ReadAllBytes(TestData("wandb_runfile", "run-tiny0001.wandb"))),
        ("wandb.csv", Encoding.UTF8.GetBytes("\"Step\",\"r1 - train/loss\",\"r1 - train/loss__MIN\",\"r1 - train/loss__MAX\"\n\"1\",\"5\",\"5\",\"5\"\n\"2\",\"4.5\",\"4.5\",\"4.5\"\n\"3\",\"4.2\",\"4.2\",\"4.2\"\n")),
    ];

    /// <summary>Hand-written hostile run files: each a valid generic CSV but for one thing.</summary>
    private static List<(string Name, string Content)> HostileRuns() =>
    [
        ("nan-first.csv", "step,loss,lr\n1,NaN,1e-3\n2,4,1e-3\n"),
        ("inf-then-negative.csv", "step,loss,lr\n1,5,1e-3\n2,Infinity,1e-3\n3,-4,1e-3\n"),
        ("negative-lr.csv", "step,loss,lr\n1,5,-1e-3\n2,4,1e-3\n"),
        ("huge-lr.csv", "step,loss,lr\n1,5,1e308\n2,4,1e308\n3,3.9,1e308\n"),
        ("huge-loss.csv", "step,loss,lr\n1,1e308,1e-3\n2,1e307,1e-3\n3,1e306,1e-3\n"),
        ("negative-loss.csv", "step,loss,lr\n1,-5,1e-3\n2,-6,1e-3\n3,-7,1e-3\n"),
        ("zero-loss.csv", "step,loss,lr\n1,0,1e-3\n2,0,1e-3\n3,0,1e-3\n"),
        ("subnormal.csv", "step,loss,lr\n1,5,1e-320\n2,4,1e-320\n3,3,1e-320\n"),
        ("duplicate-step.csv", "step,loss,lr\n1,5,1e-3\n1,4,1e-3\n2,3,1e-3\n"),
        ("decreasing-steps.csv", "step,loss,lr\n3,5,1e-3\n2,4,1e-3\n1,3,1e-3\n"),
        ("no-loss-column.csv", "step,lr\n1,1e-3\n2,1e-3\n"),
        ("no-step-column.csv", "loss,lr\n5,1e-3\n4,1e-3\n"),
        ("header-only.csv", "step,loss,lr\n"),
        ("step-zero.csv", "step,loss,lr\n0,5,1e-3\n"),
        ("negative-step.csv", "step,loss,lr\n-3,5,1e-3\n"),
        ("huge-step.csv", "step,loss,lr\n99999999999999,5,1e-3\n"),
        ("fraction-step.csv", "step,loss,lr\n1.5,5,1e-3\n"),
        ("zero-lr.csv", "step,loss,lr\n1,5,0\n2,4,0\n3,3,0\n"),
        ("one-row.csv", "step,loss,lr\n1,5,1e-3\n"),
        ("constant-loss.csv", "step,loss,lr\n1,5,1e-3\n2,5,1e-3\n3,5,1e-3\n4,5,1e-3\n"),
        ("negative-params.csv", "# params: -5\nstep,loss,lr\n1,5,1e-3\n2,4,1e-3\n"),
        ("huge-params.csv", "# params: 1e308\n# tokens_per_step: 1e308\nstep,loss,lr\n1,5,1e-3\n2,4,1e-3\n"),
        ("zero-params.csv", "# params: 0\n# tokens_per_step: 0\nstep,loss,lr\n1,5,1e-3\n2,4,1e-3\n"),
        ("billion-step-schedule.csv", "# schedule: cosine(peak=1e-3,warmup=0,steps=1000000000)\nstep,loss\n1,5\n2,4\n"),
        ("bad-schedule.csv", "# schedule: banana\nstep,loss\n1,5\n2,4\n"),
        ("ragged.csv", "step,loss,lr\n1,5,1e-3\n2,4\n3\n"),
        ("megatron-nan-lr.log", " iteration       10/     100 | learning rate: nan | lm loss: 5.0E+00 |\n iteration       20/     100 | learning rate: 1.0E-04 | lm loss: 4.0E+00 |\n"),
        ("megatron-cut.log", " iteration       10/     100 | learning rate: 1.0E-04 | lm loss: 5.0E+00 |\n iteration       20/     100 | learning rate: 1.\n"),
        ("algoperf-nan-loss.csv", AlgoPerfCsv("1,0,0,9.1", "300,0,0,NaN", "600,0,0,3.9")),
        ("algoperf-negative-loss.csv", AlgoPerfCsv("1,0,0,9.1", "300,0,0,-4.5")),
        ("algoperf-negative-step.csv", AlgoPerfCsv("-300,0,0,4.5", "600,0,0,3.9")),
        ("algoperf-huge-step.csv", AlgoPerfCsv("1,0,0,9.1", "99999999999999,0,0,3.9")),
        ("algoperf-fraction-step.csv", AlgoPerfCsv("1.5,0,0,9.1", "300,0,0,4.5")),
        ("algoperf-duplicate-step.csv", AlgoPerfCsv("300,0,0,4.5", "300,0,0,4.4", "600,0,0,3.9")),
        ("algoperf-decreasing-step.csv", AlgoPerfCsv("600,0,0,3.9", "300,0,0,4.5")),
        ("algoperf-ragged.csv", AlgoPerfCsv("300,0,0,4.5", "600,0")),
        ("algoperf-no-loss.csv", "global_step,accumulated_submission_time,preemption_count,score\n1,0,0,1\n300,5,0,2\n"),
        ("algoperf-header-only.csv", AlgoPerfCsv()),
        ("truncated.jsonl", "{\"step\":1,\"loss\":5,\"lr\":1e-3}\n{\"step\":2,\"loss\":"),
        ("array-line.jsonl", "{\"step\":1,\"loss\":5,\"lr\":1e-3}\n[1,2,3]\n"),
        ("huge-step.jsonl", "{\"step\":1e400,\"loss\":5,\"lr\":1e-3}\n"),
        ("nul-bytes.csv", "step,loss,lr\n1,5\0,1e-3\n"),
        ("bom-crlf.csv", "\uFEFFstep,loss,lr\r\n1,5,1e-3\r\n2,4,1e-3\r\n"),
        ("events.out.tfevents.1.garbage", "\u0001\u0002not a tfrecord"),
        ("empty.log", ""),
    ];

    /// <summary>Hostile law, divergence-model and prior files (JSON the commands read).</summary>
    private static List<(string Name, string Content)> HostileJson() =>
    [
        ("nan.json", """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":NaN}}"""),
        ("negative.json", """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":-0.51,"alpha":1e308,"C":0.40}}"""),
        ("no-parameters.json", """{"format":"hyperlaws-law","version":1,"law":"tissue"}"""),
        ("version-99.json", """{"format":"hyperlaws-law","version":99,"law":"tissue","parameters":{}}"""),
        ("missing-parameter.json", """{"format":"hyperlaws-law","version":1,"law":"optlaw","parameters":{"L0":3}}"""),
        ("unknown-law.json", """{"format":"hyperlaws-law","version":1,"law":"banana","parameters":{"L0":3}}"""),
        ("array.json", "[]"),
        ("null.json", "null"),
        ("string-numbers.json", """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":"3.15","A":"x","alpha":0.5,"C":0.4}}"""),
        ("divergence-empty.json", """{"format":"hyperlaws-divergence","version":1}"""),
        ("deep.json", new string('[', 5000) + new string(']', 5000)),
        ("huge-number.json", """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":1""" + new string('0', 400) + ""","A":0.5,"alpha":0.5,"C":0.4}}"""),
    ];

    private static byte[] Garbage(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>One command with the place of the hostile input: args(input, outFolder).</summary>
    /// <summary>
    /// One command with the place of the hostile input: args(input, outFolder). <paramref name="Heavy"/>: a command whose run on
    /// a valid file takes many seconds (plan fits and checks several laws), given only the cases that must be refused at reading.
    /// </summary>
    private sealed record Target(string Label, string Option, Func<string, string, string[]> Args, bool TakesRuns, bool TakesJson, int Mutations, bool Heavy = false);

    /// <summary>The hostile run files every heavy target gets: each is refused while reading, before any fit.</summary>
    private static readonly HashSet<string> RefusedAtReading = new(StringComparer.Ordinal)
    {
        "nan-first.csv", "negative-lr.csv", "huge-lr.csv", "zero-loss.csv", "duplicate-step.csv", "decreasing-steps.csv", "no-loss-column.csv",
        "header-only.csv", "ragged.csv", "bad-schedule.csv", "billion-step-schedule.csv", "nul-bytes.csv", "truncated.jsonl", "huge-step.csv",
    };

    private List<Target> Targets()
    {
        string prior = Path.Combine(DataFolders.Repo, "priors", "lr-axis-steplaw.json");
        string div = Path.Combine(DataFolders.Repo, "priors", "divergence-steplaw.json");
        return
        [
            new("fit --runs", "--runs", (f, o) => ["fit", "--law", "tissue", "--runs", f, "--out", Path.Combine(o, "law.json")], true, false, 2),
            new("fit --law mpl --runs", "--runs", (f, o) => ["fit", "--law", "mpl", "--runs", f, "--out", Path.Combine(o, "law.json")], true, false, 1),
            new("import FILE", "FILE", (f, o) => ["import", f, "--out", Path.Combine(o, "run.csv")], true, false, 2),
            new("import FILE --schedule", "FILE", (f, o) => ["import", f, "--schedule", Spec, "--out", Path.Combine(o, "run.csv")], true, false, 1),
            new("compare --train", "--train", (f, o) => ["compare", "--laws", "tissue", "--train", f, "--test", _goodRun], true, false, 1),
            new("compare --test", "--test", (f, o) => ["compare", "--laws", "tissue", "--train", _goodRun, "--test", f], true, false, 1),
            new("rank --runs", "--runs", (f, o) => ["rank", "--law", _goodLaw, "--steps", "1000", "--runs", f], true, false, 1),
            new("rank-continuation --history", "--history", (f, o) => ["rank-continuation", "--law", _goodLaw, "--history", f, "--steps", "100"], true, false, 1),
            new("diverge --fit --runs", "--runs", (f, o) => ["diverge", "--fit", "--runs", f, "--out", Path.Combine(o, "div.json")], true, false, 1),
            new("optimum --sweep", "--sweep", (f, o) => ["optimum", "--sweep", f], true, false, 1),
            new("size-law --table", "--table", (f, o) => ["size-law", "--table", f, "--resamples", "10"], true, false, 1),
            new("plan --runs", "--runs", (f, o) => ["plan", "--params", "10M", "--tokens", "200M", "--laws", "tissue", "--no-divergence", "--no-fit-cache", "--quiet", "--runs", f, "--out", Path.Combine(o, "plan")], true, false, 0, Heavy: true),
            new("predict --law", "--law", (f, o) => ["predict", "--law", f, "--schedule", Spec], false, true, 3),
            new("predict --law --plot", "--law", (f, o) => ["predict", "--law", f, "--schedule", Spec, "--plot", Path.Combine(o, "p.png")], false, true, 0),
            new("rank --law", "--law", (f, o) => ["rank", "--law", f, "--steps", "1000"], false, true, 2),
            new("contour --law", "--law", (f, o) => ["contour", "--law", f, "--steps", "1000", "--peaks", "1e-4:1e-3:3", "--warmups", "0.01:0.1:3", "--out", Path.Combine(o, "contour")], false, true, 1),
            new("optimize-schedule --law", "--law", (f, o) => ["optimize-schedule", "--law", f, "--steps", "1000", "--evaluations", "50", "--knots", "4", "--out", Path.Combine(o, "s.csv")], false, true, 1),
            new("diverge --model", "--model", (f, o) => ["diverge", "--model", f, "--schedule", Spec, "--params", "1M", "--batch", "1M"], false, true, 2),
            new("rank --divergence", "--divergence", (f, o) => ["rank", "--law", _goodLaw, "--steps", "1000", "--divergence", f, "--params", "1M", "--batch", "1M"], false, true, 1),
            new("plan --divergence", "--divergence", (f, o) => ["plan", "--params", "10M", "--tokens", "200M", "--quiet", "--divergence", f, "--lr-prior", prior, "--out", Path.Combine(o, "plan")], false, true, 0, Heavy: true),
            new("plan --lr-prior", "--lr-prior", (f, o) => ["plan", "--params", "10M", "--tokens", "200M", "--quiet", "--lr-prior", f, "--divergence", div, "--out", Path.Combine(o, "plan")], false, true, 0, Heavy: true),
            new("optimum --rule", "--rule", (f, o) => ["optimum", "--sweep", Path.Combine(DataFolders.Shared, "steplaw", "data", "dense_lr_bs_loss.csv"), "--rule", f], false, true, 0),
        ];
    }

    /// <summary>The cases for one target: (file name, content or null for a folder/missing path, kind).</summary>
    private IEnumerable<(string Name, byte[]? Content, string Kind)> Cases(Target t, int seed)
    {
        yield return ("empty" + (t.TakesJson ? ".json" : ".csv"), [], "empty");
        yield return ("garbage" + (t.TakesJson ? ".json" : ".csv"), Garbage(seed, 3000), "garbage");
        yield return ("garbage.bin", Garbage(seed + 1, 500), "garbage, no extension known");
        yield return ("a-folder", null, "empty folder");
        yield return ("folder-of-garbage", Garbage(seed + 2, 200), "folder holding garbage");
        yield return ("missing", null, "missing path");
        if (t.TakesRuns)
        {
            foreach (var (name, content) in HostileRuns().Where(h => !t.Heavy || RefusedAtReading.Contains(h.Name)))
                yield return (name, Encoding.UTF8.GetBytes(content), "hostile run");
            foreach (var (name, content) in t.Heavy ? new List<(string Name, byte[] Content)>() : RunSeeds())
            {
                yield return (name, content[..(content.Length / 2)], "truncated");
                var rng = new Random(seed + name.Length * 7919);
                for (int i = 0; i < t.Mutations; i++) yield return (name, Mutation.Mutate(content, rng), $"mutation {i}");
            }
        }
        if (t.TakesJson)
        {
            foreach (var (name, content) in HostileJson()) yield return (name, Encoding.UTF8.GetBytes(content), "hostile json");
            if (t.Heavy) yield break;
            byte[] law = Encoding.UTF8.GetBytes(TissueLaw);
            yield return ("law.json", law[..(law.Length / 2)], "truncated");
            var rng = new Random(seed + 17);
            for (int i = 0; i < t.Mutations; i++) yield return ("law.json", Mutation.Mutate(law, rng), $"mutation {i}");
            foreach (string prior in new[] { "lr-axis-steplaw.json", "divergence-steplaw.json" })
            {
                byte[] p = File.ReadAllBytes(Path.Combine(DataFolders.Repo, "priors", prior));
                yield return (prior, p[..(p.Length / 3)], "truncated");
                for (int i = 0; i < t.Mutations; i++) yield return (prior, Mutation.Mutate(p, rng), $"mutation {i}");
            }
        }
    }

    private static string[] Listing(string folder) =>
        [.. Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>Why a run broke the contract, or null.</summary>
    private static string? Breach(CliResult r, string input, string option)
    {
        if (r.ExitCode is not (0 or CliApp.UsageError)) return $"exit {r.ExitCode}: {ErrorText.OneLine(r.Stderr)}";
        if (r.Stderr.Contains("   at ", StringComparison.Ordinal)) return "stack trace: " + ErrorText.OneLine(r.Stderr);
        if (r.ExitCode == 0) return null;
        if (r.Stdout.Length > 0) return "exit 2 with stdout: " + ErrorText.OneLine(r.Stdout);
        // Progress lines (a fit's "fitting ... done") may come first when the error shows only once the work has begun (a fit
        // that does not converge); the error itself is one line, the last, and the only one starting "hyperlaws:".
        var lines = r.Stderr.TrimEnd('\n', '\r').Split('\n');
        string line = lines[^1].TrimEnd('\r');
        if (lines.Take(lines.Length - 1).Any(l => l.StartsWith("hyperlaws", StringComparison.Ordinal)))
            return "more than one error line: " + ErrorText.OneLine(r.Stderr);
        if (!line.StartsWith("hyperlaws: error:", StringComparison.Ordinal)) return "not a 'hyperlaws: error:' line: " + line;
        if (line.Any(char.IsControl)) return "control characters: " + ErrorText.OneLine(line);
        if (line.Contains("System.", StringComparison.Ordinal) || line.Contains("Exception", StringComparison.Ordinal)) return ".NET name: " + line;
        if (line.Length > 600) return $"a line of {line.Length} characters: {line[..300]}...";
        if (!line.Contains(Path.GetFileName(input), StringComparison.Ordinal) && !line.Contains(option, StringComparison.Ordinal))
            return "names neither the input nor the option: " + line;
        return null;
    }

    private List<string> Fuzz(Target t, int seed)
    {
        var failures = new List<string>();
        int n = 0;
        foreach (var (name, content, kind) in Cases(t, seed))
        {
            string caseDir = Path.Combine(_tmp.Path, $"c{seed}-{n++}");
            Directory.CreateDirectory(caseDir);
            string input = Path.Combine(caseDir, name);
            if (kind == "empty folder") Directory.CreateDirectory(input);
            else if (kind == "folder holding garbage")
            {
                Directory.CreateDirectory(input);
                File.WriteAllBytes(Path.Combine(input, "events.out.tfevents.1.x"), content!);
                File.WriteAllBytes(Path.Combine(input, "run.csv"), content!);
            }
            else if (content is not null) File.WriteAllBytes(input, content);
            string outDir = Path.Combine(caseDir, "out");
            var before = Listing(_tmp.Path);
            var args = t.Args(input, outDir);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var r = Cli.Run(args);
            double seconds = clock.Elapsed.TotalSeconds;
            string? breach = Breach(r, input, t.Option);
            if (seconds > SlowSeconds) breach = (breach is null ? "" : breach + "; ") + $"took {seconds:F1} s (a hostile file must be refused or read quickly)";
            if (r.ExitCode == CliApp.UsageError && !Listing(_tmp.Path).SequenceEqual(before))
                breach = (breach is null ? "" : breach + "; ") + "exit 2 but wrote " + string.Join(", ", Listing(_tmp.Path).Except(before).Select(Path.GetFileName));
            if (breach is not null)
                failures.Add($"[{t.Label}] {kind} {name}: {breach}\n    hyperlaws {string.Join(' ', args.Select(a => a.Replace(_tmp.Path, "$TMP", StringComparison.Ordinal)))}");
            Directory.Delete(caseDir, recursive: true);
        }
        return failures;
    }

    public static TheoryData<int> TargetIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < 22; i++) data.Add(i);
        return data;
    }

    [Fact]
    public void Every_target_is_listed_once() => Assert.Equal(TargetIndices().Count, Targets().Count);

    [Theory]
    [MemberData(nameof(TargetIndices))]
    public void Hostile_files_get_exit_0_or_one_error_line_and_nothing_written(int index)
    {
        var target = Targets()[index];
        var failures = Fuzz(target, 20261206 + index);
        Assert.True(failures.Count == 0, $"{failures.Count} breaches:\n" + string.Join("\n", failures));
    }
}
