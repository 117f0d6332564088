using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Fit;

/// <summary>Fits: settings -> runs -> <see cref="LawFitter"/> (and bootstrap) -> result. Progress and notes go to stderr only.</summary>
internal static class FitHandler
{
    public static FitResult Run(CliIo io, FitSettings settings)
    {
        var loaded = LawRuns.Load(settings.Runs);
        if (!settings.QuietOrJson) foreach (var readerNote in LawRuns.ReaderNotes(loaded)) io.Err.WriteLine(readerNote);
        var usable = LawRuns.WithoutDiverged(loaded);
        foreach (var d in loaded.Where(x => x.Diverged))
            if (!settings.QuietOrJson) io.Err.WriteLine($"note: {LawRuns.Describe(d)} diverged; left out of the fit");
        foreach (var r in usable)
            if (!settings.QuietOrJson && r.Metadata.Tags.TryGetValue("epochs", out var ep)
                && double.TryParse(ep, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double epochs) && epochs > 1.05)
                io.Err.WriteLine($"note: {LawRuns.Describe(r)} went over its data {ep} times (its log's epoch): the laws model single-pass training, so the fit follows this curve but its extrapolation in steps is not what the laws were validated on");
        if (!settings.QuietOrJson && !settings.AcrossSizes && LawRuns.MixedBatchNote(usable) is { } mixed) io.Err.WriteLine(mixed);
        var targets = usable.Select(x => LawRuns.Target(x, settings.Split)).ToList();
        var fittable = LawCatalog.Create(settings.Law);
        if (settings.AcrossSizes) fittable = AcrossSizes(fittable, usable, targets);
        if (settings.Bootstrap is { } b) UserInputException.Guard(() => LawBootstrap.Check(b, targets.Count));
        // The fit and its bootstrap on at most --max-points points per curve (bin means beyond: PointBudget, as the plan's fits);
        // what is reported per run below (errors, the stall check) is on every point.
        var fitOptions = new FitOptions { MaxPointsPerCurve = settings.MaxPointsPerCurve };
        var identified = LawRuns.Fit(io, fittable, targets, settings.QuietOrJson, settings.Priors, fitOptions);
        var fit = identified.Fit;
        // The points fitted (bin means beyond --max-points) against the parameters left free (those held at a prior are not fitted).
        int fittedPoints = targets.Sum(t => Math.Min(t.Steps.Length, settings.MaxPointsPerCurve));
        if (!settings.QuietOrJson && LawRuns.TooFewPointsNote(fittable.Name, fittable.ParameterNames.Count - (identified.Pins?.Count ?? 0), fittedPoints) is { } few)
            io.Err.WriteLine(few);
        // Terms the runs cannot identify: one warning each on stderr (JSON: "unidentified"), kept in LAW.json for predict and rank.
        if (!settings.QuietOrJson)
            foreach (var term in identified.Unidentified) io.Err.WriteLine($"warning: {term.Describe()}.");
        // A decay seen only in part whose free fit passed the physical checks (the default identification rule, protocol 14e/15e): said once.
        // The rule decided (Evidence set) and nothing was held at a prior (no Pins: IdentifiedFitter sets them whenever it holds one).
        if (!settings.QuietOrJson && identified is { Evidence: { } decided, Pins: null } && decided.StartsWith("free:", StringComparison.Ordinal))
            io.Err.WriteLine($"note: {fittable.Name}: the runs' decay is seen only in part (no 2 fitted points at or below half the peak LR); its free fit passed the physical checks, so it is fitted freely: what it predicts for a deeper decay extrapolates what the runs show (docs/VALIDATION.md, \"Protocol 14e/15e\").");
        // A curve that has stopped improving where the law still falls (StallCheck, docs/VALIDATION.md "Curves that stop improving"):
        // one warning each; LAW.json keeps the stalled ones so that predict warns and holds the recent level.
        // Each curve's fitted values, predicted once for the stall check and the per-run metrics below; the stall check sees NaN
        // when a parameter is not finite, as StallCheck.Of(fit, targets) does.
        var fitted = targets.Select(t => fit.Predict(t.History, t.Steps, t.ModelSize)).ToList();
        IReadOnlyList<CurveStall> stalls =
            [.. targets.Select((t, i) => StallCheck.Of(t.Name, t.Steps, t.Loss, fit.HasFiniteParameters ? fitted[i] : [.. t.Steps.Select(_ => double.NaN)]))];
        if (!settings.QuietOrJson)
            foreach (var s in stalls)
                if (StallHoldOptions.FitDescribe(s, fittable.Name, usable.Count) is { } line) io.Err.WriteLine($"warning: {line}.");
        var runNames = usable.Select(LawRuns.RecordedPath);
        var uncertainty = settings.Bootstrap is null ? null : BootstrapCli.Run(io, fittable, targets, identified, settings.Bootstrap with { Fit = settings.Bootstrap.Fit with { MaxPointsPerCurve = settings.MaxPointsPerCurve } }, settings.QuietOrJson);
        var doc = (uncertainty is null ? FittedLawDocument.From(fit, runNames) : FittedLawDocument.From(uncertainty, runNames)) with
        {
            Unidentified = identified.Unidentified,
            Stalls = [.. stalls.Where(x => x.Stalled)],
            MaxPointsPerCurve = settings.MaxPointsPerCurve == FitSettings.DefaultMaxPointsPerCurve ? null : settings.MaxPointsPerCurve,
        };
        var perRun = targets.Select((t, i) => (t.Name, Metrics: CurveMetrics.Of(t.Loss, fitted[i]))).ToList();
        if (!settings.QuietOrJson && PoorFitNote(fit, perRun) is { } note) io.Err.WriteLine(note);
        return new FitResult(fit, uncertainty, doc, targets.Count, perRun) { Stalls = stalls };
    }

