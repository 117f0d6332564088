using System.CommandLine;
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

/// <summary>
/// <c>hyperlaws rank</c>: schedule pre-selection. Builds a grid of candidate schedules for a step budget and ranks them by one of two
/// rankers (<c>--ranker</c>): <c>law</c>, the final loss one fitted LAW.json predicts (intervals when it was bootstrapped, the winner
/// explained term by term against the runner-up and the best constant schedule); or <c>ensemble-lr</c> (<see cref="LrEnsemble"/>),
/// the ensemble fitted on <c>--runs</c>: the LR axis from the pooled joint law, the schedule within an LR from the per-LR members and
/// the joint law anchored (<see cref="RankEnsembleHandler"/>). Default: <c>law</c> when <c>--law</c> is given, else <c>ensemble-lr</c>
/// when <c>--runs</c> is.
/// </summary>
internal sealed class RankCommand : CliCommand<RankSettings>
{
    private readonly Option<string?> _lawFile = new("--law") { Description = "A fitted law (LAW.json from 'hyperlaws fit'): rank by that one law (--ranker law, the default when --law is given).", HelpName = "LAW.json" };
    private readonly Option<string?> _ranker = new("--ranker") { Description = "law: rank by the one law of --law; ensemble-lr: fit the declared ensemble on --runs (optlaw, mpl-g1, tissue per peak LR; the joint law pooled) and rank by it (docs/VALIDATION.md; the default when --runs is given without --law).", HelpName = "NAME" };
    private readonly Option<int?> _steps = CliOptions.ParsedValue("--steps", "The step budget of every candidate (e.g. 24000 or 24k).", "S", LawRuns.Steps);
    private readonly Option<string[]> _runs = CliOptions.InputPaths("--runs", "With --law: the law's training runs (default: the files LAW.json names, when they exist): the default peak grid and the extrapolation warnings come from them. With ensemble-lr: the runs its members are fitted on.");
    private readonly Option<List<string>?> _families = CliOptions.Parsed("--families", "Schedule families, comma list of constant, cosine, linear, wsd (default: all four).", "LIST", text => Words("--families", text));
    private readonly Option<List<double>?> _peaks = CliOptions.Parsed("--peaks", "Peak LRs: a comma list (1e-4,3e-4) or LO:HI:N, N log-spaced values (default: with --law, 7 across the training runs' peaks; with ensemble-lr, the runs' own peak LRs).", "LIST", Peaks);
    private readonly Option<List<double>?> _warmups = CliOptions.NumberList("--warmups", "Warmup lengths in steps, comma list (default 1%, 5% and 10% of S; with ensemble-lr, the runs' own warmups where they have them).", "LIST", v => v == Math.Floor(v) && v >= 0 && v < int.MaxValue, "a whole number of steps >= 0");
    private readonly Option<List<double>?> _cooldowns = CliOptions.NumberList("--cooldowns", "wsd cooldown lengths as fractions of the run, comma list (default 0.1,0.2,0.4).", "LIST", v => v > 0 && v <= 1, "a fraction of the run in (0, 1]");
    private readonly Option<List<double>?> _floors = CliOptions.NumberList("--floors", "Final LR as a fraction of the peak for cosine, linear and wsd, comma list (default 0,0.1).", "LIST", v => v >= 0 && v < 1, "a fraction of the peak in [0, 1)");
    private readonly Option<int?> _top = CliOptions.Count("--top", "How many candidates to report (default 10).", "K", 1, 1_000_000);
    private readonly Option<double?> _size = CliOptions.ModelSize("Model size in parameters (e.g. 400M): for a law fitted with 'fit --across-sizes', and for the divergence screen.");
    private readonly DivergenceScreenOptions _divergence = new("candidates it predicts to diverge are marked and ranked last");
    private readonly Option<double?> _level = BootstrapCli.Level("Level of the intervals (default: the level LAW.json was bootstrapped at); needs a LAW.json from 'fit --bootstrap'.");
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet("Print only the result: no warnings on stderr, nor ensemble-lr's progress (--json: they stay in its warnings[]).");

    public RankCommand()
    {
        _steps.Required = true;
    }

