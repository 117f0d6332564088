using System.Diagnostics;
using System.Globalization;
using HyperLaws.Laws;

namespace HyperLaws.Benchmarks.LongRuns;

/// <summary>
/// An exploration of <see cref="FitOptions.ProbeSubset"/> (issue 12, helper mpl100; docs/VALIDATION.md, "MPL: the starts probed on a
/// few curves, the best continued on all"), done by hand with LawFitter's public fits: every MPL start probed for
/// <see cref="FitOptions.ProbeIterations"/> on <c>--few</c> of the distinct synthetic runs (<c>LawFitter.SubsetIndices</c>), each probe's
/// end evaluated once on every run, and the one lowest there (not on the few) continued on every run to the usual convergence.
/// Prints the fit's CPU (process, all threads), each probe's objective on the few and on all, and the result.
/// <code>
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- proberank --runs 30 --steps 50000 --few 10
/// </code>
/// </summary>
public static class ProbeRanking
{
    public static int Run(string[] args)
    {
        int runs = Int(args, "--runs", 30), steps = Int(args, "--steps", 50_000), count = Int(args, "--few", FitOptions.DeclaredCurveSubset);
        var targets = SyntheticRuns.Targets(runs, steps, distinct: true);
        var law = new MultiPowerLaw();
        LawFitter.Fit(law, SyntheticRuns.Targets(1, 10_000));   // JIT
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var defaults = new FitOptions();
        var few = LawFitter.SubsetIndices(targets.Count, count).Select(i => targets[i]).ToList();
        var ends = law.StartingPoints(targets).Select(s => LawFitter.Fit(law, few, new FitOptions { UseLawStartingPoints = false, Starts = [s], MaxIterations = defaults.ProbeIterations })).ToList();
        // Each end on every run: a Levenberg-Marquardt run of no iteration is one evaluation there.
        var onAll = ends.Select(e => e.HasFiniteParameters ? LawFitter.Fit(law, targets, new FitOptions { UseLawStartingPoints = false, Starts = [e.Parameters], MaxIterations = 0 }).Objective : double.PositiveInfinity).ToList();
        int best = onAll.IndexOf(onAll.Min());
        var fit = LawFitter.Fit(law, targets, new FitOptions { UseLawStartingPoints = false, Starts = [ends[best].Parameters], MaxIterations = defaults.MaxIterations - defaults.ProbeIterations });
        process.Refresh();
        double seconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        for (int i = 0; i < ends.Count; i++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  start {i + 1}: {ends[i].Iterations} iterations on {count} runs, objective {ends[i].Objective:G6} there, {onAll[i]:G6} on all {runs}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"proberank, {runs} distinct x {steps} steps, few {count}: CPU {seconds:F2} s, start {best + 1} continued: {fit.Iterations} iterations, {fit.Evaluations} evaluations, objective {fit.Objective:R}; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
        Console.WriteLine("  parameters " + string.Join(' ', fit.Parameters.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        return 0;
    }

    private static int Int(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
