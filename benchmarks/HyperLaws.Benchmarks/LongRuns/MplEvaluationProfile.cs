using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using HyperLaws.Laws;

namespace HyperLaws.Benchmarks.LongRuns;

/// <summary>
/// Where an MPL fit's time goes on the sweep's curves: every call the fitter makes to the law (values, values with derivatives,
/// or the fused pair) with its wall time, summed by kind and by the drop's regime (B below 1e-3, i.e. no loss drop and a walk that
/// stops at the root, or not), and the slowest calls with their parameters. The wrapper is the law to the fitter, so the fit is
/// the same as without it (it forwards every call; the fused call only with <c>--separate</c> off).
/// <code>
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- mplprofile --runs 1 --steps 1000000
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- mplprofile --runs 100 --steps 50000 --distinct
/// </code>
/// </summary>
public static class MplEvaluationProfile
{
    public static int Run(string[] args)
    {
        int runs = Int(args, "--runs", 1), steps = Int(args, "--steps", 1_000_000);
        var targets = SyntheticRuns.Targets(runs, steps, distinct: args.Contains("--distinct"));   // --distinct: every run its own schedule
        // --coarse N: FitOptions.CoarsePoints (the wrapper below is not a MultiPowerLaw, so MPL's default is passed explicitly).
        int coarse = Int(args, "--coarse", FitOptions.DeclaredCoarsePoints);
        // --no-early-reject: every trial point evaluated in full (FitOptions.EarlyReject off; the same fit bit for bit).
        // --no-skip: trial points equal to the current point evaluated all the same (FitOptions.SkipStillTrials off; the same fit bit for bit).
        // --subset N, --subset-every K, --polish-tol X: FitOptions.CurveSubset, SubsetEvery, PolishTolerance (the wrapper is not a
        // MultiPowerLaw, so MPL's defaults are given explicitly: without --polish-tol a subset's polish stops at MPL's declared 1e-8).
        int subset = Int(args, "--subset", 0);
        var options = new FitOptions
        {
            FusedTrials = !args.Contains("--separate"), CoarsePoints = coarse, EarlyReject = !args.Contains("--no-early-reject"),
            SkipStillTrials = !args.Contains("--no-skip"),
            CurveSubset = subset, SubsetEvery = Int(args, "--subset-every", 1),
            PolishTolerance = Double(args, "--polish-tol") ?? (subset > 0 ? FitOptions.DeclaredMplPolishTolerance : null),
            // --probe-subset N: FitOptions.ProbeSubset (default: FitOptions's, 0, off for every law).
            ProbeSubset = Int(args, "--probe-subset", new FitOptions().EffectiveProbeSubset),
            // --coarse-total N: FitOptions.CoarseTotalPoints (the coarse stage's budget over all distinct curves' points; MPL's declared
            // value given explicitly, as --coarse's: the wrapper is not a MultiPowerLaw; 0: off).
            CoarseTotalPoints = Int(args, "--coarse-total", FitOptions.DeclaredCoarseTotalPoints),
            // --coarse-ridge X: FitOptions.CoarseRidgeTolerance (the flat-ridge stop in that stage's first fit; off by default).
            CoarseRidgeTolerance = Double(args, "--coarse-ridge"),
        };
        LawFitter.Fit(new MultiPowerLaw(), SyntheticRuns.Targets(1, 10_000), options);   // JIT
        // --tolerance X: the walk's tolerance (MultiPowerLaw.Tolerance, loss units; the law's default otherwise).
        var law = new Profiled(Double(args, "--tolerance") is { } tolerance ? new MultiPowerLaw(tolerance) : new MultiPowerLaw());
        // --trace: every Levenberg-Marquardt run's state after each iteration (iterations/evaluations:objective), by the thread that ran it.
        var states = new System.Collections.Concurrent.ConcurrentQueue<(int Thread, LawFit Fit)>();
        if (args.Contains("--trace")) options = options with { Trace = f => states.Enqueue((Environment.CurrentManagedThreadId, f)) };
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var fit = LawFitter.Fit(law, targets, options);
        double wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mpl fit, {runs} x {steps} steps, coarse {coarse}: CPU {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s, wall {wall:F2} s, {fit.Evaluations} evaluations, {fit.Iterations} iterations, objective {fit.Objective:G6}, fused {options.FusedTrials}; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
        // By kind, regime and the stage (the points a call evaluates: the coarse stage's thinned curves have fewer).
        int full = targets.Max(t => t.Steps.Length);
        foreach (var g in law.Calls.GroupBy(c => (c.Kind, Drop: c.P[MultiPowerLaw.B] >= 1e-3, Coarse: c.Points < full)).OrderBy(g => g.Key.Coarse ? 0 : 1).ThenBy(g => g.Key.Kind))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(g.Key.Coarse ? "coarse" : "all"),-6} {g.Key.Kind,-9} B {(g.Key.Drop ? ">= 1e-3" : "<  1e-3")}: {g.Count(),5} calls (curves), {g.Sum(c => c.Seconds),8:F2} s wall in the law"));
        foreach (var g in states.GroupBy(s => s.Thread))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  thread {g.Key}: {string.Join(" ", g.Select(s => $"{s.Fit.Iterations}/{s.Fit.Evaluations}:{s.Fit.Objective:G6}{(s.Fit.StopReason == "running" ? "" : $" [{s.Fit.StopReason}]")}"))}"));
        foreach (var c in law.Calls.OrderByDescending(c => c.Seconds).Take(8))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  slow {c.Kind} {c.Seconds:F3} s at [{string.Join(", ", c.P.Select(v => v.ToString("G3", CultureInfo.InvariantCulture)))}]"));
        return 0;
    }

    private sealed record Call(string Kind, double[] P, double Seconds, int Points);

    private sealed class Profiled(MultiPowerLaw inner) : IFusedGradientLaw
    {
        public ConcurrentBag<Call> Calls { get; } = [];
        public string Name => inner.Name;
        public IReadOnlyList<string> ParameterNames => inner.ParameterNames;
        public IReadOnlyList<bool> Positive => inner.Positive;
        public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets) => inner.StartingPoints(targets);

        public void Predict(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
        {
            long start = Stopwatch.GetTimestamp();
            inner.Predict(p, history, steps, output);
            Calls.Add(new("value", p.ToArray(), Stopwatch.GetElapsedTime(start).TotalSeconds, steps.Length));
        }

        public void PredictWithGradient(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient)
        {
            long start = Stopwatch.GetTimestamp();
            inner.PredictWithGradient(p, history, steps, output, gradient);
            Calls.Add(new("jacobian", p.ToArray(), Stopwatch.GetElapsedTime(start).TotalSeconds, steps.Length));
        }

        public void PredictFused(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> values, Span<double> gradientValues, Span<double> gradient)
        {
            long start = Stopwatch.GetTimestamp();
            ((IFusedGradientLaw)inner).PredictFused(p, history, steps, values, gradientValues, gradient);
            Calls.Add(new("fused", p.ToArray(), Stopwatch.GetElapsedTime(start).TotalSeconds, steps.Length));
        }
    }

    private static int Int(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static double? Double(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
    }
}
