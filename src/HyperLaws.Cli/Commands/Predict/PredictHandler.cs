using HyperLaws.Cli.Output;
using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.Predict;

/// <summary>Predicts: settings -> the law's prediction (and interval, terms) -> result; no console I/O.</summary>
internal static class PredictHandler
{
    public static PredictResult Run(PredictSettings settings)
    {
        var (law, p) = settings.Law.Instantiate();
        var lrs = settings.Schedule.Evaluate();
        int[] at = settings.Steps;
        var y = new double[at.Length];
        var history = new ScheduleHistory(lrs);
        law.Predict(p, history, settings.ModelSize, at, y);
        int bad = Array.FindIndex(y, v => !double.IsFinite(v));
        if (bad >= 0)
            throw new UserInputException($"--law: {ErrorText.Echo(settings.LawPath)} predicts a non-finite loss ({y[bad]}) at step {at[bad]}: its parameters are out of range for this schedule.");
        // A cross-entropy is positive (HyperLaws.Planning.LossPlausibility): a law fitted where a term is not identified (a run at
        // one constant LR leaves the cooldown's drop free) can predict a negative loss for a schedule that uses that term.
        int negative = Array.FindIndex(y, v => !(v > 0));
        if (negative >= 0)
            throw new UserInputException(FormattableString.Invariant($"--law: {ErrorText.Echo(settings.LawPath)} predicts a non-physical loss ({Format.G(y[negative], 5)}, a cross-entropy is positive) at step {at[negative]}: its fit does not pin down this schedule (a law fitted at one constant LR leaves the decay's drop free); fit it on runs with this kind of decay."));
        // A law fitted on one run that had stopped improving (LAW.json's "stall"): after its last fitted step, the recent level or the law's
        // progress held (StallHoldOptions.Forecast, --stall-hold; rank-continuation holds its continuations the same way).
        double[] own = y;
        y = StallHoldOptions.Forecast(settings.Hold, settings.StallHold, law, p, history, at, own, settings.ModelSize);
        var band = settings.Law.Intervals()?.Predict(history, at, settings.Level ?? settings.Law.Bootstrap!.Level);
        IReadOnlyList<LawTerm>? terms = null;
        if (settings.Explain)
            terms = law is IExplainableLaw explainable ? explainable.Explain(p, history, at[^1])
                : throw new UserInputException($"--explain: the {law.Name} law cannot split its prediction into terms.");
        var training = Rank.RankCommand.TrainingRange(null, settings.Law, settings.LawPath, out var runNotes, out var tornTails, out var support, settings.ModelSize);
        var range = new List<string>();
        // The schedule's peak LR outside the runs' peaks: the law extrapolates to it (as rank warns for its candidates).
        if (training is { } r && lrs.Length > 0 && lrs.Max() is var peak && Rank.RankCommand.PeakOutside(peak, r.MinPeak, r.MaxPeak))
            range.Add($"the schedule's peak LR {Format.G(peak)} is outside the training runs' range [{Format.G(r.MinPeak)}, {Format.G(r.MaxPeak)}]: extrapolated");
        if (training is { } t && at[^1] > t.MaxSteps)
            range.Add($"step {at[^1]} is {Format.G((double)at[^1] / t.MaxSteps, 3)}x the longest training run ({t.MaxSteps} steps): extrapolated");
        // A loss the runs do not support (HyperLaws.Planning.PredictionSupport: not physical, or past the runs from a law without a
        // physical floor or from runs seen only in their warmup) is withheld, not printed: NaN here, null in JSON, with a structured
        // warning. Checked at the last step and beyond the longest training run only: before its first logged point (the warmup's
        // first steps) a law is not meant to describe the loss, and within the runs' steps it was fitted to them. A stalled run's held
        // level (y differs from the law's own) is the run's, not the law's: kept.
        var withheld = new WithheldLosses(support, "predicted step(s)");
        var masked = new bool[y.Length];
        for (int i = 0; i < y.Length; i++)
            if ((i == y.Length - 1 || support is { } s && at[i] > s.LongestSteps) && StallHoldOptions.Withhold(StallHoldOptions.HeldAt(settings.Hold, at[i]), withheld, own[i], at[i]))
                masked[i] = true;
        // At a stalled run's held steps the loss printed is the held level: the law's own value there is not given where unsupported.
        for (int i = 0; i < y.Length; i++)
            if (masked[i]) (y[i], own[i]) = (double.NaN, double.NaN);
            else own[i] = StallHoldOptions.LawLossShown(StallHoldOptions.HeldAt(settings.Hold, at[i]), own[i], at[i], support);
        // An interval whose lower end is not a physical loss of the runs is not given (as plan's, LossPlausibility.Check).
        if (band is not null && support is { } sup && Array.FindIndex(band.Lower, v => !sup.LowerEndSupported(v)) is int low and >= 0)
        {
            range.Add($"the {Format.Percent(band.Level, 0)} interval is not given: its lower end {Format.G(band.Lower[low], 4)} at step {at[low]} is not a plausible loss of the runs (below half their lowest logged loss {Format.G(sup.LowestObserved, 4)}, or <= 0)");
            band = null;
        }
        // The terms of a withheld loss would give it back (their sum): not given.
        if (terms is not null && masked[^1])
        {
            range.Add("--explain: the terms are not given, since the final loss is withheld (they sum to it)");
            terms = null;
        }
        return new PredictResult(law, p, history, at, lrs, y, band, terms) { LawLoss = own, RangeWarnings = range, Withheld = withheld, WithheldAt = masked, TornTails = tornTails, RunNotes = runNotes };
    }
}