    /// <summary>The ranker <c>--ranker law</c>: one fitted LAW.json.</summary>
    internal const string LawRanker = "law";

    /// <summary>The ranker <c>--ranker ensemble-lr</c> (<see cref="LrEnsemble"/>).</summary>
    internal const string EnsembleRanker = "ensemble-lr";

    public override string Name => "rank";

    public override string Description => "Pre-select schedules: rank a grid of candidates (family x peak LR x warmup x cooldown x floor) by the final loss a fitted law predicts (--law), or by the ensemble-lr ranker fitted on --runs, and say why the winner wins.";

    protected override IEnumerable<Option> Options => [_lawFile, _ranker, _steps, _runs, _families, _peaks, _warmups, _cooldowns, _floors, _top, _size, _level, _json, _quiet, _divergence.Model, _divergence.Batch];

    public override RankSettings Bind(ParseResult parse)
    {
        string? given = parse.GetValue(_lawFile);
        var runs = parse.GetValue(_runs);
        bool hasRuns = runs is { Length: > 0 };
        string ranker = parse.GetValue(_ranker)?.Trim().ToLowerInvariant() switch
        {
            null => given is not null ? LawRanker : hasRuns ? EnsembleRanker
                : throw new UserInputException("rank needs --law LAW.json (rank by one fitted law) or --runs DIR ... (fit the ensemble-lr ranker on those runs)."),
            LawRanker => LawRanker,
            EnsembleRanker => EnsembleRanker,
            var other => throw new UserInputException($"--ranker: '{ErrorText.Echo(other)}' is not one of {LawRanker}, {EnsembleRanker}."),
        };
        if (ranker == EnsembleRanker)
        {
            if (given is not null)
                throw new UserInputException("--law: ensemble-lr fits its own members on --runs; drop --law, or rank by that law with --ranker law.");
            if (!hasRuns)
                throw new UserInputException("--ranker ensemble-lr needs --runs DIR ... (the runs its members are fitted on).");
            if (parse.GetValue(_level) is not null)
                throw new UserInputException("--level: ensemble-lr has no calibrated interval (rank reports its members' spread instead); drop --level.");
            if (parse.GetValue(_size) is not null || parse.GetValue(_divergence.Model) is not null || parse.GetValue(_divergence.Batch) is not null)
                throw new UserInputException("--params/--divergence/--batch: the size and the divergence screen are not wired to ensemble-lr; rank by one fitted law (--law) to use them.");
            return new RankSettings(
                null, null, parse.Required(_steps), runs, parse.Given(_families), parse.Given(_peaks), parse.Given(_warmups),
                parse.Given(_cooldowns), parse.Given(_floors), parse.GetValue(_top) ?? 10, double.NaN, null, null, parse.GetValue(_json), parse.GetValue(_quiet))
            {
                Ranker = EnsembleRanker,
            };
        }
        string path = given ?? throw new UserInputException("--ranker law needs --law LAW.json (a law fitted with 'hyperlaws fit').");
        var doc = LawRuns.LoadLaw(path);
        var (law, _) = doc.Instantiate();
        if (doc.Bootstrap is null && parse.GetValue(_level) is not null)
            throw new UserInputException($"--level: {path} has no bootstrap to draw an interval from (fit it with --bootstrap N).");
        var screen = _divergence.Create(parse, parse.GetValue(_size));
        double modelSize = Predict.PredictCommand.ModelSize(parse.GetValue(_size), law is SizedLaw, path, usedElsewhere: screen is not null);
        return new RankSettings(
            path, doc, parse.Required(_steps), parse.GetValue(_runs), parse.Given(_families), parse.Given(_peaks), parse.Given(_warmups),
            parse.Given(_cooldowns), parse.Given(_floors), parse.GetValue(_top) ?? 10, modelSize, screen, parse.GetValue(_level), parse.GetValue(_json), parse.GetValue(_quiet));
    }

    public override int Execute(CliIo io, RankSettings settings)
    {
        if (settings.Ranker == EnsembleRanker)
        {
            RankEnsembleRenderer.Write(io, settings, RankEnsembleHandler.Run(settings, settings.Quiet ? null : line => io.Err.WriteLine(line)));
            return 0;
        }
        RankRenderer.Write(io, settings, RankHandler.Run(settings));
        return 0;
    }

