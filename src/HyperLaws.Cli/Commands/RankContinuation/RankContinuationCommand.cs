using System.CommandLine;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Runs;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.RankContinuation;

/// <summary>
/// <c>hyperlaws rank-continuation</c>: continual training / fine-tuning. Ranks continuations of an existing run
/// (re-warm length x new peak x decay, <see cref="ContinuationGrid"/>) by the final loss a fitted law predicts with the
/// whole history in view (<see cref="SchedulePreselection"/>). A loss the law's runs do not support is withheld, as rank withholds
/// it (<see cref="HyperLaws.Planning.PredictionSupport"/>; the order stays the law's). A law fitted on one run that had stopped
/// improving has each continuation's forecast held as predict holds it (<see cref="StallHoldOptions"/>: the run continued).
/// </summary>
internal sealed class RankContinuationCommand : CliCommand<RankContinuationSettings>
{
    private readonly Option<string> _lawFile = CliOptions.LawFile();
    private readonly Option<string> _history = new("--history") { Description = "The run so far: a run file (its logged LRs) or a schedule spec (e.g. 'cosine(peak=3e-4,steps=24000,warmup=2160)'). "
        + "A run file whose LRs come from a '# schedule:' comment and whose log ends more than one logging interval short of that schedule is taken as it stands: the history ends at its last logged loss (a warning says so).", Required = true, HelpName = "RUN_OR_SPEC" };
    private readonly Option<int?> _steps = CliOptions.ParsedValue("--steps", "Steps of the continuation (e.g. 10000 or 10k).", "S", LawRuns.Steps);
    private readonly Option<List<double>?> _rewarm = CliOptions.NumberList("--rewarm", "Re-warm lengths in steps, comma list (default 0, 1% and 5% of S).", "LIST", v => v == Math.Floor(v) && v >= 0 && v <= LrSchedule.MaxSteps, "a whole number of steps >= 0");
    private readonly Option<List<double>?> _peaks = CliOptions.NumberList("--peaks", "New peak LRs, comma list (default 0.25, 0.5 and 1 x the history's peak).", "LIST", v => v > 0 && v <= CliOptions.MaxLearningRate, "a positive learning rate of at most 1e6");
    private readonly Option<List<string>?> _decay = CliOptions.Parsed("--decay", "Decays after the re-warm, comma list of constant, cosine, linear, wsd (default: all four).", "LIST", Decays);
    private readonly Option<string> _from = CliOptions.Choice("--rewarm-from", "Re-warm from zero (default) or from the run's current LR.", ["zero", "current"]);
    private readonly Option<int?> _top = CliOptions.Count("--top", "How many candidates to report (default 10).", "K", 1, 1_000_000);
    private readonly Option<double?> _size = CliOptions.ModelSize();
    private readonly StallHoldOptions _stall = new();
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();

    public RankContinuationCommand()
    {
        _steps.Required = true;
    }

    public override string Name => "rank-continuation";

    public override string Description => "Rank continuations of an existing run (re-warm length, new peak, decay) by the final loss a fitted law predicts with the whole history.";

    protected override IEnumerable<Option> Options => [_lawFile, _history, _steps, _rewarm, _peaks, _decay, _from, _top, _size, .. _stall.All, _json, _quiet];

    public override RankContinuationSettings Bind(ParseResult parse)
    {
        string path = parse.Required(_lawFile);
        var doc = LawRuns.LoadLaw(path);
        var (law, _) = doc.Instantiate();
        double modelSize = Predict.PredictCommand.ModelSize(parse.GetValue(_size), law is SizedLaw, path);
        int steps = parse.Required(_steps);
        var previous = History(parse.Required(_history), out var historyRun, out string? historyCut);
        double lastPeak = previous.Evaluate().Max();
        if (!(lastPeak > 0)) throw new UserInputException("--history: its learning rates are all zero.");
        var rewarmFrom = parse.GetValue(_from) == "current" ? RewarmFrom.Current : RewarmFrom.Zero;
        var rewarms = parse.Given(_rewarm);
        if (rewarms?.Exists(v => v >= steps) == true)
            throw new UserInputException($"--rewarm: '{rewarms.First(v => v >= steps)}' is not a whole number of steps in [0, {steps}).");
        var grid = new ContinuationGrid(
            rewarms is { } w ? [.. w.Select(x => (int)x)] : [.. new[] { 0, 0.01, 0.05 }.Select(x => (int)Math.Round(x * steps)).Distinct()],
            parse.Given(_peaks) ?? [.. new[] { 0.25, 0.5, 1 }.Select(f => f * lastPeak)],
            parse.Given(_decay) ?? ContinuationGrid.KnownDecays,
            rewarmFrom);
        var (stallCheck, stallHold) = _stall.Read(parse);
        return new RankContinuationSettings(doc, path, previous, steps, grid, parse.GetValue(_top) ?? 10, modelSize, parse.GetValue(_json), parse.GetValue(_quiet))
        {
            StallCheck = stallCheck, StallHold = stallHold, HistoryRun = historyRun, HistoryCut = historyCut,
        };
    }

