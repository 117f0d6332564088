using HyperLaws.Cli.Output;
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
        // A continuation predicted a non-physical loss (<= 0) ranked last, with a warning, as rank ranks it.
        ranked = Rank.RankCommand.PhysicalFirst(ranked, "continuations", out string? nonPhysicalWarning);
        var y = new double[1];
        law.Predict(p, new ScheduleHistory(previous.Evaluate()), settings.ModelSize, [previous.Steps], y);

        // A loss the law's runs do not support (HyperLaws.Planning.PredictionSupport: not physical, or past the runs' latest logged
        // step from a law without a physical floor or from runs seen only in their warmup) is withheld, as rank withholds it: not
        // printed, a structured warning per reason. A continuation's loss is at its last step, the history's steps included
        // (ContinuedSchedule.Steps); the history's own loss at its last step. The order stays the law's (the non-physical last).
        Rank.RankCommand.TrainingRange(null, settings.Law, settings.LawPath, out var support, settings.ModelSize);
        var historyWithheld = new WithheldLosses(support, "history loss");
        bool historyHidden = historyWithheld.Withhold(y[0], previous.Steps);
        var withheld = new WithheldLosses(support, "continuations");
        var hidden = new HashSet<RankedCandidate>(ReferenceEqualityComparer.Instance);
        foreach (var x in ranked)
            if (withheld.Withhold(x.PredictedLoss, x.Schedule.Steps)) hidden.Add(x);

        var warnings = new List<string>();
        if (support is null)
            warnings.Add($"the training runs of {settings.LawPath} were not found: no check that the predicted losses are ones the runs support");
        warnings.AddRange(historyWithheld.Texts);
        warnings.AddRange(withheld.Texts);
        if (nonPhysicalWarning is not null) warnings.Add(nonPhysicalWarning);
        // A law fitted on a run that had stopped improving: predict holds its forecast, this ranks the law's own losses (said).
        warnings.AddRange(Predict.PredictRenderer.StallNotHeld(settings.Law, "rank-continuation"));
        string? unsupported = WithheldLosses.OrderUnsupported(ranked.Count, hidden.Count, "continuation's");
        bool orderUnsupported = unsupported is not null;
        if (unsupported is not null) warnings.Add(unsupported);
        return new RankContinuationResult(law.Name, ranked, [.. ranked.Take(settings.Top)], y[0], seconds)
        {
            HistoryWithheld = historyWithheld,
            HistoryHidden = historyHidden,
            Withheld = withheld,
            Hidden = hidden,
            OrderUnsupported = orderUnsupported,
            Warnings = warnings,
        };
    }
}
