using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>One <c>plan --export</c> on the shipped runs (LR-annealing law, seconds), shared by the export tests.</summary>
public sealed class PlanExportRun : IDisposable
{
    private readonly TempDir _dir = new();

    public PlanExportRun()
    {
        Result = Cli.Run("plan", "--params", "100M", "--tokens", "2B", "--laws", "tissue", "--out", Path.Combine(_dir.Path, "plan"),
            "--export", ExportDir, "--json");
    }

    public string ExportDir => Path.Combine(_dir.Path, "export");

    internal CliResult Result { get; }

    public void Dispose() => _dir.Dispose();
}

/// <summary><c>plan --export DIR</c>: the per-step LR, the Python schedule that reads it, and the trainers' fragments.</summary>
public sealed class PlanExportTests(PlanExportRun run) : IClassFixture<PlanExportRun>
{
    private JsonObject Plan => run.Result.Json();

    private double[] PlanLr => LrSchedule.Parse(Plan["best"]!["schedule"]!.GetValue<string>()).Evaluate();

    [Fact]
    public void The_csv_holds_the_plans_lr_at_every_step()
    {
        var lines = File.ReadAllLines(Path.Combine(run.ExportDir, "lr_schedule.csv"));
        double[] expected = PlanLr;
        Assert.Equal("step,lr", lines[0]);
        Assert.Equal(expected.Length + 1, lines.Length);
        for (int s = 1; s <= expected.Length; s++)
        {
            var f = lines[s].Split(',');
            Assert.Equal(s, int.Parse(f[0], CultureInfo.InvariantCulture));
            Assert.Equal(expected[s - 1], double.Parse(f[1], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void The_python_callable_reproduces_the_plans_lr_at_every_step()
    {
        // lr_at(s) for every step, and the LambdaLR factor times PEAK, printed by python3 with repr (round-trip).
        string script = """
            import sys
            sys.path.insert(0, sys.argv[1])
            import lr_schedule as m
            for s in range(1, m.STEPS + 1):
                print(repr(m.lr_at(s)), repr(m.factor(s - 1) * m.PEAK))
            print(repr(m.lr_at(m.STEPS + 10)))
            """;
        var (code, stdout, stderr) = Python(script, run.ExportDir);
        Assert.True(code == 0, $"python3 exited {code}: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        double[] expected = PlanLr;
        Assert.Equal(expected.Length + 1, lines.Length);
        for (int s = 1; s <= expected.Length; s++)
        {
            var f = lines[s - 1].Split(' ');
            Assert.Equal(expected[s - 1], double.Parse(f[0], CultureInfo.InvariantCulture));
            Assert.Equal(expected[s - 1], double.Parse(f[1], CultureInfo.InvariantCulture), expected[s - 1] * 1e-14);
        }
        // Past the end: the last LR is held.
        Assert.Equal(expected[^1], double.Parse(lines[^1], CultureInfo.InvariantCulture));
    }

    /// <summary>Runs python3 on a script given on stdin, with its arguments.</summary>
    private static (int Code, string Stdout, string Stderr) Python(string script, params string[] args)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add("-");
        foreach (string a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }

    [Fact]
    public void The_fragments_carry_the_plans_numbers_and_name_the_priors_sources()
    {
        var plan = Plan;
        double peak = JsonAssert.Number(plan["best"], "peak");
        int steps = plan["best"]!["steps"]!.GetValue<int>();
        int warmup = plan["best"]!["warmup"]!.GetValue<int>();
        int sequences = plan["hyperparameters"]!["batchSequences"]!.GetValue<int>();
        string peakText = peak.ToString("R", CultureInfo.InvariantCulture);
        string hf = File.ReadAllText(Path.Combine(run.ExportDir, "hf_training_args.py"));
        Assert.Contains($"warmup_steps={warmup},", hf, StringComparison.Ordinal);
        Assert.Contains($"gradient_accumulation_steps={sequences},", hf, StringComparison.Ordinal);
        Assert.Contains("max_grad_norm=1.0,", hf, StringComparison.Ordinal);
        string titan = File.ReadAllText(Path.Combine(run.ExportDir, "torchtitan.toml"));
        Assert.Contains($"steps = {steps}\n", titan, StringComparison.Ordinal);
        Assert.Contains($"global_batch_size = {sequences}\n", titan, StringComparison.Ordinal);
        string nano = File.ReadAllText(Path.Combine(run.ExportDir, "nanogpt_config.py"));
        Assert.Contains($"max_iters = {steps}\n", nano, StringComparison.Ordinal);
        Assert.Contains($"warmup_iters = {warmup}\n", nano, StringComparison.Ordinal);
        string lit = File.ReadAllText(Path.Combine(run.ExportDir, "litgpt.yaml"));
        Assert.Contains($"lr_warmup_steps: {warmup}\n", lit, StringComparison.Ordinal);
        string notes = File.ReadAllText(Path.Combine(run.ExportDir, "optimizer.md"));
        Assert.Contains("arXiv 2005.14165", notes, StringComparison.Ordinal);
        // The peak is written so that every format reads it back as the same float.
        foreach (string text in new[] { hf, titan, nano, lit })
            Assert.Contains(peakText.Contains('E', StringComparison.Ordinal) && !peakText.Contains('.', StringComparison.Ordinal) ? peakText.Replace("E", ".0E", StringComparison.Ordinal) : peakText, text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_lists_the_exported_files()
    {
        var files = Plan["files"]!.AsArray().Select(x => Path.GetFileName(x!.GetValue<string>())).ToList();
        foreach (string name in new[] { "lr_schedule.csv", "lr_schedule.py", "hf_training_args.py", "torchtitan.toml", "litgpt.yaml", "nanogpt_config.py", "optimizer.md" })
            Assert.Contains(name, files);
    }
}
