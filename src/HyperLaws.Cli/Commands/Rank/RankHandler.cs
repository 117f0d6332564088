using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Numerics;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Rank;

/// <summary>Ranks the candidates: settings -> grid -> <see cref="SchedulePreselection"/> -> result; no console I/O.</summary>
internal static class RankHandler
{
    public static RankResult Run(RankSettings settings)
    {
        var doc = settings.Law!;
        string path = settings.LawPath!;
        int steps = settings.Steps;
        double modelSize = settings.ModelSize;
        var screen = settings.Screen;
        var (law, p) = doc.Instantiate();
        var training = RankCommand.TrainingRange(settings.Runs, doc, path, out var runNotes, out var tornTails, out var support, modelSize);
        var grid = new CandidateGrid(
            settings.Families ?? CandidateGrid.KnownFamilies,
            settings.Peaks ?? RankCommand.DefaultPeaks(training, path),
            settings.Warmups is { } w ? w.Select(x => (int)x).ToList()
                : [.. new[] { 0.01, 0.05, 0.1 }.Select(x => (int)Math.Round(x * steps)).Distinct()],
            settings.Cooldowns ?? [0.1, 0.2, 0.4],
            settings.Floors ?? [0, 0.1]);
        var candidates = UserInputException.Guard(() => grid.Schedules(steps, out int skipped) is var list ? (list, skipped) : default);
        if (candidates.list.Count == 0)
            throw new UserInputException($"--warmups: no candidate fits in {steps} steps (every warmup or wsd cooldown is too long).");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ranked = SchedulePreselection.Rank(law, p, candidates.list, modelSize, screen);
        double seconds = clock.Elapsed.TotalSeconds;
        int nonPhysical = ranked.Count(x => !(x.PredictedLoss > 0));
        if (nonPhysical == ranked.Count)
            throw new UserInputException(FormattableString.Invariant($"--law: {ErrorText.Echo(path)} predicts a non-physical loss (<= 0, a cross-entropy is positive) for every candidate (the best: {Format.G(ranked[0].PredictedLoss, 5)}): its fit does not pin these schedules down; fit it on runs with the decays to rank."));
        ranked = RankCommand.PhysicalFirst(ranked, "candidates", out string? nonPhysicalWarning);
        // A candidate's loss the runs do not support (HyperLaws.Planning.PredictionSupport) is withheld: not printed, a structured
        // warning per reason; the order stays the law's (as plan keeps its schedule when it withholds its loss). Not the physical ones
        // first: where the law falls below half the runs' lowest loss, the best physical candidate is only where the law crosses
        // that bound, not a better schedule.
        var withheld = new WithheldLosses(support, "candidates");
        var hidden = new HashSet<RankedCandidate>(ReferenceEqualityComparer.Instance);
        foreach (var x in ranked)
            if (withheld.Withhold(x.PredictedLoss, steps)) hidden.Add(x);
        var shown = ranked.Take(settings.Top).ToList();

        var intervals = doc.Intervals();
        double lvl = settings.Level ?? doc.Bootstrap?.Level ?? 0.9;
        var bands = shown.Select(x => intervals?.Predict(new ScheduleHistory(x.Schedule.Evaluate()), [x.Schedule.Steps], lvl)).ToList();
        // An interval whose lower end is not a physical loss of the runs is not given (as plan's, LossPlausibility.Check).
        int lowOut = 0;
        for (int i = 0; i < bands.Count; i++)
            if (bands[i] is { } b && support is not null && !support.LowerEndSupported(b.Lower[0]))
                (bands[i], lowOut) = (null, lowOut + 1);

        var warnings = new List<string>(tornTails);
        if (training is null)
            warnings.Add($"the training runs of {path} were not found (give --runs): no check that candidates stay inside the fitted range");
        else
        {
            var outside = ranked.Count(x => x.Schedule is WarmupSchedule ws && RankCommand.PeakOutside(ws.Peak, training.Value.MinPeak, training.Value.MaxPeak));
            if (outside > 0)
                warnings.Add($"{outside} of {ranked.Count} candidates have a peak LR outside the training runs' range [{Format.G(training.Value.MinPeak)}, {Format.G(training.Value.MaxPeak)}]: extrapolated");
            if (steps > training.Value.MaxSteps)
                warnings.Add($"{steps} steps is {Format.G((double)steps / training.Value.MaxSteps, 3)}x the longest training run ({training.Value.MaxSteps} steps): extrapolated");
        }
        warnings.AddRange(withheld.Texts);
        // A law fitted on a run that had stopped improving: predict holds its forecast, rank ranks the law's own losses (said).
        warnings.AddRange(Predict.PredictRenderer.StallNotHeld(doc, "rank"));
        // Every loss withheld: the order is still the law's, but it rests only on losses the runs do not support.
        string? unsupported = WithheldLosses.OrderUnsupported(ranked.Count, hidden.Count, "candidate's");
        bool orderUnsupported = unsupported is not null;
        if (unsupported is not null) warnings.Add(unsupported);
        if (lowOut > 0)
            warnings.Add($"{lowOut} of {shown.Count} intervals are not given: their lower end is not a plausible loss of the runs (below half their lowest logged loss, or <= 0)");
        if (nonPhysicalWarning is not null) warnings.Add(nonPhysicalWarning);
        // Terms the law's runs could not identify (LAW.json "unidentified"): the candidates' decays are ranked by the prior (or a free value).
        foreach (var term in doc.Unidentified)
            warnings.Add(term.Describe() + (term.Prior is null ? " (the candidates' decays are ranked by a free, arbitrary value)" : " (the candidates' decays are ranked by the prior, not by the runs)"));
        if (intervals is null) warnings.Add($"{path} has no bootstrap, so no intervals (fit it with --bootstrap N)");
        if (screen is null)
            warnings.Add("divergence is not screened (diverges: null; give --divergence DIV.json --params N --batch B): a candidate may blow up at a peak LR the law never saw");
        else if (ranked.Count(x => x.Diverges == true) is int diverging and > 0)
            warnings.Add($"{diverging} of {ranked.Count} candidates are predicted to diverge (ranked last)");

        var winner = ranked[0];
        // The #1 at an end of the candidates' peaks or warmups: the grid's end, not a bracketed optimum (AxisEdge, as contour's).
        var edges = AxisEdge.OfBest(winner.Schedule, candidates.list);
        warnings.AddRange(edges.Select(e => e.Text));
        var runnerUp = ranked.Count > 1 ? ranked[1] : null;
        var constant = ranked.FirstOrDefault(x => x.Schedule is ConstantSchedule && !ReferenceEquals(x, winner));
        var vsRunnerUp = runnerUp is null ? null : SchedulePreselection.Compare(law, p, winner.Schedule, runnerUp.Schedule);
        var vsConstant = constant is null ? null : SchedulePreselection.Compare(law, p, winner.Schedule, constant.Schedule);
        return new RankResult(law, modelSize, steps, candidates.skipped, seconds, training, ranked, shown, bands, intervals is not null, lvl, warnings, winner, runnerUp, constant, vsRunnerUp, vsConstant)
        {
            Unidentified = doc.Unidentified,
            RunNotes = runNotes,
            Withheld = withheld,
            Hidden = hidden,
            OrderUnsupported = orderUnsupported,
            Edges = [.. edges.Select(e => e.Json)],
        };
    }
}
