using HyperLaws.Evaluation;
using HyperLaws.Laws;

namespace HyperLaws.Cli.Commands.RankContinuation;

/// <summary>Ranks: settings -> the continuation grid -> <see cref="SchedulePreselection"/> -> result; no console I/O.</summary>
internal static class RankContinuationHandler
{
    public static RankContinuationResult Run(RankContinuationSettings settings)
    {
        var (law, p) = settings.Law.Instantiate();
        var previous = settings.History;
        var candidates = UserInputException.Guard(() => settings.Grid.Schedules(previous, settings.Steps));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ranked = SchedulePreselection.Rank(law, p, candidates, settings.ModelSize);
        double seconds = clock.Elapsed.TotalSeconds;
        var y = new double[1];
        law.Predict(p, new ScheduleHistory(previous.Evaluate()), settings.ModelSize, [previous.Steps], y);
        return new RankContinuationResult(law.Name, ranked, [.. ranked.Take(settings.Top)], y[0], seconds);
    }
}
