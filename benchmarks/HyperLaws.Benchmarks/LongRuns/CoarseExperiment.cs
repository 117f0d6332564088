using System.Diagnostics;
using System.Globalization;
using HyperLaws.Laws;

namespace HyperLaws.Benchmarks.LongRuns;

/// <summary>
/// The exploratory runs behind <c>FitOptions.CurveSubset</c>'s declaration (docs/VALIDATION.md, "MPL: many curves fitted on a few
/// first"): MPL fitted on <c>count</c> of the sweep's curves (the same pseudo-random choice as LawFitter.SubsetIndices), each
/// thinned to every <c>every</c>-th point, then on every curve from that optimum; <c>--full</c> adds the fit of every curve
/// by the whole procedure. Objective, evaluations, CPU and wall of each stage.
/// <code>
/// dotnet benchmarks/HyperLaws.Benchmarks/bin/Release/net10.0/linux-x64/HyperLaws.Benchmarks.dll coarse 100 50000 10 1 --full
/// </code>
/// </summary>
public static class CoarseExperiment
{
    public static int Run(string[] args)
    {
        int runs = int.Parse(args[1], CultureInfo.InvariantCulture), steps = int.Parse(args[2], CultureInfo.InvariantCulture);
        int count = int.Parse(args[3], CultureInfo.InvariantCulture), pointEvery = int.Parse(args[4], CultureInfo.InvariantCulture);
        var targets = SyntheticRuns.Targets(runs, steps);
        LawFitter.Fit(new MultiPowerLaw(), SyntheticRuns.Targets(1, 10000));
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var w = Stopwatch.StartNew();
        var pick = new HashSet<int>(LawFitter.SubsetIndices(runs, count));
        var coarseTargets = targets.Where((_, i) => pick.Contains(i))
            .Select(t => t with { Steps = [.. t.Steps.Where((_, i) => i % pointEvery == pointEvery - 1)], Loss = [.. t.Loss.Where((_, i) => i % pointEvery == pointEvery - 1)] }).ToList();
        var coarse = LawFitter.Fit(new MultiPowerLaw(), coarseTargets);
        double wc = w.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu1 = process.TotalProcessorTime;
        var fine = LawFitter.Fit(new MultiPowerLaw(), targets, new FitOptions { CurveSubset = 0, UseLawStartingPoints = false, Starts = [coarse.Parameters] });
        double wf = w.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu2 = process.TotalProcessorTime;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"coarse: {coarseTargets.Count} curves {coarseTargets.Sum(t => t.Steps.Length)} pts evals {coarse.Evaluations} it {coarse.Iterations} obj {coarse.Objective:G8} wall {wc:F2} cpu {(cpu1 - cpu0).TotalSeconds:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fine: evals {fine.Evaluations} it {fine.Iterations} obj {fine.Objective:G8} wall {wf - wc:F2} cpu {(cpu2 - cpu1).TotalSeconds:F2} {fine.StopReason}"));
        Console.WriteLine("params " + string.Join(",", fine.Parameters.Select(v => v.ToString("G8", CultureInfo.InvariantCulture))));
        if (args.Contains("--full"))
        {
            process.Refresh(); var c3 = process.TotalProcessorTime; var w3 = Stopwatch.StartNew();
            var full = LawFitter.Fit(new MultiPowerLaw(), targets, new FitOptions { CurveSubset = 0 });
            process.Refresh();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"full: evals {full.Evaluations} it {full.Iterations} obj {full.Objective:G8} wall {w3.Elapsed.TotalSeconds:F2} cpu {(process.TotalProcessorTime - c3).TotalSeconds:F2}"));
            Console.WriteLine("params " + string.Join(",", full.Parameters.Select(v => v.ToString("G8", CultureInfo.InvariantCulture))));
        }
        return 0;
    }
}
