using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Laws;

namespace HyperLaws.Cli.Commands.Compare;

/// <summary>Compares: settings -> runs -> <see cref="LawComparison"/> per law -> result. Progress and notes go to stderr only.</summary>
internal static class CompareHandler
{
    public static CompareResult Run(CliIo io, CompareSettings settings)
    {
        var trainTargets = LawRuns.WithoutDiverged(LawRuns.Load(settings.Train)).Select(x => LawRuns.Target(x, command: "compare")).ToList();
        var testTargets = LawRuns.Load(settings.Test).Select(x => LawRuns.Target(x, command: "compare")).ToList();
        bool silent = settings.Quiet || settings.Json;
        var scores = settings.Laws.Select(n =>
        {
            if (!silent) io.Err.WriteLine($"compare: fitting {n} on {trainTargets.Count} run(s) ...");
            var score = UserInputException.Guard(() => LawComparison.Score(LawCatalog.Create(n), trainTargets, testTargets));
            if (!silent && !score.Fit.HasFiniteParameters)
                io.Err.WriteLine($"compare: note: {n} did not converge to finite parameters ({score.Fit.NonFiniteSummary()}); its row scores that fit (converged: false in --json).");
            return (Name: n, Score: score);
        }).ToList();
        return new CompareResult(trainTargets, testTargets, scores);
    }
}
