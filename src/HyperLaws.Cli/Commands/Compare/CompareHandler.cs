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
        var trainLoaded = LawRuns.Load(settings.Train);
        var testRuns = LawRuns.Load(settings.Test);
        if (!(settings.Quiet || settings.Json)) foreach (var note in LawRuns.ReaderNotes([.. trainLoaded, .. testRuns])) io.Err.WriteLine(note);
        var trainRuns = LawRuns.WithoutDiverged(trainLoaded);
        var trainTargets = trainRuns.Select(x => LawRuns.Target(x, settings.Split)).ToList();
        var testTargets = testRuns.Select(x => LawRuns.Target(x, settings.Split)).ToList();
        bool silent = settings.Quiet || settings.Json;
        if (!silent && LawRuns.MixedBatchNote(trainRuns, testRuns) is { } mixed) io.Err.WriteLine(mixed);
        var (lowest, highest) = LossPlausibility.Observed(trainRuns);
        int points = trainTargets.Sum(t => t.Steps.Length);
        var scores = settings.Laws.Select(n =>
        {
            if (!silent) io.Err.WriteLine($"compare: fitting {n} on {trainTargets.Count} run(s) ...");
            var law = LawCatalog.Create(n);
            if (!silent && LawRuns.TooFewPointsNote(law.Name, law.ParameterNames.Count, points) is { } few) io.Err.WriteLine($"compare: {few}");
            var score = UserInputException.Guard(() => LawComparison.Score(law, trainTargets, testTargets));
            var (bad, first, curve) = LossPlausibility.NonPhysical(score.Predictions, lowest, highest);
            if (!silent && !score.Fit.HasFiniteParameters)
                io.Err.WriteLine($"compare: note: {n} did not converge to finite parameters ({score.Fit.NonFiniteSummary()}); its row scores that fit (converged: false in --json).");
            else if (!silent && bad > 0)
                io.Err.WriteLine($"compare: note: {n} {Unsupported(bad, score.Predictions.Sum(p => p.Length), first, testTargets[curve].Name, lowest, highest)}");
            return new CompareScore(n, score, bad == 0);
        }).ToList();
        return new CompareResult(trainTargets, testTargets, scores, settings.Split);
    }

    /// <summary>
    /// The note on a law whose predictions of the test runs leave what the training runs support (<see cref="LossPlausibility.NonPhysical"/>:
    /// not positive, below half their lowest logged loss or above twice their highest, the range said with how each end is made).
    /// compare fits every term freely (fit and plan hold a decay term the runs cannot identify at a prior), so a law can extrapolate
    /// a free term to such losses, which its row then scores (OptLaw's noise term across peak LRs on two MLPerf logs: PredE 20,900%,
    /// protocol 21's user path).
    /// </summary>
    internal static string Unsupported(int bad, int total, double first, string run, double lowest, double highest) =>
        $"predicts losses the training runs do not support: {bad} of {total} predicted points (the first {Format.G(first)}, of {run}) lie outside "
        + $"{Format.G(LossPlausibility.MinFractionOfLowest * lowest)} to {Format.G(LossPlausibility.MaxFactorOfHighest * highest)}, half the training runs' lowest loss "
        + $"({Format.G(lowest)}, the lowest median of {LossPlausibility.LowestWindow} consecutive logged losses) to twice their highest ({Format.G(highest)}): "
        + "its row scores them (supported: false in --json). compare fits every term freely, where fit and plan hold a term the runs cannot identify (a decay no run shows) at a prior.";
}