    public override int Execute(CliIo io, RankContinuationSettings settings)
    {
        var result = RankContinuationHandler.Run(settings);
        // The law's runs and a --history run file (once when it is one of them).
        if (!settings.Quiet && !settings.Json)
            LawRuns.WriteNotes(io.Err, result.TornTails.Concat(LawRuns.TornTails(settings.HistoryRun is { } h ? [h] : [])).Distinct(StringComparer.Ordinal));
        RankContinuationRenderer.Write(io, settings, result);
        return 0;
    }

    /// <summary>
    /// A run file (its LRs as a table, up to <see cref="TrainedSteps"/>; <paramref name="run"/> the run) or a schedule spec (<paramref name="run"/>
    /// null). <paramref name="cut"/>: why a run's history is shorter than its schedule (its log ends before it), else null.
    /// </summary>
    internal static LrSchedule History(string text, out TrainingRun? run, out string? cut)
    {
        run = null;
        cut = null;
        if (File.Exists(text))
        {
            var loaded = LawRuns.Load([text])[0];
            if (loaded.Steps == 0) throw new UserInputException($"--history: {text} has no learning rates.");
            run = loaded;
            int trained = TrainedSteps(loaded, out int last, out int every, out int logged);
            string spacing = logged == 1 ? "its only logged loss" : FormattableString.Invariant($"a loss every {every} steps");
            if (trained < loaded.Steps)
                cut = FormattableString.Invariant($"--history {text}: its schedule has {loaded.Steps} steps but its log ends at step {last} ({spacing}), so the run is taken as it stands there: the history is its first {trained} steps and each continuation starts after them (if the run did train all {loaded.Steps} steps, give its schedule spec as --history)");
            return UserInputException.Guard(() => new TableSchedule(trained < loaded.Steps ? loaded.LearningRates[..trained] : loaded.LearningRates));
        }
        try
        {
            var s = LrSchedule.Parse(text);
            ScheduleMemory.Check(s.Steps);
            return s;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException)
        {
            throw new UserInputException($"--history: '{ErrorText.Echo(text)}' is neither a run file nor a schedule spec ({e.Message})");
        }
    }

    /// <summary>
    /// The steps <paramref name="run"/> has trained, as its log shows them. A run whose LRs come from a stated schedule
    /// (<see cref="RunMetadata.Schedule"/>: a <c># schedule:</c> comment, which sets the run's length S to the schedule's, whatever was logged):
    /// S when its last logged loss, at step <paramref name="last"/>, is within one logging interval <paramref name="every"/> (the gap
    /// between its last two logged steps, or the last step itself when only one is logged) of S (a finished run whose last steps fell
    /// between two logs); else <paramref name="last"/>: a log that ends more than an interval short of its schedule is a run in progress
    /// or stopped there, and a continuation of it starts there, not after the schedule's planned end. A run whose LRs were logged, whose
    /// reader knows its length (<see cref="RunMetadata.LengthKnown"/>: MPL's <c>wsdcon_X</c> files, 16,000 steps logged to 14,144 or 15,936),
    /// or with no loss logged: S. <paramref name="logged"/>: how many losses are logged within the run.
    /// </summary>
    internal static int TrainedSteps(TrainingRun run, out int last, out int every, out int logged)
    {
        ArgumentNullException.ThrowIfNull(run);
        var steps = run.Observations.Select(o => o.Step).Where(t => t >= 1 && t <= run.Steps).Distinct().Order().ToArray();
        logged = steps.Length;
        last = steps.Length == 0 ? 0 : steps[^1];
        every = steps.Length == 0 ? 0 : steps.Length == 1 ? steps[0] : steps[^1] - steps[^2];
        return run.Metadata.Schedule is null || run.Metadata.LengthKnown || last == 0 || last + every >= run.Steps ? run.Steps : last;
    }

    private static List<string> Decays(string text)
    {
        var words = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => x.ToLowerInvariant()).ToList();
        if (words.Count == 0) throw new UserInputException("--decay: no values given.");
        foreach (var w in words)
            if (!ContinuationGrid.KnownDecays.Contains(w))
                throw new UserInputException($"--decay: '{w}' is not one of {string.Join(", ", ContinuationGrid.KnownDecays)}.");
        return words;
    }
}
