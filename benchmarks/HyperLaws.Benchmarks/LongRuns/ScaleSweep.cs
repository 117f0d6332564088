using HyperLaws.Laws;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using HyperLaws.Plotting;

namespace HyperLaws.Benchmarks.LongRuns;

/// <summary>
/// The fit-time sweep behind docs/figures/fit-time-*: each law fitted on one run of 10^4..10^6 steps,
/// and on 1..100 runs of 50k steps (all synthetic generic CSVs, 1 point every 100 steps). Wall time of
/// one fit and the process's CPU time over it (all threads) after one warm-up fit of the smallest case (JIT),
/// the median of <c>--repeat</c> fits. The figures plot CPU time: on a shared machine wall time measures the
/// other tenants as much as the fit.
/// <code>
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- scale --out docs/figures/fit-time.csv
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- figure docs/figures/fit-time.csv docs/figures
/// </code>
/// </summary>
public static class ScaleSweep
{
    private static FitOptions Options = new();
    private static bool Distinct, ShowParameters;
    private static string? PredictionsPath;

    public static int Run(string[] args)
    {
        string output = Option(args, "--out") ?? "fit-time.csv";
        var laws = (Option(args, "--laws") ?? string.Join(',', SyntheticRuns.Laws)).Split(',');
        var steps = Ints(Option(args, "--steps") ?? "10000,30000,100000,300000,1000000");
        var runs = Ints(Option(args, "--runs") ?? "1,3,10,30,100");
        int runSteps = Ints(Option(args, "--run-steps") ?? "50000")[0];
        int repeat = Ints(Option(args, "--repeat") ?? "1")[0];
        // --vp: FitOptions.VariableProjection (MPL); --subset N: FitOptions.CurveSubset (MPL and OptLaw: 10 by default, their declared rules; --subset 0 the one-stage fit).
        string? subset = Option(args, "--subset");
        // --no-share: FitOptions.ShareEqualCurves off (every curve evaluated, as before issue 12's mpl100; the same fit bit for bit).
        // --coarse N: FitOptions.CoarsePoints (null: MPL's declared 2,000; 0: off, the whole procedure on every point as before).
        string? coarse = Option(args, "--coarse");
        // --no-early-reject: FitOptions.EarlyReject off (every trial point evaluated in full, as before helper mpl100's second round; the same fit bit for bit).
        Options = new FitOptions
        {
            VariableProjection = args.Contains("--vp"), CurveSubset = subset is null ? null : int.Parse(subset, CultureInfo.InvariantCulture), ShareEqualCurves = !args.Contains("--no-share"),
            CoarsePoints = coarse is null ? null : int.Parse(coarse, CultureInfo.InvariantCulture), EarlyReject = !args.Contains("--no-early-reject"),
            // --subset-every K, --polish-tol X: FitOptions.SubsetEvery and PolishTolerance (the subset stage's thinning, the run on all curves' tolerance).
            SubsetEvery = Option(args, "--subset-every") is { } every ? int.Parse(every, CultureInfo.InvariantCulture) : null,
            PolishTolerance = Option(args, "--polish-tol") is { } polish ? double.Parse(polish, CultureInfo.InvariantCulture) : null,
            // --probe-subset N: FitOptions.ProbeSubset (the starts' probes on N distinct curves; null or 0: off, the default).
            ProbeSubset = Option(args, "--probe-subset") is { } probe ? int.Parse(probe, CultureInfo.InvariantCulture) : null,
            // --coarse-total N: FitOptions.CoarseTotalPoints (the coarse stage's budget over all distinct curves' points; default FitOptions's).
            CoarseTotalPoints = Option(args, "--coarse-total") is { } total ? int.Parse(total, CultureInfo.InvariantCulture) : null,
            // --coarse-ridge X: FitOptions.CoarseRidgeTolerance (the flat-ridge stop in that stage's first fit; off by default).
            CoarseRidgeTolerance = Option(args, "--coarse-ridge") is { } ridge ? double.Parse(ridge, CultureInfo.InvariantCulture) : null,
        };
        // --distinct: every run of the runs axis its own schedule (SyntheticRuns; by default they repeat every 10 runs and LawFitter
        // evaluates equal curves once); --parameters: print each fit's parameters (round-trip digits) after its row.
        Distinct = args.Contains("--distinct");
        // --mpl-tolerance X: the MPL tree walk's tolerance (MultiPowerLaw.Tolerance, in loss units; the law's default otherwise).
        if (Option(args, "--mpl-tolerance") is { } tolerance) SyntheticRuns.MplTolerance = double.Parse(tolerance, CultureInfo.InvariantCulture);
        ShowParameters = args.Contains("--parameters");
        // --predictions FILE: each MPL fit's final-step prediction of every curve, by the law at its default tolerance (whatever
        // --mpl-tolerance the fit walked at), so fits at two tolerances are compared on the same arithmetic.
        PredictionsPath = Option(args, "--predictions");
        if (PredictionsPath is not null) File.WriteAllText(PredictionsPath, "law,axis,runs,curve,step,prediction\n");
        // --axis steps|runs: only that axis (e.g. a law's distinct-schedule runs alone); both by default. The runs axis with
        // --distinct is written as axis "runs-distinct", so its rows and figure stay apart from the repeated schedules'.
        string axis = Option(args, "--axis") ?? "both";
        if (axis is not ("both" or "steps" or "runs")) { Console.Error.WriteLine("--axis: expected steps, runs or both, got " + axis); return 2; }
        var rows = new StringBuilder("law,axis,steps,runs,points,seconds,cpu_seconds,objective,evaluations\n");
        foreach (string law in laws)
        {
            Time(law, SyntheticRuns.Targets(1, steps[0]), 1);   // JIT warm-up
            if (axis != "runs") foreach (int s in steps) rows.Append(Row(law, "steps", s, 1, repeat));
            if (axis != "steps") foreach (int r in runs) rows.Append(Row(law, Distinct ? "runs-distinct" : "runs", runSteps, r, repeat));
        }
        File.WriteAllText(output, rows.ToString());
        Console.WriteLine("wrote " + output);
        return 0;
    }

