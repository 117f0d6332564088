using System.Diagnostics;
using System.Globalization;
using HyperLaws.Laws;

namespace HyperLaws.Benchmarks.LongRuns;

/// <summary>
/// The cost of one MPL evaluation with its Jacobian on the sweep's curves, without the fitter: each of <c>--repeat</c> rounds
/// times <c>--evaluations</c> evaluations at parameters that move gamma slightly every time (so the tree's moments are
/// refilled, as in a fit), and the fastest round is reported (CPU time of the process, all threads, and wall): on a shared
/// machine the fastest round is the one the other tenants disturbed least.
/// <code>
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- evalcost --runs 1 --steps 1000000
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- evalcost --runs 100 --steps 50000
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- evalcost --runs 10 --steps 50000 --distinct --fused
/// </code>
/// <c>--params L0,A,alpha,B,C,beta,gamma</c> evaluates elsewhere than at the published 100M fit, <c>--every k</c> keeps every k-th point.
/// </summary>
public static class EvaluationCost
{
    public static int Run(string[] args)
    {
        int runs = Int(args, "--runs", 1), steps = Int(args, "--steps", 1_000_000), repeat = Int(args, "--repeat", 5), evaluations = Int(args, "--evaluations", 10);
        IReadOnlyList<FitTarget> targets = SyntheticRuns.Targets(runs, steps, distinct: args.Contains("--distinct"));   // --distinct: every run its own schedule
        // --spread: the node test bounded by the spread; --tolerance X: the walk's tolerance (MultiPowerLaw.Tolerance, loss units).
        int ti = Array.IndexOf(args, "--tolerance");
        double tolerance = new MultiPowerLaw().Tolerance;
        if (ti >= 0)
        {
            // Bad input: one line naming it, exit 2 (was: double.Parse's FormatException, or MultiPowerLaw's ArgumentOutOfRangeException).
            if (!(ti + 1 < args.Length && double.TryParse(args[ti + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out tolerance) && double.IsFinite(tolerance) && tolerance >= 0))
            {
                Console.Error.WriteLine($"evalcost: --tolerance needs a finite number >= 0 (loss units){(ti + 1 < args.Length ? $", got '{args[ti + 1]}'" : "")}.");
                return 2;
            }
        }
        var law = new MultiPowerLaw(tolerance) { SpreadBounds = args.Contains("--spread") };
        int pi = Array.IndexOf(args, "--params");
        double[] p = pi >= 0 ? [.. args[pi + 1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))] : [.. MultiPowerLaw.Published["100M"]];
        int every = Int(args, "--every", 1);
        if (every > 1) targets = [.. targets.Select(t => t with { Steps = [.. t.Steps.Where((_, i) => i % every == every - 1)], Loss = [.. t.Loss.Where((_, i) => i % every == every - 1)] })];
        var outputs = targets.Select(t => new double[t.Steps.Length]).ToArray();
        var gradients = targets.Select(t => new double[t.Steps.Length * 7]).ToArray();
        // --fused: the fitter's trial evaluation (IFusedGradientLaw.PredictFused: Predict's values, and PredictWithGradient's values and
        // derivatives, from one walk) instead of PredictWithGradient.
        bool fused = args.Contains("--fused");
        var plain = targets.Select(t => new double[t.Steps.Length]).ToArray();
        double checksum = 0;
        void Once(int k)
        {
            var q = (double[])p.Clone();
            q[MultiPowerLaw.Gamma] *= 1 + 1e-6 * k;
            Parallel.For(0, targets.Count, j =>
            {
                if (fused) ((IFusedGradientLaw)law).PredictFused(q, targets[j].History, targets[j].Steps, plain[j], outputs[j], gradients[j]);
                else law.PredictWithGradient(q, targets[j].History, targets[j].Steps, outputs[j], gradients[j]);
            });
            checksum += outputs[0][^1];
        }
        Once(0);   // JIT and the trees
        var process = Process.GetCurrentProcess();
        double bestCpu = double.PositiveInfinity, bestWall = double.PositiveInfinity;
        for (int r = 0; r < repeat; r++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (int k = 1; k <= evaluations; k++) Once(r * evaluations + k);
            double wall = watch.Elapsed.TotalSeconds;
            process.Refresh();
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu).TotalSeconds / evaluations);
            bestWall = Math.Min(bestWall, wall / evaluations);
        }
        // The bits of every output of the last evaluation (values, derivatives and with --fused Predict's values), FNV-1a over
        // their 64-bit patterns: two builds whose walks agree bit for bit print the same hash.
        ulong hash = 14695981039346656037UL;
        foreach (var array in outputs.Concat(gradients).Concat(fused ? plain : []))
            foreach (double v in array) hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(v)) * 1099511628211UL;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mpl evaluation with Jacobian{(fused ? " (fused)" : "")}, tolerance {tolerance:R}, {runs} x {steps} steps, {targets.Sum(t => t.Steps.Length)} points: CPU {bestCpu * 1e3:F1} ms, wall {bestWall * 1e3:F1} ms (fastest of {repeat} rounds of {evaluations}); load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; checksum {checksum:R}; bits {hash:x16}"));
        return 0;
    }

    private static int Int(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
