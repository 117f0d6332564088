using System.Diagnostics;
using System.Globalization;
using HyperLaws.Laws;

namespace HyperLaws.Benchmarks.LongRuns;

/// <summary>
/// What the per-curve point budget (FitOptions.MaxPointsPerCurve) changes on one long run: each law fitted with a budget of
/// 2,000 points and on every point, both scored on every point (the mean Huber loss of relative residuals, delta 1e-3, as the fit's
/// objective), the largest relative difference of their predictions at the observed steps, and the CPU time of each fit.
/// With <c>--runs</c> (comma-separated run files, e.g. the imported PolyPythias curves) the fits are of those runs' training
/// losses, all curves together, scored on every point of every curve; the largest difference is then also given past each
/// curve's first 1% of steps.
/// <code>
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- budget --steps 1000000 --laws mpl,optlaw
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- budget --runs a.csv,b.csv,c.csv --laws optlaw
/// </code>
/// </summary>
public static class BudgetCheck
{
    public static int Run(string[] args)
    {
        int steps = int.Parse(Option(args, "--steps") ?? "1000000", CultureInfo.InvariantCulture);
        IReadOnlyList<FitTarget> targets = Option(args, "--runs") is { } files
            ? [.. files.Split(',').Select(f => HyperLaws.Readers.RunReader.Read(f)).Select(r => FitTarget.Of(r, r.Split(HyperLaws.Runs.LossSplit.Train)))]
            : [SyntheticRuns.Targets(1, steps)[0]];
        string what = Option(args, "--runs") is null ? $"{steps} steps" : $"{targets.Count} curves, {targets.Sum(t => t.Steps.Length)} points";
        var process = Process.GetCurrentProcess();
        foreach (string name in (Option(args, "--laws") ?? "mpl,optlaw").Split(','))
        {
            LawFitter.Fit(SyntheticRuns.Law(name), SyntheticRuns.Targets(1, 10000));   // JIT
            var fits = new List<(string Label, LawFit Fit, double Cpu, double Wall)>();
            foreach (var (label, budget) in new[] { ("budget 2000", 2000), ("every point", int.MaxValue) })
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var law = SyntheticRuns.Law(name);
                if (args.Contains("--trace") && law is MultiPowerLaw mpl) law = new Traced(mpl);
                var fit = LawFitter.Fit(law, targets, new FitOptions { MaxPointsPerCurve = budget });
                double wall = watch.Elapsed.TotalSeconds;
                process.Refresh();
                fits.Add((label, fit, (process.TotalProcessorTime - cpu).TotalSeconds, wall));
            }
            var predictions = fits.Select(f => targets.Select(t => Predict(f.Fit, t)).ToList()).ToList();
            double maxDiff = 0, maxDiffLater = 0;
            for (int c = 0; c < targets.Count; c++)
                for (int i = 0; i < targets[c].Steps.Length; i++)
                {
                    double d = Math.Abs(predictions[0][c][i] - predictions[1][c][i]) / predictions[1][c][i];
                    maxDiff = Math.Max(maxDiff, d);
                    if (targets[c].Steps[i] > 0.01 * targets[c].Steps[^1]) maxDiffLater = Math.Max(maxDiffLater, d);
                }
            double[] loss = [.. targets.SelectMany(t => t.Loss)];
            foreach (var ((label, fit, cpu, wall), prediction) in fits.Zip(predictions))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name} {what}, {label}: CPU {cpu:F2} s, wall {wall:F2} s, evaluations {fit.Evaluations}, objective on every point {Objective([.. prediction.SelectMany(y => y)], loss):G8}, parameters [{string.Join(", ", fit.Parameters.Take(8).Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))}]"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: largest relative difference of the two fits' predictions at the {loss.Length} observed steps {maxDiff:G3} ({maxDiffLater:G3} past each curve's first 1% of steps); load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
        }
        return 0;
    }

    /// <summary>MPL with every evaluation of 0.2 s or more written out (parameters, points, seconds): where a fit's time goes.</summary>
    private sealed class Traced(MultiPowerLaw inner) : IDifferentiableLaw
    {
        public string Name => inner.Name;
        public IReadOnlyList<string> ParameterNames => inner.ParameterNames;
        public IReadOnlyList<bool> Positive => inner.Positive;
        public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets) => inner.StartingPoints(targets);

        public void Predict(ReadOnlySpan<double> parameters, HyperLaws.Laws.ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
        {
            var watch = Stopwatch.StartNew();
            inner.Predict(parameters, history, steps, output);
            Log("value", parameters, steps.Length, watch.Elapsed.TotalSeconds);
        }

        public void PredictWithGradient(ReadOnlySpan<double> parameters, HyperLaws.Laws.ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient)
        {
            var watch = Stopwatch.StartNew();
            inner.PredictWithGradient(parameters, history, steps, output, gradient);
            Log("jacobian", parameters, steps.Length, watch.Elapsed.TotalSeconds);
        }

        private static void Log(string what, ReadOnlySpan<double> p, int points, double seconds)
        {
            if (seconds >= 0.2)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  slow {what} {seconds:F2} s, {points} points at [{string.Join(", ", p.ToArray().Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))}]"));
        }
    }

    private static double[] Predict(LawFit fit, FitTarget target)
    {
        var y = new double[target.Steps.Length];
        fit.Law.Predict(fit.Parameters, target.History, target.ModelSize, target.Steps, y);
        return y;
    }

    private static double Objective(double[] prediction, double[] loss)
    {
        const double Delta = 1e-3;
        double total = 0;
        for (int i = 0; i < loss.Length; i++)
        {
            double r = Math.Abs((prediction[i] - loss[i]) / loss[i]);
            total += r <= Delta ? 0.5 * r * r : Delta * (r - 0.5 * Delta);
        }
        return total / loss.Length;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