    /// <summary>
    /// The range of LAW.json's training runs (or of <paramref name="given"/>): their lowest and highest peak LR, their longest run in
    /// steps, how many, and the lowest and highest loss they logged (<see cref="HyperLaws.Planning.LossPlausibility.Observed"/>, the
    /// bounds of a physical prediction); null when the runs cannot be found or read. And what the same runs support of the law's losses
    /// (<see cref="HyperLaws.Planning.PredictionSupport"/>, with LAW.json's fitted L0, a law across sizes' at <paramref name="modelSize"/>;
    /// null when the runs cannot be found or read). The longest run (MaxSteps) is the longest schedule, for the range warnings; what
    /// is past the runs for the support is after their latest covered step (<see cref="HyperLaws.Planning.PredictionSupport.LongestSteps"/>).
    /// What the readers noticed about the runs read is <paramref name="runNotes"/> (<see cref="RunNote.Of(IEnumerable{TrainingRun})"/>; none
    /// when they cannot be read), their torn tails in words <paramref name="tornTails"/> (<see cref="LawRuns.TornTailTexts"/>): every command
    /// that reads runs here says the torn tails (on stderr by <see cref="LawRuns.WriteNotes"/>, or rank in its warnings), and rank and
    /// predict write all the notes in their JSON's runNotes.
    /// </summary>
    internal static (double MinPeak, double MaxPeak, int MaxSteps, int Runs, double LowestLoss, double HighestLoss)? TrainingRange(string[]? given, FittedLawDocument doc, string lawPath,
        out IReadOnlyList<RunNote> runNotes, out IReadOnlyList<string> tornTails, out HyperLaws.Planning.PredictionSupport? support, double modelSize = double.NaN)
    {
        support = null;
        var runs = LoadRuns(given, doc, lawPath);
        runNotes = runs is null ? [] : RunNote.Of(runs);
        tornTails = [.. LawRuns.TornTailTexts(runNotes)];
        if (runs is null || RangeOf(runs) is not { } range) return null;
        var (law, p) = doc.Instantiate();
        support = HyperLaws.Planning.PredictionSupport.Of(runs, PhysicalFloor.Of(law, p, modelSize));
        return range;
    }

    /// <summary>
    /// <paramref name="given"/> read, or else LAW.json's own runs, named by source path as given to 'fit' (relative to where it ran, or
    /// to LAW.json's folder) or absolute; null when one of LAW.json's runs cannot be found or read (given runs that cannot be read are a
    /// user error).
    /// </summary>
    private static IReadOnlyList<TrainingRun>? LoadRuns(string[]? given, FittedLawDocument doc, string lawPath)
    {
        if (given is { Length: > 0 }) return LawRuns.Load(given);
        string dir = Path.GetDirectoryName(Path.GetFullPath(lawPath))!;
        var found = doc.Runs.Select(x => File.Exists(x) ? x : File.Exists(Path.Combine(dir, x)) ? Path.Combine(dir, x) : null).ToList();
        if (found.Count == 0 || found.Any(x => x is null)) return null;
        try
        {
            // Each file once: LAW.json names a file once per run it holds (a W&B export of several runs).
            return LawRuns.Load(found!.Distinct(StringComparer.Ordinal)!);
        }
        catch (UserInputException)
        {
            return null;
        }
    }

    /// <summary>
    /// <paramref name="ranked"/> with the candidates predicted a non-physical loss last (rank, rank-continuation): a cross-entropy is
    /// positive (HyperLaws.Planning.LossPlausibility), so a loss at or below 0 is a term the fit left free (the decay's drop of a law
    /// fitted at one constant LR), not a better schedule. <paramref name="warning"/> says how many (null: none); the order is otherwise
    /// the law's.
    /// </summary>
    internal static IReadOnlyList<HyperLaws.Evaluation.RankedCandidate> PhysicalFirst(IReadOnlyList<HyperLaws.Evaluation.RankedCandidate> ranked, string what, out string? warning)
    {
        int nonPhysical = ranked.Count(x => !(x.PredictedLoss > 0));
        warning = nonPhysical == 0 ? null
            : $"{nonPhysical} of {ranked.Count} {what} are predicted a non-physical loss (<= 0; ranked last): the law's fit does not pin their decay down";
        return nonPhysical == 0 ? ranked : [.. ranked.Where(x => x.PredictedLoss > 0), .. ranked.Where(x => !(x.PredictedLoss > 0))];
    }

