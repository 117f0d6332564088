using System.Diagnostics;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Readers;
using HyperLaws.Runs;
using static System.FormattableString;

namespace HyperLaws.Benchmarks.Laws;

/// <summary>
/// MPL's fits that the plan and protocol 1 make, one line each: evaluations, iterations, CPU time, objective, parameters and the
/// held-out errors (the plan's held-out check: fit on the 7 shorter 400M runs, predict the 2 longest).
/// <code>
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- mplfit [--vp]
/// </code>
/// </summary>
internal static class MplFitTrace
{
    /// <summary>The fit's options: Levenberg-Marquardt over all seven parameters (the default), or with <c>--vp</c> variable projection (FitOptions.VariableProjection).</summary>
    private static FitOptions Options = new();

    public static int Run(string[] args)
    {
        string root = LawPredictBenchmarks.DataRoot();
        var law = new MultiPowerLaw();
        Options = new FitOptions { VariableProjection = args.Contains("--vp") };
        foreach (string size in new[] { "400", "100", "25" })
        {
            string[] names = ["cosine_24000", "constant_24000", "wsdcon_9", "constant_72000", "cosine_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"];
            var runs = names.Select(n => MplCsvReader.Read(Path.Combine(root, "csv_" + size, n + ".csv")) is var r0 ? r0 with { Metadata = r0.Metadata with { Name = n } } : null!).ToList();
            int longest = runs.Max(r => r.Steps);
            var fitOn = runs.Where(r => r.Steps < longest).Select(Target).ToList();
            var heldOut = runs.Where(r => r.Steps == longest).Select(Target).ToList();
            Report(size + "M plan held-out", law, fitOn, heldOut);
            // Protocol 1's split: fit on cosine_24000, constant_24000 and wsdcon_9 up to step 24000, predict the rest.
            string[] train = ["cosine_24000", "constant_24000", "wsdcon_9"];
            var p1 = runs.Where(r => train.Contains(r.Name)).Select(Protocol1).ToList();
            var p1Test = runs.Where(r => !train.Contains(r.Name)).Select(Protocol1).ToList();
            Report(size + "M protocol 1", law, p1, p1Test);
            if (size == "400") Report(size + "M plan final (9 runs)", law, runs.Select(Target).ToList(), []);
        }
        return 0;
    }

    private static FitTarget Target(TrainingRun r) => FitTarget.Of(r, r.Split(LossSplit.Train));

    /// <summary>Protocol 1's target: the point at step 24000 of 24000-step runs dropped.</summary>
    private static FitTarget Protocol1(TrainingRun r) => FitTarget.Of(r, r.Observations.Where(o => r.Steps != 24000 || o.Step < 24000));

    private static void Report(string what, IFittableLaw law, List<FitTarget> train, List<FitTarget> test)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var fit = LawFitter.Fit(law, train, Options);
        process.Refresh();
        double seconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        string heldOut = "";
        if (test.Count > 0)
        {
            var errors = test.Select(t =>
            {
                var y = fit.Predict(t.History, t.Steps, t.ModelSize);
                return (Mean: y.Zip(t.Loss, (p, a) => Math.Abs(p / a - 1)).Average(), Final: Math.Abs(y[^1] / t.Loss[^1] - 1));
            }).ToList();
            heldOut = Invariant($" PredE {100 * errors.Average(e => e.Mean):F4}% WorstE {100 * errors.Max(e => e.Mean):F4}% final {100 * errors.Max(e => e.Final):F4}%");
        }
        Console.WriteLine(Invariant($"{what}: {fit.Evaluations} evaluations, {fit.Iterations} iterations, {seconds:F2} s CPU ({wall.Elapsed.TotalSeconds:F2} s wall), objective {fit.Objective:G10}{heldOut}"));
        Console.WriteLine("   " + string.Join(", ", law.ParameterNames.Zip(fit.Parameters, (n, p) => Invariant($"{n} {p:G6}"))) + "; " + fit.StopReason);
    }
}
