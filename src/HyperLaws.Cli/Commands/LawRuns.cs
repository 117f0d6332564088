using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Planning;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands;

/// <summary>Loading runs for the law commands and turning them into fit targets.</summary>
internal static class LawRuns
{
    /// <summary>Reads every file (or every run in a folder, and its subfolders when <paramref name="recursive"/>); any reader error is one line naming the file.</summary>
    public static IReadOnlyList<TrainingRun> Load(IEnumerable<string> paths, bool recursive = false)
    {
        var runs = new List<TrainingRun>();
        // The file each run came from, by full path with its links resolved (Resolved), and the path given that read it: a file read
        // through two paths given (--runs a.csv --runs a.csv, a folder and a file in it, a link and its target, a folder's link and
        // the folder) was fitted as two runs, its points counted twice. Runs of one file (a W&B export of several runs) share it and
        // are read through one path; same-named files in different folders are different files.
        var readBy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            int first = runs.Count;
            try
            {
                if (Directory.Exists(path))
                {
                    var set = RunReader.ReadDirectory(path, recursive: recursive);
                    if (set.Failures.Count > 0)
                        throw new UserInputException(set.Failures[0].Message + (set.Failures.Count > 1 ? $" (and {set.Failures.Count - 1} more file(s) in {path})" : ""));
                    if (set.Runs.Count == 0) throw new UserInputException($"{path}: no runs found in this folder.");
                    runs.AddRange(set.Runs);
                }
                else if (File.Exists(path))
                {
                    runs.Add(RunReader.Read(path));
                }
                else
                {
                    throw new UserInputException($"{path}: no such file or folder.");
                }
            }
            catch (FormatException e)
            {
                throw new UserInputException(e.Message);
            }
            catch (IOException e)
            {
                throw new UserInputException($"{path}: {e.Message}");
            }
            foreach (var (source, file) in runs.Skip(first).Select(r => r.Metadata.Source).OfType<string>().Where(File.Exists).Select(Path.GetFullPath)
                .Distinct(StringComparer.Ordinal).Select(f => (Path: f, File: Resolved(f))).DistinctBy(x => x.File, StringComparer.Ordinal))
            {
                if (readBy.TryGetValue(file, out string? earlier))
                    throw new UserInputException($"{source}: the run is given twice ({(earlier == path ? $"'{path}' twice" : $"through '{earlier}' and '{path}'")}): its points would count twice.");
                readBy.Add(file, path);
            }
        }
        if (runs.Count == 0) throw new UserInputException("no runs were given.");
        return runs;
    }

    /// <summary>
    /// <paramref name="fullPath"/> with every symbolic link along it resolved, folder by folder from the root (each link to its final
    /// target; links inside a target's own path are not resolved again). A link that cannot be resolved (a loop) stays as written.
    /// </summary>
    private static string Resolved(string fullPath)
    {
        string root = Path.GetPathRoot(fullPath) ?? "", current = root;
        foreach (string part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            try
            {
                if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target) current = target.FullName;
            }
            catch (IOException)
            {
                // Too many levels of links: keep the path as written.
            }
        }
        return current;
    }

    /// <summary>
    /// One note per run whose reader skipped part of its file (the tag <see cref="ReaderTags.TornTail"/> of a W&amp;B run file still being
    /// written, or cut, when it was copied): the run is shorter than the job, and a fit, a plan or a ranking sees only what was read.
    /// The commands print each on stderr as <c>note: TEXT</c> (<see cref="ReaderNotes"/>); rank's JSON carries TEXT in <c>warnings[]</c>.
    /// </summary>
    /// <remarks>The words are the explainer's (<see cref="PlanExplainer.RunNote"/>) of the runs' <see cref="RunNoteKind.TornTail"/> notes, the same data plan's,
    /// rank's and predict's JSON carry in <c>runNotes</c>; the readers' other notes are not printed on stderr: they are in that JSON and
    /// in plan's report.html (one line per kind, the runs folded below it).</remarks>
    public static IEnumerable<string> TornTails(IEnumerable<TrainingRun> runs) =>
        TornTailTexts(RunNote.Of(runs));

    /// <summary><see cref="TornTails"/> of notes already read (<see cref="RunNote.Of(IEnumerable{TrainingRun})"/>): the torn tails' words.</summary>
    public static IEnumerable<string> TornTailTexts(IEnumerable<RunNote> notes) =>
        notes.Where(n => n.Kind == RunNoteKind.TornTail).Select(PlanExplainer.RunNote);

    /// <summary>
    /// <see cref="TornTails"/> as the <c>note:</c> lines that every command reading runs prints on stderr unless --json or --quiet
    /// (fit, compare, import, plan, demo, contour, optimize-schedule, predict, rank-continuation, sweep, diverge; rank in its warnings).
    /// </summary>
    public static IEnumerable<string> ReaderNotes(IEnumerable<TrainingRun> runs) => TornTails(runs).Select(t => $"note: {t}");

    /// <summary>Each of <paramref name="tornTails"/> (<see cref="TornTails"/>'s texts) on <paramref name="err"/> as a <c>note:</c> line, as <see cref="ReaderNotes"/> gives it.</summary>
    public static void WriteNotes(TextWriter err, IEnumerable<string> tornTails)
    {
        ArgumentNullException.ThrowIfNull(err);
        foreach (var t in tornTails) err.WriteLine($"note: {t}");
    }

    /// <summary>The runs that did not diverge; an error naming the runs when none is left.</summary>
    public static IReadOnlyList<TrainingRun> WithoutDiverged(IReadOnlyList<TrainingRun> runs)
    {
        var usable = runs.Where(r => !r.Diverged).ToList();
        if (usable.Count == 0)
            throw new UserInputException($"every run diverged, nothing to fit: {string.Join("; ", runs.Select(Describe))}.");
        return usable;
    }

    /// <summary>
    /// A note when the runs fitted and <paramref name="predicted"/> (compare's test runs) state two or more batches
    /// (<see cref="RunReferences.StatedBatches"/>: tokens per step, else sequences x sequence length), else null: the laws count optimizer
    /// steps, so one law fitted across them takes a step of each for the same progress (MLPerf's gpt-oss logs at batches of 16-64
    /// sequences, protocol 21), and a law fitted at one batch predicts a run at another in its own steps. A predicted run whose batch
    /// no fitted run has is named. No command converts the runs' steps across batches (plan converts only its reference run's batch to
    /// the plan's, and its planner warns the same, <see cref="WarningKind.RunsAtSeveralBatches"/>).
    /// </summary>
    public static string? MixedBatchNote(IReadOnlyList<TrainingRun> runs, IReadOnlyList<TrainingRun>? predicted = null)
    {
        predicted ??= [];
        var batches = RunReferences.StatedBatches([.. runs, .. predicted]);
        if (batches.Count < 2) return null;
        var fitted = RunReferences.StatedBatches(runs);
        var other = predicted.Where(r => RunReferences.Stated(r) is { } b && !fitted.Contains(b)).ToList();
        string named = other.Count == 0 ? "" : "; " + string.Join(", ", other.Select(r => $"test run {r.Name} at {Format.Count(RunReferences.Stated(r)!.Value)}"))
            + (fitted.Count == 0 ? ", the training runs at none stated" : $", the training runs at {string.Join(", ", fitted.Select(b => Format.Count(b)))}");
        return $"note: the runs train at {batches.Count} batches ({string.Join(", ", batches.Select(b => Format.Count(b)))} tokens per step{named}): "
            + "the laws count optimizer steps, so one law fitted across them takes a step of each for the same progress"
            + (predicted.Count > 0 ? ", and predicts a run at another batch in the steps it was fitted in" : "")
            + "; use the runs of one batch (no command converts steps across batches: plan converts only its reference run's batch to the plan's)";
    }

    /// <summary>
    /// A note when a law of <paramref name="free"/> free parameters is fitted on no more than that many <paramref name="points"/>, else
    /// null: the runs do not determine the fit, which can pass through every point (an in-sample PredE of 0). A note, as fit's other
    /// notes on a fit that does not describe its runs (<see cref="Fit.FitHandler.PoorFitNote"/>); fit and compare say it alike.
    /// </summary>
    public static string? TooFewPointsNote(string law, int free, int points) =>
        points > free ? null
        : $"note: {law} has {free} free parameters and is fitted on {points} point(s): the runs do not determine its fit, which can pass through every point (an in-sample error of 0 says nothing); fit more points (longer or more runs)";

    /// <summary>The run's file (or name), and where it diverged when the reader recorded it.</summary>
    public static string Describe(TrainingRun run) =>
        (run.Metadata.Source ?? run.Name) + (run.Metadata.Tags.TryGetValue("divergedAt", out var at) ? $" (diverged at step {at})" : "");

    /// <summary>
    /// How a file that a command writes (LAW.json) records the run: its file as an absolute path, so that it still
    /// resolves from another working folder or beside a moved LAW.json; the source or name as is when it is no file.
    /// </summary>
    public static string RecordedPath(TrainingRun run) =>
        run.Metadata.Source is { } source && File.Exists(source) ? Path.GetFullPath(source) : run.Metadata.Source ?? run.Name;

    /// <summary>
    /// The run's losses of one split as a fit target. Points at or after <paramref name="dropFrom"/> are
    /// left out (the MPL protocol drops the final point of 24000-step runs).
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="split">The losses fitted.</param>
    /// <param name="dropFrom">The first step left out.</param>
    public static FitTarget Target(TrainingRun run, LossSplit split = LossSplit.Train, int dropFrom = int.MaxValue)
    {
        var points = run.Split(split).Where(o => o.Step < dropFrom).ToArray();
        if (points.Length == 0)
        {
            // Say what the run has instead (a speedrun log of 2026 logs validation losses only; fit takes them with --validation).
            var other = split == LossSplit.Train ? LossSplit.Validation : LossSplit.Train;
            int n = run.Split(other).Count();
            string hint = n == 0 ? "" : split == LossSplit.Train ? $" (it has {n} validation losses: fit them with --validation)" : $" (it has {n} training losses: fit them without --validation)";
            throw new UserInputException($"{run.Metadata.Source ?? run.Name}: no {split.ToString().ToLowerInvariant()} losses to use{hint}.");
        }
        // Every law reads the loss through the LRs' sum (intrinsic time): with no step at a positive LR there is nothing to fit
        // (the fits ran to non-finite predictions, exit 0, "in-sample PredE Infinity%").
        if (!run.LearningRates.Any(lr => lr > 0))
            throw new UserInputException($"{run.Metadata.Source ?? run.Name}: every learning rate of the run is 0, so no law can be fitted to it (the laws predict the loss from the sum of the LRs): is the LR column the right one?");
        return FitTarget.Of(run, points);
    }

    /// <summary>
    /// Fits, reporting progress on stderr unless quiet: <see cref="IdentifiedFitter.Fit"/> (a decay term the runs cannot identify is
    /// held at its prior, <see cref="DecayPrior"/>, and returned in the unidentified terms; <paramref name="priors"/> false leaves it free).
    /// </summary>
    public static IdentifiedFit Fit(CliIo io, IFittableLaw law, IReadOnlyList<FitTarget> targets, bool quiet, bool priors = true, FitOptions? options = null)
    {
        if (!quiet) io.Err.WriteLine($"fitting {law.Name} on {targets.Count} curve(s), {targets.Sum(t => t.Steps.Length)} points ...");
        if (!quiet && options is { MaxPointsPerCurve: var budget } && targets.Any(t => t.Steps.Length > budget))
            io.Err.WriteLine($"note: runs of more than {budget} points are fitted on {budget} bin means each (--max-points)");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var identified = UserInputException.Guard(() => IdentifiedFitter.Fit(law, targets, options, priors: priors));
        var fit = identified.Fit;
        if (!quiet) io.Err.WriteLine($"fitting {law.Name}: done in {started.Elapsed.TotalSeconds:F1} s ({fit.StopReason})");
        if (!fit.HasFiniteParameters)
            throw new UserInputException($"--runs: {law.Name}'s fit did not converge to finite parameters ({fit.NonFiniteSummary()}); these runs do not pin the law down: give more or longer runs, or use another law.");
        return identified;
    }

    public static IReadOnlyList<string> ParseLaws(string? list)
    {
        var names = (list ?? string.Join(',', LawCatalog.Names)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new UserInputException("--laws: the list is empty (known laws: " + string.Join(", ", LawCatalog.Names) + ").");
        foreach (string n in names)
            if (!LawCatalog.All.Contains(n.ToLowerInvariant())) throw new UserInputException($"--laws: unknown law '{n}' (known: {string.Join(", ", LawCatalog.All)}).");
        return names.Select(n => n.ToLowerInvariant()).Distinct().ToArray();
    }

    /// <summary>
    /// A comma list of law names (--laws), parsed once at parse time by <see cref="ParseLaws"/>: an empty list or an
    /// unknown name is a parse error naming the option.
    /// </summary>
    public static System.CommandLine.Option<IReadOnlyList<string>> LawsOption(string description, string? defaultList = null)
    {
        var option = new System.CommandLine.Option<IReadOnlyList<string>>("--laws")
        {
            Description = description,
            HelpName = "LIST",
            CustomParser = result =>
            {
                try
                {
                    return ParseLaws(result.Tokens.Count > 0 ? result.Tokens[0].Value : "");
                }
                catch (UserInputException e)
                {
                    result.AddError(e.Message.StartsWith("--laws", StringComparison.Ordinal) ? e.Message : "--laws: " + e.Message);
                    return [];
                }
            },
        };
        option.DefaultValueFactory = _ => ParseLaws(defaultList);
        return CliOptions.Completes(option, LawCatalog.All, list: true);
    }

    /// <summary>A fitted law file (LAW.json); any read or format problem is one line naming the file.</summary>
    public static FittedLawDocument LoadLaw(string path)
    {
        try
        {
            return FittedLawDocument.Parse(DocumentFile.ReadAllText(path));
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: {e.Message}");
        }
    }

    /// <summary>The --steps of a schedule to build: a whole number from 2 to the longest schedule allowed.</summary>
    public static int Steps(string text)
    {
        if (!Quantity.TryParse(text, out double v) || v != Math.Floor(v) || v < 2 || v > Schedules.LrSchedule.MaxSteps)
            throw new UserInputException($"--steps: '{text}' is not a whole number of steps >= 2.");
        try
        {
            Schedules.ScheduleMemory.Check((long)v);
        }
        catch (Schedules.ScheduleSpecException e)
        {
            throw new UserInputException($"--steps: {e.Message}");
        }
        return (int)v;
    }
}