    /// <summary>
    /// True when <paramref name="peak"/> is outside the training runs' peak LRs [<paramref name="minPeak"/>, <paramref name="maxPeak"/>]
    /// (0.1% either side for the rounding of logged LRs): the law extrapolates to it. rank's candidates and predict's schedule.
    /// </summary>
    internal static bool PeakOutside(double peak, double minPeak, double maxPeak) => peak < minPeak * 0.999 || peak > maxPeak * 1.001;

    /// <summary>The range of <paramref name="runs"/> as <see cref="TrainingRange"/> gives it; null when no run has a positive LR.</summary>
    internal static (double MinPeak, double MaxPeak, int MaxSteps, int Runs, double LowestLoss, double HighestLoss)? RangeOf(IReadOnlyList<TrainingRun> runs)
    {
        var peaks = runs.Where(x => x.Steps > 0).Select(x => x.LearningRates.Max()).Where(x => x > 0).ToList();
        if (peaks.Count == 0) return null;
        var (lowest, highest) = HyperLaws.Planning.LossPlausibility.Observed(runs);
        return (peaks.Min(), peaks.Max(), runs.Max(x => x.Steps), runs.Count, lowest, highest);
    }

    /// <summary>7 log-spaced peaks across the training peaks (a factor 2 either side when they all share one peak).</summary>
    internal static List<double> DefaultPeaks((double MinPeak, double MaxPeak, int MaxSteps, int Runs, double LowestLoss, double HighestLoss)? training, string lawPath)
    {
        if (training is not { } t)
            throw new UserInputException($"--peaks: the training runs of {lawPath} were not found, so give the peak LRs (e.g. --peaks 1e-4:1e-3:5) or the runs (--runs).");
        double lo = t.MinPeak, hi = t.MaxPeak;
        if (hi / lo < 1.01) (lo, hi) = (lo / 2, hi * 2);
        return LogSpaced(lo, hi, 7);
    }

    /// <summary>n values lo (hi/lo)^(i/(n-1)), rounded to 3 significant digits so the specs stay readable.</summary>
    internal static List<double> LogSpaced(double lo, double hi, int n) =>
        n == 1 ? [lo] : [.. Enumerable.Range(0, n).Select(i => Significant.Round(Math.Exp(Math.Log(lo) + (Math.Log(hi) - Math.Log(lo)) * i / (n - 1)))).Distinct()];

    private static List<double> Peaks(string text)
    {
        var parts = text.Split(':');
        if (parts.Length == 1) return CliOptions.Numbers("--peaks", text, v => v > 0 && v <= CliOptions.MaxLearningRate, "a positive learning rate of at most 1e6");
        if (parts.Length != 3 || !Quantity.TryParse(parts[0], out double lo) || !Quantity.TryParse(parts[1], out double hi)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
            throw new UserInputException($"--peaks: '{text}' is neither a comma list nor LO:HI:N (e.g. 1e-4:1e-3:5).");
        if (!(lo > 0) || !(hi >= lo) || !(hi <= CliOptions.MaxLearningRate) || n < 1 || n > 1000)
            throw new UserInputException($"--peaks: '{ErrorText.Echo(text)}' needs 0 < LO <= HI <= 1e6 and 1 <= N <= 1000.");
        return LogSpaced(lo, hi, n);
    }

    private static List<string> Words(string option, string text)
    {
        var words = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => x.ToLowerInvariant()).ToList();
        if (words.Count == 0) throw new UserInputException($"{option}: no values given.");
        foreach (var w in words)
            if (!CandidateGrid.KnownFamilies.Contains(w))
                throw new UserInputException($"{option}: '{w}' is not one of {string.Join(", ", CandidateGrid.KnownFamilies)}.");
        return words;
    }
}
