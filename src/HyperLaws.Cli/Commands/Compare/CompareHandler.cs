using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Planning;

namespace HyperLaws.Cli.Commands.Compare;

/// <summary>Compares: settings -> runs -> <see cref="LawComparison"/> per law -> result. Progress and notes go to stderr only.</summary>
internal static class CompareHandler
{
    public static CompareResult Run(CliIo io, CompareSettings settings)
    {
        var trainRuns = LawRuns.WithoutDiverged(LawRuns.Load(settings.Train));
        var trainTargets = trainRuns.Select(x => LawRuns.Target(x, settings.Split)).ToList();
        var testTargets = LawRuns.Load(settings.Test).Select(x => LawRuns.Target(x, settings.Split)).ToList();
        bool silent = settings.Quiet || settings.Json;
        if (!silent && LawRuns.MixedBatchNote(trainRuns) is { } mixed) io.Err.WriteLine(mixed);
        var (lowest, highest) = LossPlausibility.Observed(trainRuns);
        var scores = settings.Laws.Select(n =>
        {
            if (!silent) io.Err.WriteLine($"compare: fitting {n} on {trainTargets.Count} run(s) ...");
            var score = UserInputException.Guard(() => LawComparison.Score(LawCatalog.Create(n), trainTargets, testTargets));
            if (!silent && !score.Fit.HasFiniteParameters)
                io.Err.WriteLine($"compare: note: {n} did not converge to finite parameters ({score.Fit.NonFiniteSummary()}); its row scores that fit (converged: false in --json).");
            else if (!silent && Unsupported(score, testTargets, lowest, highest) is { } unsupported)
                io.Err.WriteLine($"compare: note: {n} {unsupported}");
            return (Name: n, Score: score);
        }).ToList();
        return new CompareResult(trainTargets, testTargets, scores);
    }

    /// <summary>
    /// Where a law's predictions of the test runs leave what the training runs support (<see cref="LossPlausibility.IsPhysical"/>: below
    /// half their lowest or above twice their highest logged loss, or not positive), the note's text, else null. compare fits every
    /// term freely (fit and plan hold a decay term the runs cannot identify at a prior), so a law can extrapolate a free term to such
    /// losses, which its row then scores (OptLaw's noise term across peak LRs on two MLPerf logs: PredE 20,900%, protocol 21's user path).
    /// </summary>
    internal static string? Unsupported(LawScore score, IReadOnlyList<FitTarget> test, double lowest, double highest)
    {
        for (int i = 0; i < test.Count; i++)
        {
            double[] p = score.Predictions[i];
            int bad = p.Count(x => !LossPlausibility.IsPhysical(x, lowest, highest));
            if (bad == 0) continue;
            double last = p.Last(x => !LossPlausibility.IsPhysical(x, lowest, highest));
            return $"predicts losses the training runs do not support ({bad} of {p.Length} points of {test[i].Name}, the last {Format.G(last)}; "
                + $"the training runs logged {Format.G(lowest)} to {Format.G(highest)}): its row scores them. compare fits every term freely, "
                + "where fit and plan hold a term the runs cannot identify (a decay no run shows) at a prior.";
        }
        return null;
    }
}
