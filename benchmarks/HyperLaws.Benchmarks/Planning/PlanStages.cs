using System.Diagnostics;
using HyperLaws.Divergence;
using HyperLaws.Laws.Joint;
using HyperLaws.Planning;
using HyperLaws.Readers;
using static System.FormattableString;

namespace HyperLaws.Benchmarks.Planning;

/// <summary>
/// Where the time of <c>hyperlaws plan --params 400M --tokens 590B</c>'s decision goes, cold (no fit cache): the planner's
/// progress lines, each with the wall time and the process's CPU time (all threads) since the previous line, then the figure
/// data. Same options as the CLI's defaults (laws optlaw, mpl, tissue; the shipped divergence and LR-axis priors).
/// <code>
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- stages [repeats] [warm]
/// </code>
/// The first repeat carries the JIT; later repeats are the steady state. With <c>warm</c>, the fits go through an in-memory fit
/// cache that the first repeat fills, so later repeats time what the CLI does with its fit cache filled (the warm plan).
/// </summary>
internal static class PlanStages
{
    public static int Run(string[] args)
    {
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
        string root = Laws.LawPredictBenchmarks.DataRoot();
        var runs = RunReader.ReadDirectory(root, recursive: true).ThrowIfAnyFailed().Runs;
        string priors = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(root))!, "priors");
        var divergence = DivergenceModelDocument.Parse(File.ReadAllText(Path.Combine(priors, "divergence-steplaw.json")));
        var lrPrior = LrAxisPriorDocument.Parse(File.ReadAllText(Path.Combine(priors, "lr-axis-steplaw.json")));
        bool warm = args.Length > 2 && args[2] == "warm";
        var cache = warm ? new MemoryFitCache() : null;
        var process = Process.GetCurrentProcess();
        for (int r = 0; r < repeats; r++)
        {
            Console.WriteLine(Invariant($"repeat {r + 1} (load average {LoadAverage()})"));
            var wall = Stopwatch.StartNew();
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            double lastWall = 0, lastCpu = 0;
            string stage = "start";
            void Mark(string next)
            {
                process.Refresh();
                double w = wall.Elapsed.TotalSeconds, c = (process.TotalProcessorTime - cpu0).TotalSeconds;
                Console.WriteLine(Invariant($"  {w - lastWall,7:F3} s wall {c - lastCpu,7:F3} s CPU  {stage}"));
                (lastWall, lastCpu, stage) = (w, c, next);
            }
            var plan = Planner.Make(new PlanRequest(4e8, 5.9e11, TrainingOptimizer.AdamW), runs, new PlanOptions
            {
                Laws = ["optlaw", "mpl", "tissue"],
                Divergence = divergence,
                LrPrior = lrPrior,
                Progress = Mark,
                FitCache = cache,
            });
            Mark("figure data");
            var data = PlanFigureData.Compute(plan);
            Mark("drawing the figures and writing the report");
            string folder = Path.Combine(Path.GetTempPath(), $"plan-stages-{Guid.NewGuid():N}");
            try
            {
                HyperLaws.Plotting.Reports.PlanReport.Write(plan, folder, null, null, data);
            }
            finally
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
            Mark("");
            if (r == repeats - 1) Figures(plan, data);
            process.Refresh();
            Console.WriteLine(Invariant($"  total {wall.Elapsed.TotalSeconds:F3} s wall {(process.TotalProcessorTime - cpu0).TotalSeconds:F3} s CPU; best {plan.Best.Schedule.ToSpec()} loss {plan.Best.PredictedLoss:R}"));
            if (r == repeats - 1 && plan.Model is LrAxisPlanLaw axis) Parts(axis, plan);
        }
        return 0;
    }

    /// <summary>PNG encodings compared with the one written (<c>FigureWriter.PngZLibLevel</c>, <c>PngFilters</c>): Skia's default first.</summary>
    private static readonly (int Level, SkiaSharp.SKPngEncoderFilterFlags Filters)[] PngVariants =
    [
        (6, SkiaSharp.SKPngEncoderFilterFlags.AllFilters),
        (1, SkiaSharp.SKPngEncoderFilterFlags.AllFilters),
        (1, SkiaSharp.SKPngEncoderFilterFlags.Sub),
        (1, SkiaSharp.SKPngEncoderFilterFlags.Up),
        (1, SkiaSharp.SKPngEncoderFilterFlags.Sub | SkiaSharp.SKPngEncoderFilterFlags.Up),
        (3, SkiaSharp.SKPngEncoderFilterFlags.Sub),
    ];

    /// <summary>Each figure's PNG and SVG, single-threaded (CPU time each).</summary>
    private static void Figures(TrainingPlan plan, PlanFigureData data)
    {
        var set = HyperLaws.Plotting.Reports.PlanFigures.Build(plan, data);
        Time("building the figures", () => HyperLaws.Plotting.Reports.PlanFigures.Build(plan, data));
        foreach (var f in set.Figures)
        {
            Time($"{f.Name}: PNG ({f.RenderPng().Length} bytes)", () => f.RenderPng());
            foreach (var (level, filters) in PngVariants)
            {
                Time($"{f.Name}: PNG, zlib {level}, {filters} ({f.RenderPngAt(level, filters).Length} bytes)", () => f.RenderPngAt(level, filters));
            }

            Time($"{f.Name}: SVG", () => _ = f.Line is not null ? HyperLaws.Plotting.FigureWriter.RenderSvg(f.Line) : HyperLaws.Plotting.FigureWriter.RenderSvg(f.Contour!));
        }
    }

    /// <summary>One search evaluation's parts, single-threaded: the chosen law at the reference peak and the joint law's two predictions.</summary>
    private static void Parts(LrAxisPlanLaw law, TrainingPlan plan)
    {
        // The distinct reference shapes s_0 whose two predictions the plan and its figure data made (one per shape when the floor's
        // fraction is taken without its noise: docs/VALIDATION.md "The cold 400M plan under 3 s").
        Console.WriteLine(Invariant($"  reference shapes s_0 evaluated: {law.ReferenceEvaluations}"));
        var schedule = plan.Best.Schedule;
        var target = plan.Target!;
        var y = new double[1];
        int[] steps = [schedule.Steps];
        Time("schedule.Evaluate", () => schedule.Evaluate());
        var lr = schedule.Evaluate();
        Time("ScheduleHistory", () => GC.KeepAlive(new HyperLaws.Laws.ScheduleHistory(lr)));
        Time("chosen law (table schedule)", () => law.TimeShape.Predict(new HyperLaws.Schedules.TableSchedule(lr), target, steps, y));
        Time("joint law, one history", () => law.Axis.Law.Predict(law.Axis.Fit.Parameters, new HyperLaws.Laws.ScheduleHistory(lr), law.Axis.SizeAt(target), law.Axis.BatchAt(target), steps, y));
        Time("whole LrAxisPlanLaw.Predict", () => law.Predict(schedule, target, steps, y));
    }

    private static void Time(string what, Action action)
    {
        action();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var w = Stopwatch.StartNew();
        int n = 0;
        while (w.Elapsed.TotalSeconds < 1 || n < 5) { action(); n++; }
        process.Refresh();
        Console.WriteLine(Invariant($"  {w.Elapsed.TotalMilliseconds / n,9:F2} ms wall {(process.TotalProcessorTime - cpu).TotalMilliseconds / n,9:F2} ms CPU  {what} ({n} times)"));
    }

    /// <summary>A fit cache in memory (the CLI's is a folder).</summary>
    private sealed class MemoryFitCache : HyperLaws.Fitting.IFitCache
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HyperLaws.Fitting.CachedFit> _fits = new(StringComparer.Ordinal);

        public HyperLaws.Fitting.CachedFit? TryGet(string key) => _fits.TryGetValue(key, out var fit) ? fit : null;

        public void Store(string key, HyperLaws.Fitting.CachedFit fit) => _fits[key] = fit;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
