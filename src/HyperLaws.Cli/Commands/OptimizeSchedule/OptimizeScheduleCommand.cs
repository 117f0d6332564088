using System.CommandLine;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using HyperLaws.ScheduleOptimization;

namespace HyperLaws.Cli.Commands.OptimizeSchedule;

/// <summary>
/// <c>hyperlaws optimize-schedule</c>: a free-form schedule (monotone after the warmup unless --allow-increase) that
/// minimises a fitted law's predicted final loss (<see cref="ScheduleOptimizer"/>), compared with WSD and cosine
/// baselines of the same peak and warmup; written as a step,lr CSV that <c>table(file=OUT.csv, column=lr)</c> reads back.
/// A predicted loss the law's runs do not support is withheld (<see cref="HyperLaws.Planning.PredictionSupport"/>): when the optimised
/// schedule's is, the schedule is still written (the law's optimum) with exit 0, but no loss or gain is given and a warning says the
/// schedule rests on losses the runs do not support (as rank keeps its order and plan its schedule when they withhold a loss).
/// </summary>
internal sealed class OptimizeScheduleCommand : CliCommand<OptimizeScheduleSettings>
{
    private readonly Option<string> _lawFile = new("--law") { Description = "A fitted law (LAW.json from 'hyperlaws fit'); required unless --compare-mpl.", HelpName = "LAW.json" };
    private readonly Option<int?> _steps = CliOptions.ParsedValue("--steps", "The length of the schedule (e.g. 24000 or 24k); required unless --compare-mpl.", "S", LawRuns.Steps);
    private readonly Option<double?> _peak = CliOptions.Checked("--peak", "Peak LR (default: the largest peak of the law's training runs).", "LR", v => v > 0 && v <= CliOptions.MaxLearningRate, "a positive learning rate of at most 1e6");
    private readonly Option<int?> _warmup = CliOptions.Count("--warmup", "Linear warmup steps, kept as given (default 9% of S, as in the MPL runs: 2160 of 24000).", "W", 0, LrSchedule.MaxSteps);
    private readonly Option<int?> _knots = CliOptions.Count("--knots", "Knots of the piecewise-linear curve after the warmup (default 24).", "K", 1, 10_000);
    private readonly Option<int?> _evaluations = CliOptions.Count("--evaluations", "Budget of law predictions (default 4000).", "N", 1, 10_000_000);
    private readonly Option<bool> _increase = new("--allow-increase") { Description = "Let the LR rise after the warmup (each knot in [0, 2 peak]); default: non-increasing." };
    private readonly Option<string[]> _runs = CliOptions.InputPaths("--runs", "The law's training runs, for the default peak and to withhold a predicted loss they do not support (default: the files LAW.json names).");
    private readonly Option<double?> _size = CliOptions.ModelSize();
    private readonly Option<string> _out = new("--out") { Description = "Write the schedule as CSV (step,lr); read it back with --schedule 'table(file=OUT.csv, column=lr)'.", HelpName = "OUT.csv" };
    private readonly Option<string> _plot = new("--plot") { Description = "Draw the LR curves (OUT.png) and the predicted loss curves (OUT-loss.png), SVG and CSV beside them.", HelpName = "OUT.png" };
    private readonly Option<bool> _compare = new("--compare-mpl") { Description = "Instead: per size 25/100/400, fit MPL and OptLaw on protocol 1's training curves, optimise a 24,000-step schedule under each and compare with the MPL-optimised schedules and cosine/WSD under both laws (predicted loss)." };
    private readonly Option<string> _data = CliOptions.InputFolder("--data", "With --compare-mpl: folder laid out like shared/data (needs MultiPowerLaw/loss_curve_repo and MultiPowerLaw/optimized_schedules); default: the repository's data/.", ShippedData.Folder);
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();

    public override string Name => "optimize-schedule";

    public override string Description => "Optimise a free-form LR schedule (monotone after the warmup) to minimise a fitted law's predicted final loss, against WSD and cosine baselines.";

    protected override IEnumerable<Option> Options => [_lawFile, _steps, _peak, _warmup, _knots, _evaluations, _increase, _runs, _size, _out, _plot, _compare, _data, _json, _quiet];

