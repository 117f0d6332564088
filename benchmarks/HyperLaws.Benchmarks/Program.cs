using BenchmarkDotNet.Running;
using HyperLaws.Benchmarks.LongRuns;

// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- --filter '*CliProcessBenchmarks*'   (the Release CLI's cold/cached plan and demo as child processes; build HyperLaws.slnx -c Release first)
// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- scale --out fit-time.csv   (the fit-time sweep)
// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- figure fit-time.csv docs/figures
// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- reference 25 /tmp/ref25   (then python3 benchmarks/scipy_reference.py /tmp/ref25)
// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- mplfit   (MPL's plan and protocol-1 fits: evaluations, CPU time, held-out errors)
// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- evalcost --runs 1 --steps 1000000   (one MPL evaluation with its Jacobian)
// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- mplprofile --runs 1 --steps 1000000   (an MPL fit's law calls by kind, the slowest)
// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- budget --steps 1000000   (the point budget against every point)
// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- optfill   (OptLaw: its noise blocks built once, then the fill per p, CPU time)
// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- coarse 100 50000 10 1 --full   (MPL on 10 of 100 curves, then all from there; --full: the whole procedure)
// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- heldridge [--ridge TAU] FILE_OR_DIR ...   (MPL held at its decay prior along its ridge)
// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- stages 3   (the 400M plan's stages: wall and CPU time each)
return args.FirstOrDefault() switch
{
    "scale" => ScaleSweep.Run(args),
    "figure" => ScaleSweep.Figure(args),
    "reference" => ReferenceExport.Run(args),
    "mplfit" => HyperLaws.Benchmarks.Laws.MplFitTrace.Run(args),
    "heldridge" => HyperLaws.Benchmarks.Fitting.HeldRidgeTrace.Run(args),
    "stages" => HyperLaws.Benchmarks.Planning.PlanStages.Run(args),
    "evalcost" => EvaluationCost.Run(args),
    "budget" => BudgetCheck.Run(args),
    "mplprofile" => MplEvaluationProfile.Run(args),
    "coarse" => CoarseExperiment.Run(args),
    "optfill" => OptLawFillCost.Run(args),
    "proberank" => ProbeRanking.Run(args),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}

public partial class Program;
