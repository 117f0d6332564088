using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HyperLaws.Readers;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// <c>hyperlaws sweep</c> end to end into temporary folders: the files agree with each other, the row runner fills the
/// training command as advertised (run with bash), results written in the advertised format read back through the
/// readers, and bad input is one line with exit code 2 and nothing written.
/// </summary>
public sealed class SweepCommandTests
{
    private static readonly string[] Target = ["sweep", "--params", "1.3B", "--tokens", "26B"];
    private const string Probe = "printf '%s|' {run_id} {lr} {batch_seqs} {steps} {warmup} {schedule} {momentum} {log}";

    private static string[] Args(params string[] extra) => [.. Target, .. extra];

    /// <summary>sweep.csv as rows of fields: all but the last split at commas, the last (the schedule spec) unquoted.</summary>
    private static List<string[]> ReadCsv(string path)
    {
        var lines = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = new List<string[]>();
        foreach (var line in lines.Skip(1))
        {
            int q = line.IndexOf(",\"", StringComparison.Ordinal);
            Assert.True(q > 0 && line.EndsWith('"'), $"the schedule field is not last and quoted: {line}");
            rows.Add([.. line[..q].Split(','), line[(q + 2)..^1]]);
        }
        Assert.Equal(string.Join(',', Output.SweepFiles.Columns), lines[0]);
        return rows;
    }

    private static int Col(string name) => Output.SweepFiles.Columns.ToList().IndexOf(name);

