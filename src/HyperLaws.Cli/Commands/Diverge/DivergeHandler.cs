using System.Diagnostics;
using System.Globalization;
using HyperLaws.Divergence;
using HyperLaws.Readers;
using HyperLaws.Schedules;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Diverge;

/// <summary>
/// Runs <c>diverge</c>'s modes: settings -> labelled runs -> <see cref="DivergenceFitting"/> / <see cref="DivergenceValidation"/>
/// / <see cref="DivergenceModel.Predict"/> -> result; no console I/O (progress goes to the callback only).
/// </summary>
internal static class DivergeHandler
{
    /// <summary>
    /// Fits the critical peak LR on the labelled runs and scores it leave-one-cell-out. <paramref name="tornTail"/> receives each run
    /// read whose file had a torn tail (<see cref="LawRuns.TornTails"/>), as Score and Calibrate do.
    /// </summary>
    public static DivergeFitResult Fit(DivergeSettings settings, Action<string>? progress, Action<string>? tornTail = null)
    {
        var clock = Stopwatch.StartNew();
        var examples = Load(settings.Runs!, settings.Assumption, settings.Factor, tornTail);
        int positives = examples.Count(x => x.Diverged);
        int groups = examples.Select(x => x.Group).Distinct().Count();
        if (positives == 0 || positives == examples.Count)
            throw new UserInputException($"--runs: the {examples.Count} runs are all {(positives == 0 ? "stable" : "diverged")}; the fit needs both kinds.");
        if (groups < 2) throw new UserInputException($"--runs: all {examples.Count} runs are in one cell; the held-out split leaves whole cells out and needs at least 2.");
        progress?.Invoke($"{examples.Count} runs, {positives} diverged, {groups} cells; leave-one-cell-out ...");
        var cv = UserInputException.Guard(() => DivergenceFitting.CrossValidate(examples, settings.FitWarmup, g => progress?.Invoke($"  holding out {g}"), batchCurvature: settings.BatchCurvature));
        progress?.Invoke("fitting on all runs ...");
        var m = UserInputException.Guard(() => DivergenceFitting.Fit(examples, settings.FitWarmup, settings.BatchCurvature));
        return new DivergeFitResult(m, cv, examples.Count, positives, groups, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Scores the saved predictor on the labelled runs; nothing is refitted.</summary>
    public static DivergeScoreResult Score(DivergeSettings settings, Action<string>? tornTail = null)
    {
        var sources = settings.Runs!;
        var examples = Load(sources, settings.Assumption, settings.Factor, tornTail);
        if (examples.Count == 0) throw new UserInputException($"--runs: no labelled runs in {string.Join(", ", sources)}.");
        var scores = UserInputException.Guard(() => DivergenceFitting.Score(settings.Model!, examples));
        return new DivergeScoreResult(scores, examples.Count, examples.Count(x => x.Diverged), examples.Select(x => x.Group).Distinct().Count());
    }

    /// <summary>
    /// Calibrates the saved boundary on the sweep's labelled runs, all taken as one cell: one offset of ln eta_crit
    /// (<see cref="SweepCalibration.Fit"/> with the declared cell scale, no row term: a DIV.json holds one boundary), and each run
    /// held out in turn for the scores of the saved and the calibrated boundary.
    /// </summary>
    public static DivergeCalibrateResult Calibrate(DivergeSettings settings, Action<string>? tornTail = null)
    {
        var sources = settings.Runs!;
        var examples = Load(sources, settings.Assumption, settings.Factor, tornTail).Select(x => x with { Group = "sweep" }).ToList();
        if (examples.Count == 0) throw new UserInputException($"--runs: no labelled runs in {string.Join(", ", sources)}.");
        var prior = settings.Model!;
        var fit = UserInputException.Guard(() => SweepCalibration.Fit(prior.Rule, examples, rowScale: 0));
        var heldOut = DivergenceFitting.CrossValidateWithinSweep(examples, new Dictionary<string, DivergenceModel> { ["sweep"] = prior });
        return new DivergeCalibrateResult(new DivergenceModel(prior.Rule with { A = prior.Rule.A + fit.CellOffset }), fit, heldOut, examples.Count, examples.Count(x => x.Diverged));
    }

    /// <summary>Protocol 4's divergence part on the data folder.</summary>
    public static DivergenceValidationResult Validate(DivergeSettings settings, Action<string>? progress)
    {
        string dataRoot = settings.DataRoot;
        if (!Directory.Exists(dataRoot)) throw new UserInputException($"--data: {dataRoot} not found (the divergence protocol needs shared/data: try --data ../shared/data).");
        // The two inputs the protocol needs, checked before its progress line so that a wrong --data is one line.
        foreach (string needed in new[] { DivergenceValidation.SteplawFile, DivergenceValidation.LrSchedulingDir })
            if (!Path.Exists(Path.Combine(dataRoot, needed)))
                throw new UserInputException($"--data: {Path.Combine(dataRoot, needed)}: not found (the divergence protocol needs the Step Law table and the lr-scheduling W&B exports; the data folder must be laid out like shared/data).");
        try
        {
            progress?.Invoke($"labelling {dataRoot} and holding out each cell in turn ...");
            return DivergenceValidation.Run(dataRoot, settings.Assumption, g => progress?.Invoke($"  holding out {g}"), settings.BatchCurvature);
        }
        catch (ValidationDataException e)
        {
            throw new UserInputException($"--data: {e.Message}");
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            // A degenerate folder (e.g. no diverged run) fails a fit, the held-out ones or the all-runs one of the ceilings: one line (as Guard).
            throw new UserInputException($"--data: {dataRoot}: {e.Message}");
        }
    }

    /// <summary>Predicts whether one schedule diverges.</summary>
    public static DivergePredictResult Predict(DivergeSettings settings)
    {
        var s = settings.Schedule!;
        // The profile samples at most ~1,024 steps, so a schedule of any length is checked without evaluating every step.
        var profile = LrProfile.FromFunction(t => s.At((int)t), s.Steps);
        if (!(profile.Peak > 0)) throw new UserInputException("--schedule: the schedule's peak LR must be positive.");
        int warmupSteps = WarmupSteps(s);
        var x = new DivergenceExample("schedule", "input", settings.Parameters, settings.BatchTokens, warmupSteps, profile, false);
        // A hand-edited or extrapolated boundary (a large A or G) can put eta_crit out of double's range (was: exit 70 from the profile's check).
        double eta = settings.Model!.CriticalPeakLr(x.N, x.BatchTokens, x.Tokens, x.WarmupSteps);
        if (!(eta > 0) || !double.IsFinite(eta))
            throw new UserInputException($"{settings.ModelPath}: the boundary gives eta_crit = {eta.ToString("R", CultureInfo.InvariantCulture)} at --params {settings.Parameters.ToString("R", CultureInfo.InvariantCulture)} --batch {settings.BatchTokens.ToString("R", CultureInfo.InvariantCulture)} (must be positive and finite; check boundary.A and boundary.G).");
        return new DivergePredictResult(s, profile, warmupSteps, settings.Model!.Predict(x));
    }

    /// <summary>
    /// Reads the labelled runs: sweep tables by the 2x rule, other files and folders by the readers' mark; each run read whose file had
    /// a torn tail to <paramref name="tornTail"/> (<see cref="LawRuns.TornTails"/>' text).
    /// </summary>
    private static List<DivergenceExample> Load(IReadOnlyList<string> paths, SweepScheduleAssumption assumption, double factor, Action<string>? tornTail)
    {
        var examples = new List<DivergenceExample>();
        foreach (string path in paths)
        {
            if (File.Exists(path) && SteplawReader.Recognizes(path))
            {
                try
                {
                    examples.AddRange(SweepLabels.Label(SteplawReader.Read(path), assumption, factor));
                }
                catch (Exception e) when (e is FormatException or IOException)
                {
                    throw new UserInputException(e.Message);
                }
                continue;
            }
            var set = LawRuns.Load([path]);
            if (tornTail is not null) foreach (var t in LawRuns.TornTails(set)) tornTail(t);
            try
            {
                examples.AddRange(DivergenceValidation.FromRuns(set, Path.TrimEndingDirectorySeparator(path)));
            }
            catch (Exception e) when (e is ValidationDataException or ArgumentException)
            {
                // The core names the run (its name inside the file); the user needs the file too.
                throw new UserInputException(e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message : $"{path}: {e.Message}");
            }
        }
        return examples;
    }

    /// <summary>Steps until the schedule first reaches its peak (sampled like the profile for long schedules).</summary>
    private static int WarmupSteps(LrSchedule s)
    {
        int stride = Math.Max(1, s.Steps / 100_000);
        int best = 1;
        double peak = s.At(1);
        for (int t = 1; t <= s.Steps; t += stride)
        {
            double v = s.At(t);
            if (v > peak) { peak = v; best = t; }
        }
        return best;
    }
}
