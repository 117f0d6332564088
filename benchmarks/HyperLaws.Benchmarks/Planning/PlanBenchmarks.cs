using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using HyperLaws.Divergence;
using HyperLaws.Laws.Joint;
using HyperLaws.Planning;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Benchmarks.Planning;

/// <summary>
/// Issue 12's plan target: the decision of <c>hyperlaws plan --params 400M --tokens 590B</c> (default laws optlaw, mpl,
/// tissue, the shipped divergence prior, the shipped runs), cold: every law fitted in each operation (no fit cache), then
/// the figure data the report draws (<see cref="PlanFigureData.Compute"/>); and the same with the shipped LR-axis prior, as
/// the CLI plans by default (the runs share one peak LR). Reading the runs, writing and drawing the report are outside (the
/// CLI's wall time covers them: docs/VALIDATION.md, benchmarks/plan-timings.sh).
/// <code>
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- --filter '*PlanBenchmarks*'
/// </code>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class PlanBenchmarks
{
    private IReadOnlyList<TrainingRun> _runs = [];
    private DivergenceModel? _divergence;
    private LrAxisPrior? _lrPrior;

    [GlobalSetup]
    public void Setup()
    {
        string root = Laws.LawPredictBenchmarks.DataRoot();
        _runs = RunReader.ReadDirectory(root, recursive: true).ThrowIfAnyFailed().Runs;
        string prior = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(root))!, "priors", "divergence-steplaw.json");
        _divergence = DivergenceModelDocument.Parse(File.ReadAllText(prior));
        _lrPrior = LrAxisPriorDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(prior)!, "lr-axis-steplaw.json")));
    }

    [Benchmark(Description = "plan 400M 590B: decision")]
    public TrainingPlan Plan() => Planner.Make(new PlanRequest(4e8, 5.9e11, TrainingOptimizer.AdamW), _runs,
        new PlanOptions { Laws = ["optlaw", "mpl", "tissue"], Divergence = _divergence });

    [Benchmark(Description = "plan 400M 590B: decision + figure data")]
    public PlanFigureData PlanWithFigures() => PlanFigureData.Compute(Plan());

    [Benchmark(Description = "plan 400M 590B with the LR-axis prior (the CLI's default): decision + figure data")]
    public PlanFigureData PlanWithPrior() => PlanFigureData.Compute(Planner.Make(new PlanRequest(4e8, 5.9e11, TrainingOptimizer.AdamW), _runs,
        new PlanOptions { Laws = ["optlaw", "mpl", "tissue"], Divergence = _divergence, LrPrior = _lrPrior }));
}
