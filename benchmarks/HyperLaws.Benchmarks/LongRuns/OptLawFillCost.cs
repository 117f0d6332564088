using System.Diagnostics;
using System.Globalization;
using HyperLaws.Laws;

namespace HyperLaws.Benchmarks.LongRuns;

/// <summary>
/// OptLaw's per-p cost on the 100 x 50k sweep, alone: building every run's noise blocks once, then the fill of the
/// noise features for one p (what each Nelder-Mead evaluation with a new p pays), serially, as the process's CPU time
/// (the fill's average over 20 p values near 0.8, four rounds).
/// <code>
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- optfill [--runs 100] [--steps 50000]
/// </code>
/// </summary>
public static class OptLawFillCost
{
    public static int Run(string[] args)
    {
        int runs = int.Parse(Option(args, "--runs") ?? "100", CultureInfo.InvariantCulture);
        int steps = int.Parse(Option(args, "--steps") ?? "50000", CultureInfo.InvariantCulture);
        var targets = SyntheticRuns.Targets(runs, steps);
        var law = new OptLaw();
        var process = Process.GetCurrentProcess();
        double Cpu() { process.Refresh(); return process.TotalProcessorTime.TotalMilliseconds; }
        double start = Cpu();
        var blocks = targets.Select(t => new OptLawNoiseBlocks(law.Lags, law.Barriers, t.History, t.Steps)).ToArray();
        Console.WriteLine($"blocks of {runs} runs x {steps} steps: {Cpu() - start:F1} ms CPU (serial)");
        int rows = targets.Sum(t => t.Steps.Length);
        var columns = Enumerable.Range(0, law.Lags.Count).Select(_ => new double[rows]).ToArray();
        var offsets = new int[targets.Count];
        for (int i = 1; i < offsets.Length; i++) offsets[i] = offsets[i - 1] + targets[i - 1].Steps.Length;
        for (int round = 0; round < 4; round++)
        {
            start = Cpu();
            for (int k = 0; k < 20; k++)
                for (int i = 0; i < blocks.Length; i++) blocks[i].FillNoise(0.8 + 1e-3 * k, columns, offsets[i]);
            Console.WriteLine($"fill per p: {(Cpu() - start) / 20:F2} ms CPU");
        }
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