    private static string Row(string law, string axis, int steps, int runs, int repeat)
    {
        var targets = SyntheticRuns.Targets(runs, steps, axis == "runs-distinct");
        var (seconds, cpu, fit) = Time(law, targets, repeat);
        int points = targets.Sum(t => t.Steps.Length);
        string line = string.Join(',', law, axis, steps.ToString(CultureInfo.InvariantCulture), runs.ToString(CultureInfo.InvariantCulture),
            points.ToString(CultureInfo.InvariantCulture), seconds.ToString("F4", CultureInfo.InvariantCulture), cpu.ToString("F4", CultureInfo.InvariantCulture), fit.Objective.ToString("G6", CultureInfo.InvariantCulture), fit.Evaluations.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine(line);
        if (PredictionsPath is not null && law.StartsWith("mpl", StringComparison.Ordinal))
        {
            var text = new StringBuilder();
            var exact = new MultiPowerLaw();   // the default tolerance
            for (int i = 0; i < targets.Count; i++)
            {
                var y = new double[1];
                exact.Predict(fit.Parameters, targets[i].History, targets[i].Steps.AsSpan(^1..), y);
                text.Append(CultureInfo.InvariantCulture, $"{law},{axis},{runs},{i},{targets[i].Steps[^1]},{y[0]:R}\n");
            }
            File.AppendAllText(PredictionsPath, text.ToString());
        }
        if (ShowParameters) Console.WriteLine("  parameters " + string.Join(' ', fit.Parameters.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + ", " + fit.Iterations.ToString(CultureInfo.InvariantCulture) + " iterations, " + fit.StopReason + ", objective " + fit.Objective.ToString("R", CultureInfo.InvariantCulture));
        return line + "\n";
    }

    /// <summary>
    /// Wall time and the process's CPU time (all threads) of the median fit of <paramref name="repeat"/>: by wall time, or with
    /// <paramref name="medianByCpu"/> by CPU time (<see cref="ReferenceExport"/>: its SciPy ratios are CPU ratios). Fitted with
    /// <see cref="Options"/> (the defaults unless <see cref="Run"/> set them).
    /// </summary>
    internal static (double Seconds, double Cpu, LawFit Fit) Time(string law, IReadOnlyList<FitTarget> targets, int repeat, bool medianByCpu = false)
    {
        var times = new List<(double Wall, double Cpu)>();
        LawFit? fit = null;
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < repeat; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            fit = LawFitter.Fit(SyntheticRuns.Law(law), targets, Options);
            double wall = watch.Elapsed.TotalSeconds;
            process.Refresh();
            times.Add((wall, (process.TotalProcessorTime - cpu).TotalSeconds));
        }
        var median = times.OrderBy(t => medianByCpu ? t.Cpu : t.Wall).ThenBy(t => medianByCpu ? t.Wall : t.Cpu).ElementAt(times.Count / 2);
        return (median.Wall, median.Cpu, fit!);
    }

    /// <summary>
    /// Draws fit-time-steps, fit-time-runs and fit-time-runs-distinct (PNG, SVG, CSV; an axis with no rows is skipped) from the
    /// sweep's CSV with the project's own LineChart. Each law's legend entry gives its log-log slope between the first and the last
    /// point, (ln t_last - ln t_first) / (ln x_last - ln x_first): 1 is linear growth (docs/VALIDATION.md, "Fit time against steps
    /// and runs, every law").
    /// </summary>
    public static int Figure(string[] args)
    {
        if (args.Length < 3) { Console.Error.WriteLine("usage: figure <fit-time.csv> <directory>"); return 2; }
        var lines = File.ReadAllLines(args[1]).Skip(1).Select(l => l.Split(',')).ToList();
        foreach (var (axis, title, label) in new[]
        {
            ("steps", "Fit time against steps", "steps of one run (1 point every 100 steps)"),
            ("runs", "Fit time against runs (10 schedules, repeated)", "runs of 50,000 steps"),
            ("runs-distinct", "Fit time against runs (each its own schedule)", "runs of 50,000 steps"),
        })
        {
            var series = lines.Where(f => f[1] == axis).GroupBy(f => f[0]).Select(g =>
            {
                var rows = g.OrderBy(f => axis == "steps" ? double.Parse(f[2], CultureInfo.InvariantCulture) : double.Parse(f[3], CultureInfo.InvariantCulture)).ToList();
                double[] x = [.. rows.Select(f => double.Parse(axis == "steps" ? f[2] : f[3], CultureInfo.InvariantCulture))];
                double[] y = [.. rows.Select(f => double.Parse(f[6], CultureInfo.InvariantCulture))];   // CPU seconds (all threads)
                // A single point has no slope: its legend entry is the law's name alone.
                string slope = x.Length < 2 ? "" : $" (slope {(Math.Log(y[^1] / y[0]) / Math.Log(x[^1] / x[0])).ToString("F2", CultureInfo.InvariantCulture)})";
                return new LineSeries(g.Key + slope, x, y, Markers: true);
            }).ToList();
            if (series.Count == 0) continue;
            // A reference line of slope 1 (linear growth) through the slowest law's first point.
            var slowest = series.MaxBy(s => s.Y[0])!;
            series.Add(new LineSeries("linear growth", [slowest.X[0], slowest.X[^1]], [slowest.Y[0], slowest.Y[0] * slowest.X[^1] / slowest.X[0]], Dashed: true, ColorHex: "#888888"));
            var chart = new LineChart(title, label, "fit CPU time (s, all threads)", LogX: true, LogY: true, series);
            foreach (string file in FigureWriter.Write(chart, args[2], "fit-time-" + axis)) Console.WriteLine("wrote " + file);
        }
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int[] Ints(string s) => [.. s.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))];
}