    public override OptimizeScheduleSettings Bind(ParseResult parse)
    {
        bool json = parse.GetValue(_json), quiet = parse.GetValue(_quiet);
        if (parse.GetValue(_compare))
        {
            // The comparison optimises its own 24,000-step schedules per size and writes nothing: the single-law options are refused, not ignored.
            Option[] single = [_lawFile, _steps, _peak, _warmup, _knots, _evaluations, _increase, _runs, _size, _out, _plot];
            if (single.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
                throw new UserInputException($"{given.Name} does not apply with --compare-mpl (it fits and optimises its own schedules per size on --data).");
            return new OptimizeScheduleSettings(true, ShippedData.DataOption(parse.GetValue(_data)!), null, null, double.NaN, null, null, null, json, quiet);
        }
        if (parse.GetResult(_data) is { Implicit: false })
            throw new UserInputException("--data applies with --compare-mpl only (a single law's schedule reads --law and --runs).");
        string path = parse.GetValue(_lawFile) ?? throw new UserInputException("--law: required (a LAW.json from 'hyperlaws fit'), unless --compare-mpl.");
        var doc = LawRuns.LoadLaw(path);
        var (law, p) = doc.Instantiate();
        double modelSize = Predict.PredictCommand.ModelSize(parse.GetValue(_size), law is SizedLaw, path);
        int steps = parse.GetValue(_steps) ?? throw new UserInputException("--steps: required (the length of the schedule), unless --compare-mpl.");
        // The runs give the default peak and what they support of the law's losses (a loss they do not support is withheld).
        string[]? runs = parse.GetValue(_runs);
        bool runsGiven = runs is { Length: > 0 };
        var training = Rank.RankCommand.TrainingRange(runs, doc, path, out _, out var tornTails, out var support, modelSize);
        double peak = parse.GetValue(_peak) ?? training?.MaxPeak
            ?? throw new UserInputException(runsGiven ? "--peak: the given runs (--runs) have no LR (no step with a positive learning rate), so give the peak LR (e.g. --peak 3e-4)."
                : $"--peak: the training runs of {path} were not found, so give the peak LR (e.g. --peak 3e-4) or the runs (--runs).");
        int warmup = (int)Math.Round(0.09 * steps);
        if (parse.GetValue(_warmup) is { } w)
        {
            if (w >= steps) throw new UserInputException($"--warmup: '{w}' is not a whole number of steps in [0, {steps}).");
            warmup = w;
        }
        string? outPath = parse.GetValue(_out);
        if (outPath is not null && !outPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            throw new UserInputException($"--out: '{outPath}' must end in .csv (the schedule is written as step,lr CSV).");
        string? plotPath = parse.GetValue(_plot);
        // As predict's: the figures are PNGs with SVG and CSV beside them; 'banana' or '-1' wrote banana.png, banana-loss.png, ... (hostile audit).
        if (plotPath is not null && !plotPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new UserInputException($"--plot: '{ErrorText.Echo(plotPath)}' must end in .png (OUT-loss.png, the SVGs and CSVs are written beside it).");
        if (outPath is not null && plotPath is not null && Path.ChangeExtension(Path.GetFullPath(plotPath), ".csv") == Path.GetFullPath(outPath))
            throw new UserInputException($"--plot: {plotPath} writes its data to {outPath} beside it, the same file as --out; choose another name.");
        var options = new ScheduleOptimizationOptions(steps, peak, warmup, parse.GetValue(_knots) ?? 24, parse.GetValue(_increase), parse.GetValue(_evaluations) ?? 4000);
        try
        {
            options.Check();
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"--{e.Message}");
        }
        return new OptimizeScheduleSettings(false, "", law, p, modelSize, options, outPath, plotPath, json, quiet) { LawPath = path, Support = support, RunsGiven = runsGiven, TornTails = tornTails, StallNotHeld = Predict.PredictRenderer.StallNotHeld(doc, "optimize-schedule") };
    }

    public override int Execute(CliIo io, OptimizeScheduleSettings settings)
    {
        if (settings.CompareMpl)
        {
            Action<string>? progress = settings.Json || settings.Quiet ? null : m => { lock (io) io.Err.WriteLine(m); };
            OptimizeScheduleRenderer.WriteComparison(io, settings, OptimizeScheduleHandler.CompareMpl(settings, progress));
            return 0;
        }
        Action<string>? chatty = settings.Json || settings.Quiet ? null : io.Err.WriteLine;
        if (chatty is not null) LawRuns.WriteNotes(io.Err, settings.TornTails);
        var result = OptimizeScheduleHandler.Optimize(settings, chatty);
        var written = OptimizeScheduleRenderer.WriteFiles(settings, result);
        OptimizeScheduleRenderer.Write(io, settings, result, written);
        return 0;
    }
}