    [Fact]
    public void The_files_agree_with_each_other()
    {
        using var tmp = new TempDir(create: false);
        var r = Cli.Run(Args("--out", tmp.Path, "--json", "--train-command", Probe, "--partition", "gpu", "--time", "04:00:00", "--project", "calib"));
        var json = r.Json();
        Assert.Equal("", r.Stderr);
        var files = json["files"]!.AsArray().Select(f => (string)f!).ToList();
        Assert.Equal(["sweep.csv", "sweep.json", "run-row.sh", "sweep.slurm", "wandb-sweep.yaml", "RESULTS.md"], files.Select(Path.GetFileName));
        Assert.All(files, f => Assert.True(File.Exists(f), f));

        var runs = json["runs"]!.AsArray();
        var rows = ReadCsv(Path.Combine(tmp.Path, "sweep.csv"));
        Assert.Equal(54, runs.Count);
        Assert.Equal(runs.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var run = runs[i]!;
            Assert.Equal((string)run["runId"]!, rows[i][Col("run_id")]);
            Assert.Equal(JsonAssert.Number(run, "lr"), double.Parse(rows[i][Col("lr")], CultureInfo.InvariantCulture));
            Assert.Equal(JsonAssert.Number(run, "steps"), double.Parse(rows[i][Col("steps")], CultureInfo.InvariantCulture));
            Assert.Equal(JsonAssert.Number(run, "batchTokens"), double.Parse(rows[i][Col("batch_tokens")], CultureInfo.InvariantCulture));
            Assert.Equal(JsonAssert.Number(run, "steps") * JsonAssert.Number(run, "batchTokens"), JsonAssert.Number(run, "tokens"));
            Assert.Equal((string)run["schedule"]!, rows[i][Col("schedule")]);
            Assert.Equal((string)run["log"]!, rows[i][Col("log")]);
            var schedule = LrSchedule.Parse(rows[i][Col("schedule")]);
            Assert.Equal(JsonAssert.Number(run, "steps"), schedule.Steps);
        }
        Assert.Equal(runs.Sum(x => JsonAssert.Number(x, "tokens")), JsonAssert.Number(json["cost"], "tokens"));
        JsonAssert.Close(json["cost"], "fractionOfTarget", JsonAssert.Number(json["cost"], "tokens") / 26e9, 1e-12);

        string slurm = File.ReadAllText(Path.Combine(tmp.Path, "sweep.slurm"));
        var array = Regex.Match(slurm, @"^#SBATCH --array=0-(\d+)$", RegexOptions.Multiline);
        Assert.True(array.Success, slurm);
        Assert.Equal(rows.Count - 1, int.Parse(array.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Contains("#SBATCH --partition=gpu\n", slurm, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --time=04:00:00\n", slurm, StringComparison.Ordinal);

        string yaml = File.ReadAllText(Path.Combine(tmp.Path, "wandb-sweep.yaml"));
        var values = Regex.Matches(yaml, "^      - \"([^\"]+)\"$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(rows.Select(x => x[0]), values);
        Assert.Contains("method: grid\n", yaml, StringComparison.Ordinal);
        Assert.Contains("project: calib\n", yaml, StringComparison.Ordinal);
        Assert.Contains("  - ${args_no_hyphens}\n", yaml, StringComparison.Ordinal);

        // sweep.json on disk is the plan printed on stdout, less where it was written.
        var onDisk = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.Path, "sweep.json")))!.AsObject();
        json.Remove("out");
        json.Remove("files");
        Assert.True(JsonNode.DeepEquals(onDisk, json));
        Assert.True(Directory.Exists(Path.Combine(tmp.Path, "runs")) && Directory.Exists(Path.Combine(tmp.Path, "slurm")));
    }

    [Fact]
    public void The_same_input_writes_the_same_files()
    {
        using var a = new TempDir(create: false);
        using var b = new TempDir(create: false);
        Assert.Equal(0, Cli.Run(Args("--out", a.Path, "--quiet")).ExitCode);
        Assert.Equal(0, Cli.Run(Args("--out", b.Path, "--quiet")).ExitCode);
        foreach (var name in new[] { "sweep.csv", "sweep.json", "run-row.sh", "sweep.slurm", "wandb-sweep.yaml" })
            Assert.Equal(File.ReadAllText(Path.Combine(a.Path, name)), File.ReadAllText(Path.Combine(b.Path, name)));
    }

    [Fact]
    public void The_row_runner_fills_the_template_from_slurm_and_wandb_arguments()
    {
        Assert.SkipUnless(File.Exists("/bin/bash") || File.Exists("/usr/bin/bash"), "needs bash");
        using var tmp = new TempDir(create: false);
        Assert.Equal(0, Cli.Run(Args("--out", tmp.Path, "--quiet", "--train-command", Probe)).ExitCode);
        var rows = ReadCsv(Path.Combine(tmp.Path, "sweep.csv"));
        string dir = Path.GetFullPath(tmp.Path);
        string Expected(string[] row) => string.Join("", new[] { "run_id", "lr", "batch_seqs", "steps", "warmup", "schedule", "momentum" }
            .Select(c => row[Col(c)] + "|")) + dir + "/" + row[Col("log")] + "|";

        foreach (int i in new[] { 0, 17, rows.Count - 1 })
        {
            var slurm = Bash(Path.Combine(tmp.Path, "sweep.slurm"), [], new() { ["SLURM_ARRAY_TASK_ID"] = i.ToString(CultureInfo.InvariantCulture) });
            Assert.True(slurm.Code == 0, slurm.Err);
            Assert.Equal(Expected(rows[i]), slurm.Out);
        }
        // W&B passes run_id=ID (${args_no_hyphens}); the runner finds the row by id.
        var wandb = Bash(Path.Combine(tmp.Path, "run-row.sh"), [$"run_id={rows[20][0]}"], []);
        Assert.True(wandb.Code == 0, wandb.Err);
        Assert.Equal(Expected(rows[20]), wandb.Out);
        Assert.True(Directory.Exists(Path.Combine(tmp.Path, "runs")));

        var missing = Bash(Path.Combine(tmp.Path, "run-row.sh"), ["index=999"], []);
        Assert.Equal(2, missing.Code);
        Assert.Contains("no row 999", missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_training_command_the_runner_says_what_to_set()
    {
        Assert.SkipUnless(File.Exists("/bin/bash") || File.Exists("/usr/bin/bash"), "needs bash");
        using var tmp = new TempDir(create: false);
        Assert.Equal(0, Cli.Run(Args("--out", tmp.Path, "--quiet")).ExitCode);
        Assert.Contains("No --train-command was given", File.ReadAllText(Path.Combine(tmp.Path, "sweep.slurm")), StringComparison.Ordinal);
        var r = Bash(Path.Combine(tmp.Path, "run-row.sh"), ["index=0"], []);
        Assert.Equal(2, r.Code);
        Assert.Contains("no training command: set TEMPLATE", r.Err, StringComparison.Ordinal);
        // SWEEP_TRAIN_COMMAND stands in for the template; DRY_RUN prints the command instead of running it.
        var dry = Bash(Path.Combine(tmp.Path, "run-row.sh"), ["index=0"], new() { ["SWEEP_TRAIN_COMMAND"] = "train --lr {lr} --schedule {schedule}", ["DRY_RUN"] = "1" });
        Assert.True(dry.Code == 0, dry.Err);
        var row = ReadCsv(Path.Combine(tmp.Path, "sweep.csv"))[0];
        Assert.Equal($"train --lr {row[Col("lr")]} --schedule {ShellEscape(row[Col("schedule")])}\n", dry.Out);
    }

    /// <summary>What bash's printf %q makes of a spec: ( ) and , escaped with a backslash.</summary>
    private static string ShellEscape(string s) => Regex.Replace(s, @"([(),])", @"\$1");

    [Fact]
    public void Results_in_the_advertised_format_read_back_through_the_readers()
    {
        using var tmp = new TempDir(create: false);
        var json = Cli.Run(Args("--out", tmp.Path, "--json")).Json();
        var runs = json["runs"]!.AsArray();

        // RESULTS.md shows the first run's header, which is the logHeader sweep.json gives for it.
        string results = File.ReadAllText(Path.Combine(tmp.Path, "RESULTS.md"));
        var block = Regex.Match(results, "## How the results come back.*?```text\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, results);
        Assert.Equal(runs[0]!["logHeader"]!.AsArray().Select(l => (string)l! + "\n"), block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + "\n"));

        // Every run writes its log: the header, then synthetic losses every 25 steps with the LR logged at every other row.
        foreach (var run in runs)
        {
            var schedule = LrSchedule.Parse((string)run!["schedule"]!);
            var lrs = schedule.Evaluate();
            var sb = new StringBuilder();
            foreach (var line in run["logHeader"]!.AsArray()) sb.Append((string)line!).Append('\n');
            double s1 = 0;
            for (int t = 1; t <= lrs.Length; t++)
            {
                s1 += lrs[t - 1];
                if (t % 25 != 0 && t != lrs.Length) continue;
                double loss = 2.5 + 4 * Math.Pow(1 + 1e3 * s1, -0.3);   // a power law in the intrinsic time, as the laws expect
                string lr = t % 50 == 0 ? lrs[t - 1].ToString("R", CultureInfo.InvariantCulture) : "";
                sb.Append(CultureInfo.InvariantCulture, $"{t},{loss.ToString("R", CultureInfo.InvariantCulture)},{lr}\n");
            }
            File.WriteAllText(Path.Combine(tmp.Path, (string)run["log"]!), sb.ToString());
        }

        var set = RunReader.ReadDirectory(Path.Combine(tmp.Path, "runs"));
        Assert.Empty(set.Failures);
        Assert.Equal(runs.Count, set.Runs.Count);
        foreach (var run in runs)
        {
            var read = set[(string)run!["runId"]!];
            Assert.Equal(JsonAssert.Number(run, "params"), read.Metadata.Parameters);
            Assert.Equal(JsonAssert.Number(run, "batchTokens"), read.Metadata.TokensPerStep);
            Assert.Equal(JsonAssert.Number(run, "tokens"), read.Metadata.TotalTokens);
            Assert.Equal((string)run["schedule"]!, read.Metadata.Schedule);
            Assert.Equal((int)JsonAssert.Number(run, "batchSeqs"), read.Metadata.BatchSize);
            Assert.Equal((string)run["optimizer"]!, read.Metadata.Optimizer);
            Assert.Equal((string)run["purpose"]!, read.Metadata.Tags["sweep_purpose"]);
            Assert.Equal(LrSchedule.Parse((string)run["schedule"]!).Evaluate(), read.LearningRates);
            Assert.False(read.Diverged);
            Assert.Equal((int)JsonAssert.Number(run, "steps"), read.Observations[^1].Step);
        }
    }

    [Fact]
    public void Quiet_and_human_output()
    {
        using var tmp = new TempDir(create: false);
        var quiet = Cli.Run(Args("--out", tmp.Path, "--quiet"));
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal("", quiet.Stderr);
        Assert.Equal($"{tmp.Path}: 54 runs, 25.5% of the target run's compute\n", quiet.Stdout);

        // Without --out, --quiet prints sweep.csv itself, and nothing is written.
        var csv = Cli.Run(Args("--quiet"));
        Assert.Equal(0, csv.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(tmp.Path, "sweep.csv")), csv.Stdout);

        var human = Cli.Run(Args("--max-compute-fraction", "0.1"));
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("calibration sweep for N = 1.3B, T = 26B tokens (adamw), centred on Step Law\n", human.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"cost: 54 runs of N = 1\.3B, .* FLOPs \(6 N D\) = 25\.5% of the target run's", human.Stdout);
        Assert.Contains("nothing written: give --out DIR", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("d3-wsd50", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("note: centres: Step Law", human.Stderr, StringComparison.Ordinal);
        Assert.Contains("warning: the sweep costs 25.5% of the target run's compute (6 N T), above 10%", human.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--params|0", "--params: 0 is not a model size")]
    [InlineData("--params|1e20", "--params: 1e20 is not a model size")]
    [InlineData("--tokens|-5", "--tokens: -5 is not a token budget")]
    [InlineData("--optimizer|sgd", "'sgd' is not an optimizer")]
    [InlineData("--train-command|python train.py --lr {lr} --x {foo}", "--train-command: unknown placeholder {foo}")]
    [InlineData("--budgets|1e5,1e8", "--budgets: '1e5' tokens is too small")]
    [InlineData("--budgets|26B", "is not below the target's T")]
    [InlineData("--budgets|ten", "--budgets: 'ten' is not a positive number")]
    [InlineData("--lr-points|2", "--lr-points: 2 is not a whole number in 3..15")]
    [InlineData("--seq-len|1.5", "--seq-len: 1.5 is not a whole number")]
    [InlineData("--sweep-params|2B", "--sweep-params: 2e9 is not a model size")]
    [InlineData("--arms|linear", "--arms: 'linear' is not a schedule of the arm")]
    [InlineData("--momentum|1", "--momentum: 1 is not in [0, 1)")]
    [InlineData("--time|soon", "--time: 'soon' is not a Slurm time limit")]
    [InlineData("--log-dir|a,b", "--log-dir:")]
    [InlineData("--slurm-option|account=lab", "--slurm-option: 'account=lab' is not one sbatch option")]
    [InlineData("--second-cooldown|0.2", "must differ from the grid's")]
    public void Bad_input_is_one_line_with_exit_code_2_and_nothing_written(string extra, string expected)
    {
        using var tmp = new TempDir(create: false);
        var given = extra.Split('|');
        // --params or --tokens replace the target's; other options are added to it.
        var args = new List<string>(Target);
        int at = args.IndexOf(given[0]);
        if (at >= 0) args[at + 1] = given[1];
        else args.AddRange(given);
        args.AddRange(["--out", tmp.Path]);
        var r = Cli.Run([.. args]);
        string line = r.AssertUsageError();
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(tmp.Path), "the output folder was created");
    }

    [Fact]
    public void An_output_folder_that_cannot_be_made_is_refused_before_writing()
    {
        using var tmp = new TempDir();
        string file = Path.Combine(tmp.Path, "a-file");
        File.WriteAllText(file, "x");
        Assert.Contains("--out:", Cli.Run(Args("--out", file)).AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains("cannot write", Cli.Run(Args("--out", Path.Combine(file, "sub"))).AssertUsageError(), StringComparison.Ordinal);
        Assert.Equal("x", File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFileSystemEntries(tmp.Path));
    }

    private static (int Code, string Out, string Err) Bash(string script, string[] args, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("SWEEP_DIR");
        psi.Environment.Remove("SLURM_SUBMIT_DIR");
        psi.Environment.Remove("SWEEP_TRAIN_COMMAND");
        psi.Environment.Remove("DRY_RUN");
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }
}