    /// <summary>
    /// In-sample PredE above which the fit is called poor: the laws fit the pretraining curves they were built for to 0.1-1.5%
    /// PredE (docs/VALIDATION.md, protocol 1), so 10% is about ten times the worst of them: the law does not describe the runs.
    /// </summary>
    internal const double PoorPredE = 0.10;

    /// <summary>
    /// A one-line note (not an error) when the fitted law does not describe the runs: a run's in-sample PredE above <see cref="PoorPredE"/>,
    /// or a non-physical parameter (an irreducible loss L0 &lt; 0: a cross-entropy cannot go below zero); null otherwise.
    /// </summary>
    internal static string? PoorFitNote(LawFit fit, IReadOnlyList<(string Name, CurveMetrics Metrics)> perRun)
    {
        var problems = new List<string>();
        var worst = perRun.Where(r => double.IsFinite(r.Metrics.PredE)).OrderByDescending(r => r.Metrics.PredE).FirstOrDefault();
        bool highError = worst.Name is not null && worst.Metrics.PredE > PoorPredE, nonFinite = perRun.Any(r => !double.IsFinite(r.Metrics.PredE));
        bool poor = highError || nonFinite;
        if (highError) problems.Add(FormattableString.Invariant($"in-sample PredE {100 * worst.Metrics.PredE:0.#}% on {worst.Name} (above {100 * PoorPredE:0}%)"));
        if (nonFinite) problems.Add("non-finite predictions");
        foreach (double v in HyperLaws.Planning.LossPlausibility.NegativeFloors(fit)) problems.Add(FormattableString.Invariant($"fitted L0 = {v:G4} < 0: a cross-entropy cannot go below zero"));
        if (problems.Count == 0) return null;
        // A good in-sample fit with L0 < 0 (e.g. one run at one LR leaves L0 unidentified) follows the runs; only its far extrapolation is non-physical.
        return poor
            ? $"note: {fit.Law.Name} does not describe these runs ({string.Join("; ", problems)}): its predictions are not to be trusted (e.g. multi-epoch fine-tuning or noisy per-step losses, which the laws were not built for)"
            : FormattableString.Invariant($"note: {fit.Law.Name}'s {string.Join("; ", problems)}: the fit follows the runs (in-sample PredE at most {100 * worst.Metrics.PredE:0.##}%) but its extrapolation far beyond them goes below zero; runs at other schedules or lengths pin L0 down");
    }

    /// <summary>The law across sizes (the headline size law of validation protocol 2, N_ref the geometric mean of the runs' sizes).</summary>
    private static SizedLaw AcrossSizes(IFittableLaw law, IReadOnlyList<TrainingRun> runs, IReadOnlyList<FitTarget> targets)
    {
        foreach (var run in runs)
            if (!(run.Metadata.Parameters is > 0))
                throw new UserInputException($"--across-sizes: {run.Metadata.Source ?? run.Name}: the model size (parameter count) is unknown, so it cannot be placed on the size law.");
        return UserInputException.Guard(() => SizedLaw.Create(law, new SizeLawSpec(SizeLawSpec.CentreOf(targets))));
    }
}
