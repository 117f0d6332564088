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
        // A continuation predicted a non-physical loss (<= 0) ranked last, with a warning, as rank ranks it: counted on the law's own
        // losses, before any hold (as predict refuses a non-physical law loss before it holds), so that a held level does not hide it.
        ranked = Rank.RankCommand.PhysicalFirst(ranked, "continuations", out string? nonPhysicalWarning);
        // A law fitted on one run that had stopped improving (LAW.json's "stall") and --history that run (settings.Hold): each
        // continuation is that run continued, so its final loss is held as predict holds it on the whole schedule
        // (StallHoldOptions.Forecast, --stall-hold; docs/VALIDATION.md "The stall hold outside predict"); ranked by the loss printed,
        // the non-physical still last, ties (the level hold: every continuation past the fitted steps) in the law's order (a stable sort).
        var lawLoss = new Dictionary<RankedCandidate, double>(ReferenceEqualityComparer.Instance);
        var heldSet = new HashSet<RankedCandidate>(ReferenceEqualityComparer.Instance);
        var stall = settings.Hold;
        if (stall is not null)
        {
            var held = new List<RankedCandidate>(ranked.Count);
            foreach (var x in ranked)
            {
                var h = x with { PredictedLoss = StallHoldOptions.Forecast(stall, settings.StallHold, law, p, new ScheduleHistory(x.Schedule.Evaluate()), [x.Schedule.Steps], [x.PredictedLoss], settings.ModelSize)[0] };
                lawLoss[h] = x.PredictedLoss;
                if (StallHoldOptions.HeldAt(stall, x.Schedule.Steps)) heldSet.Add(h);
                held.Add(h);
            }
            ranked = [.. held.OrderBy(x => lawLoss[x] > 0 ? 0 : 1).ThenBy(x => double.IsNaN(x.PredictedLoss) ? double.PositiveInfinity : x.PredictedLoss)];
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var historyLrs = new ScheduleHistory(previous.Evaluate());
        var own = new double[1];
        law.Predict(p, historyLrs, settings.ModelSize, [previous.Steps], own);
        var y = StallHoldOptions.Forecast(stall, settings.StallHold, law, p, historyLrs, [previous.Steps], own, settings.ModelSize);
        bool historyHeld = StallHoldOptions.HeldAt(stall, previous.Steps);
        bool IsHeld(RankedCandidate x) => heldSet.Contains(x);
        int heldCount = heldSet.Count;

        // A loss the law's runs do not support (HyperLaws.Planning.PredictionSupport: not physical, or past the runs' latest logged
        // step from a law without a physical floor or from runs seen only in their warmup) is withheld, as rank withholds it: not
        // printed, a structured warning per reason. A continuation's loss is at its last step, the history's steps included
        // (ContinuedSchedule.Steps); the history's own loss at its last step. The order stays the law's (the non-physical last). A held
        // loss is the run's, not the law's: kept, its law's own value not given where the runs do not support it (as predict).
        Rank.RankCommand.TrainingRange(null, settings.Law, settings.LawPath, out _, out var tornTails, out var support, settings.ModelSize);
        var historyWithheld = new WithheldLosses(support, "history loss");
        bool historyHidden = StallHoldOptions.Withhold(historyHeld, historyWithheld, own[0], previous.Steps);
        double historyLawLoss = historyHidden ? double.NaN : StallHoldOptions.LawLossShown(historyHeld, own[0], previous.Steps, support);
        var withheld = new WithheldLosses(support, "continuations");
        var hidden = new HashSet<RankedCandidate>(ReferenceEqualityComparer.Instance);
        foreach (var x in ranked)
            if (StallHoldOptions.Withhold(IsHeld(x), withheld, lawLoss.TryGetValue(x, out double o) ? o : x.PredictedLoss, x.Schedule.Steps)) hidden.Add(x);
        var lawShown = new Dictionary<RankedCandidate, double>(ReferenceEqualityComparer.Instance);
        foreach (var x in ranked)
            lawShown[x] = hidden.Contains(x) ? double.NaN
                : StallHoldOptions.LawLossShown(IsHeld(x), lawLoss.TryGetValue(x, out double o) ? o : x.PredictedLoss, x.Schedule.Steps, support);

        var warnings = new List<string>();
        if (settings.HistoryCut is not null) warnings.Add(settings.HistoryCut);
        if (support is null)
            warnings.Add($"the training runs of {settings.LawPath} were not found: no check that the predicted losses are ones the runs support");
        warnings.AddRange(historyWithheld.Texts);
        warnings.AddRange(withheld.Texts);
        if (nonPhysicalWarning is not null) warnings.Add(nonPhysicalWarning);
        // A law fitted on a run that had stopped improving: said as predict says it; with the level hold the held continuations tie.
        bool anyHeld = heldCount > 0 || historyHeld;
        warnings.AddRange(StallHoldOptions.Warnings(settings.Law, settings.StallCheck, settings.StallHold, anyHeld, notHeld: settings.NotHeld));
        if (heldCount > 1 && settings.StallHold == HyperLaws.Fitting.StallHold.Level)
            warnings.Add(FormattableString.Invariant($"{heldCount} of {ranked.Count} continuations hold the same level {stall!.Level:G5}: their order is the law's own, which the run, stalled, does not support (--stall-hold progress orders them by the law's drop from their LR changes)"));
        string? unsupported = WithheldLosses.OrderUnsupported(ranked.Count, hidden.Count, "continuation's");
        bool orderUnsupported = unsupported is not null;
        if (unsupported is not null) warnings.Add(unsupported);
        return new RankContinuationResult(law.Name, ranked, [.. ranked.Take(settings.Top)], y[0], seconds)
        {
            Held = anyHeld,
            TornTails = tornTails,
            LawLossShown = lawShown,
            HistoryLawLossShown = historyLawLoss,
            HistoryWithheld = historyWithheld,
            HistoryHidden = historyHidden,
            Withheld = withheld,
            Hidden = hidden,
            OrderUnsupported = orderUnsupported,
            Warnings = warnings,
        };
    }
}
