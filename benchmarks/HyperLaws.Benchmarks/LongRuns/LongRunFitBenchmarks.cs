using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using HyperLaws.Laws;

namespace HyperLaws.Benchmarks.LongRuns;

/// <summary>
/// Issue 12's targets: each law fits one 10^6-step run (generic CSV, 1 point every 100 steps; target under
/// 5 s and 1 GB) and 100 runs of 50k steps (target under 5 s). One cold fit per iteration (a fit is seconds,
/// so BenchmarkDotNet's monitoring strategy, three iterations).
/// <code>
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- --filter '*LongRunFitBenchmarks*'
/// </code>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class LongRunFitBenchmarks
{
    private IReadOnlyList<FitTarget> _targets = [];

    [Params("optlaw", "mpl", "tissue", "convex")]
    public string Law { get; set; } = "optlaw";

    [Params("1 run x 1e6 steps", "100 runs x 5e4 steps")]
    public string Case { get; set; } = "1 run x 1e6 steps";

    [GlobalSetup]
    public void Setup() => _targets = Case.StartsWith("1 run", StringComparison.Ordinal) ? SyntheticRuns.Targets(1, 1_000_000) : SyntheticRuns.Targets(100, 50_000);

    [Benchmark(Description = "fit")]
    public LawFit Fit() => LawFitter.Fit(SyntheticRuns.Law(Law), _targets);
}
