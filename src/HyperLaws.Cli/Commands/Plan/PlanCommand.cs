using System.CommandLine;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Commands.LrPrior;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Divergence;
using HyperLaws.Laws.Joint;
using HyperLaws.Optimum;
using HyperLaws.Planning;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Plan;

/// <summary>
/// <c>hyperlaws plan</c>: from a budget (N parameters, T tokens, an optimizer) and the user's runs to a training plan:
/// batch, momentum, LR, schedule, warmup and cooldown, the predicted loss with an interval, runner-ups, the reasons and a report.
/// <see cref="Bind"/> reads and checks every option once (<see cref="PlanSettings"/>), <see cref="PlanHandler"/> makes the plan,
/// <see cref="PlanRenderer"/> writes its files and prints it.
/// </summary>
internal sealed class PlanCommand : CliCommand<PlanSettings>
{
    /// <summary>The runs a plan learns from when none are given: the Multi-Power-Law curves shipped in data/.</summary>
    public static readonly string DefaultRuns = Path.Combine("data", "MultiPowerLaw", "loss_curve_repo");

    /// <summary>The divergence model used when none is given (data/priors/README.md).</summary>
    public static readonly string DefaultDivergence = Path.Combine("data", "priors", "divergence-steplaw.json");

    // --params, --tokens and --batch-tokens are text parsed once in Bind by CliOptions.RequiredPositive (suffixes: 1.3B, 26B, 1M),
    // which keeps the plan's messages ("--params: 'x' is not a model size in parameters, e.g. 1.3B.") and its accepted inputs.
    private readonly Option<string> _parameters = new("--params") { Description = "Model size in parameters (e.g. 1.3B).", Required = true, HelpName = "N" };
    private readonly Option<string> _tokens = new("--tokens") { Description = "Training budget in tokens (e.g. 26B).", Required = true, HelpName = "T" };
    private readonly Option<string> _optimizer = CliOptions.Completes(new Option<string>("--optimizer") { Description = $"The optimizer: {string.Join(", ", TrainingOptimizers.Names)}.", DefaultValueFactory = _ => "adamw", HelpName = "NAME" }, TrainingOptimizers.Names);
    private readonly Option<string[]> _runs = new("--runs") { Description = $"Your runs (files or folders, searched with their subfolders, in any format 'hyperlaws fit' reads; default: the shipped Multi-Power-Law curves, {DefaultRuns}).", AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
    private readonly Option<int?> _seqLen = new("--seq-len") { Description = $"Tokens per sequence (default: the one every run states when they all state the same, else {PlanRequest.DefaultSequenceLength}).", HelpName = "L" };
    private readonly Option<int> _multiple = new("--batch-multiple") { Description = "Round the batch in sequences to a multiple of this (ranks x micro-batch).", DefaultValueFactory = _ => 1, HelpName = "M" };
    private readonly Option<string> _batchTokens = new("--batch-tokens") { Description = "Fix the batch (tokens per step) instead of taking the rule's; the LR follows it as sqrt(batch) (LMO Theorem 1).", HelpName = "B" };
    private readonly Option<double?> _runsBatch = CliOptions.TokensPerStep("--runs-batch-tokens", "Tokens per step of your runs when their files do not say (default: what the anchor calls optimal for their budget, with a warning).");
    private readonly Option<string> _laws = CliOptions.Completes(new Option<string>("--laws") { Description = $"Schedule-to-loss laws to try, comma list (known: {string.Join(", ", HyperLaws.Laws.LawCatalog.All)}); the one with the smallest held-out final-loss error plans.", DefaultValueFactory = _ => "optlaw,mpl,tissue", HelpName = "LIST" }, HyperLaws.Laws.LawCatalog.All, list: true);
    private readonly Option<string> _anchor = CliOptions.Completes(new Option<string>("--anchor") { Description = "Published LR/batch rule used when your runs cannot calibrate one: steplaw or deepseek.", DefaultValueFactory = _ => "steplaw", HelpName = "RULE" }, ["steplaw", "deepseek"]);
    private readonly Option<string> _divergence = new("--divergence") { Description = $"Divergence model (DIV.json from 'hyperlaws diverge --fit'; default {DefaultDivergence}, fitted on the Step Law runs).", HelpName = "DIV.json" };
    private readonly Option<bool> _noDivergence = CliOptions.Flag("--no-divergence", "Do not screen for divergence.");
    private readonly Option<double?> _divergenceRisk = CliOptions.ParsedValue("--divergence-risk", $"The divergence guard's risk level: the plan's peak is held where the divergence model's P(diverge) stays under Q, in (0, 0.5] (default {PlanOptions.StatedDivergenceRisk}, one run in four, by docs/VALIDATION.md \"The plan's peak at the divergence boundary\"; 0.5 is the boundary eta_crit itself); the plan warns when its peak is at or above Q. Not with --no-divergence, nor where the guard is the runs' evidence (another optimizer than the shipped prior's).", "Q", Risk);
    private readonly Option<string> _jointNoisePower = CliOptions.Completes(new Option<string>(JointNoisePowerOption.Name) { Description = JointNoisePowerOption.Description, DefaultValueFactory = _ => JointNoisePowerOption.Default, HelpName = "default|1" }, ["default", "1"]);
    private readonly Option<string> _lrPrior = new("--lr-prior") { Description = $"LR-axis prior, used when your runs share one peak LR (from 'hyperlaws lr-prior'; default {LrPriorCommand.DefaultPrior}, fitted on the Step Law runs).", HelpName = "FILE" };
    private readonly Option<bool> _noLrPrior = CliOptions.Flag("--no-lr-prior", "Do not use the LR-axis prior: with runs of one peak LR the peak is then held to the runs' LR.");
    private readonly Option<bool> _noRunsPeak = CliOptions.Flag("--no-runs-peak", "Do not let the runs' own final losses at two or more peaks (runs of the plan's schedule shape at the reference's horizon and batch) overrule a law's peak optimum they contradict.");
    private readonly Option<string> _fitOn = CliOptions.Completes(new Option<string>("--fit-on") { Description = "The loss curve the law is fitted on: train or val (a run without that curve gives the other).", DefaultValueFactory = _ => "train", HelpName = "SPLIT" }, ["train", "val"]);
    private readonly Option<int?> _warmup = CliOptions.Count("--warmup", "Fix the warmup (steps, e.g. 700 or 2k) instead of taking the law's optimum held by the warmup guard (the shortest warmup among your runs at a comparable peak).", "STEPS", 0, Schedules.LrSchedule.MaxSteps);
    private readonly Option<int> _runnerUps = new("--runner-ups") { Description = "How many runner-up plans to show.", DefaultValueFactory = _ => 4, HelpName = "K" };
    private readonly Option<string> _outDir = new("--out") { Description = "Folder for plan.json, report.html and the figures.", DefaultValueFactory = _ => Path.Combine("hyperlaws-out", "plan"), HelpName = "DIR" };
    private readonly Option<string> _export = new("--export") { Description = "Also write the plan for a trainer into DIR: the LR of every step (lr_schedule.csv), a Python LambdaLR that reads it (lr_schedule.py), config fragments for Hugging Face, torchtitan, LitGPT and nanoGPT, and the optimizer's other settings as stated priors.", HelpName = "DIR" };
    private readonly Option<bool> _lawSchedule = CliOptions.Flag("--law-schedule", "Plan the law's best schedule shape even where the runs show another one best and the law's predicted gain over it is within its schedule-comparison error measured on the runs (the default keeps the runs' best; docs/VALIDATION.md \"Protocol 6: the schedule-regret rule\"). The rule's decision is reported either way.");
    private readonly Option<bool> _noAnchor = CliOptions.Flag("--no-anchor", "Print the law's own predicted loss and its usual interval even where your runs hold a run of the plan's schedule shape (the default anchors the loss on that run: its observed loss x the law's ratio of the target to it, with an interval from the same predictor's residuals; docs/VALIDATION.md \"Protocol 6: the plan's loss anchored on a run of its shape\"). The anchor is reported either way; --anchor is the LR/batch rule, not this.");
    private readonly Option<string> _anchorTail = CliOptions.Completes(new Option<string>("--anchor-tail") { Description = "Which plans take an anchor run's loss from its last 10% of steps (by the law's shape) when it has no final evaluation: train (default: train-fitted plans), all (validation-fitted too; failed its rule on the 124M grid), off (its last logged loss); docs/VALIDATION.md \"The plan's anchor without a final evaluation\".", DefaultValueFactory = _ => "train", HelpName = "SPLITS" }, ["train", "all", "off"]);
    private readonly Option<string> _batchSteps = CliOptions.Completes(new Option<string>("--batch-steps") { Description = "How the schedule laws, fitted in your runs' steps, count a plan step at another batch: steps (one step is one step of the runs) or critical-batch (w = (1 + B_noise/B_runs)/(1 + B_noise/B) steps of the runs, B_noise from protocol 5's critical-batch fit at the plan's tokens, the default by docs/VALIDATION.md \"Protocol 17c with steps counted by the critical batch\").", DefaultValueFactory = _ => "critical-batch", HelpName = "COUNT" }, ["steps", "critical-batch"]);
    private readonly Option<bool> _sizeIntervals = CliOptions.Flag("--size-intervals", "Where the plan's model size lies outside your runs' sizes, widen its conformal interval by the size distance ln S with its own growth g_N, calibrated on the runs' own size extrapolations (fit two or more smaller sizes, predict the next; the prior g_N = 1 where the runs have none): variant N, an option, off (docs/VALIDATION.md \"Intervals widened by the size-extrapolation distance\"). Inside the runs' sizes the interval is unchanged.");
    private readonly Option<bool> _noFitCache = CliOptions.Flag("--no-fit-cache", FitCacheFolder.HelpText);
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();

    public override string Name => "plan";

    public override string Description => "Turn a budget (N parameters, T tokens, an optimizer) and your runs into a training plan: batch, momentum, LR, schedule, warmup and cooldown, the predicted loss, runner-ups, reasons and a report.";

    protected override IEnumerable<Option> Options =>
    [
        _parameters, _tokens, _optimizer, _runs, _seqLen, _multiple, _batchTokens, _runsBatch, _laws, _anchor, _divergence, _noDivergence, _divergenceRisk,
        _jointNoisePower, _lrPrior, _noLrPrior, _noRunsPeak, _fitOn, _lawSchedule, _noAnchor, _anchorTail, _batchSteps, _warmup, _runnerUps, _outDir, _export, _sizeIntervals, _noFitCache, _json, _quiet,
    ];

    public override PlanSettings Bind(ParseResult parse)
    {
        var r = parse;
        bool asJson = r.GetValue(_json), chatty = !asJson && !r.GetValue(_quiet);
        var request = UserInputException.Guard(() => new PlanRequest(
            CliOptions.RequiredPositive(r.GetValue(_parameters), "--params", "a model size in parameters, e.g. 1.3B", "plan"),
            CliOptions.RequiredPositive(r.GetValue(_tokens), "--tokens", "a token budget, e.g. 26B", "plan"),
            Named("--optimizer", () => TrainingOptimizers.Parse(r.GetValue(_optimizer)!)))
        {
            SequenceLength = r.GetValue(_seqLen) ?? PlanRequest.DefaultSequenceLength,
            SequenceLengthFromRuns = r.GetValue(_seqLen) is null,
            BatchMultiple = r.GetValue(_multiple),
            BatchTokens = r.GetValue(_batchTokens) is { } fixedBatch ? CliOptions.RequiredPositive(fixedBatch, "--batch-tokens", "tokens per step, e.g. 1M", "plan") : null,
            RunnerUps = r.GetValue(_runnerUps),
            WarmupSteps = r.GetValue(_warmup),
        });
        // Each value checked alone, so that the error names its option.
        var valid = new PlanRequest(1e9, 1e10, request.Optimizer);
        foreach (var (option, probe) in new[]
        {
            ("--params", valid with { Parameters = request.Parameters }), ("--tokens", valid with { Tokens = request.Tokens }),
            ("--seq-len", valid with { SequenceLength = request.SequenceLength }), ("--batch-multiple", valid with { BatchMultiple = request.BatchMultiple }),
            ("--runner-ups", valid with { RunnerUps = request.RunnerUps }), ("--warmup", valid with { WarmupSteps = request.WarmupSteps }),
            ("--batch-tokens", valid with { SequenceLength = request.SequenceLength, BatchTokens = request.BatchTokens }),
        })
            Named(option, () => { probe.Validate(); return 0; });
        var options = PlanningOptions(r, request.Optimizer) with
        {
            LrPrior = LrPrior(r.GetValue(_lrPrior), r.GetValue(_noLrPrior), out string lrPriorSource),
            LrPriorSource = lrPriorSource,
            PeakFromRunsEvidence = !r.GetValue(_noRunsPeak),
            FitOn = r.GetValue(_fitOn)!.ToLowerInvariant() switch
            {
                "train" => LossSplit.Train,
                "val" or "validation" => LossSplit.Validation,
                var other => throw new UserInputException($"--fit-on: '{other}' is not train or val."),
            },
            FitCache = r.GetValue(_noFitCache) ? null : new FitCacheFolder(FitCacheFolder.DefaultFolder()),
            ObservedBest = !r.GetValue(_lawSchedule),
            AnchoredLoss = !r.GetValue(_noAnchor),
            AnchorTail = r.GetValue(_anchorTail)!.Trim().ToLowerInvariant() switch
            {
                "train" => AnchorTailSplits.Train,
                "all" => AnchorTailSplits.TrainAndValidation,
                "off" => AnchorTailSplits.None,
                var other => throw new UserInputException($"--anchor-tail: '{other}' is not train, all or off."),
            },
            BatchSteps = r.GetValue(_batchSteps)!.Trim().ToLowerInvariant() switch
            {
                "steps" => BatchSteps.Steps,
                "critical-batch" => BatchSteps.CriticalBatch,
                var other => throw new UserInputException($"--batch-steps: '{other}' is not steps or critical-batch."),
            },
            Joint = JointNoisePowerOption.Read(r.GetValue(_jointNoisePower)!),
        };
        string[]? runs = r.GetValue(_runs) is { Length: > 0 } given ? given : null;
        return new PlanSettings(request, options, runs, r.GetValue(_outDir)!, r.GetValue(_export), asJson, chatty,
            Provenance.Rerun(r, r.CommandResult.Command, PathOptions));
    }

    public override int Execute(CliIo io, PlanSettings settings)
    {
        if (settings.Chatty && settings.Runs is null) io.Err.WriteLine($"plan: no --runs given: planning from the shipped Multi-Power-Law runs ({ShippedData.Resolve(DefaultRuns)})");
        var loaded = PlanHandler.LoadRuns(settings.Runs);
        if (settings.Chatty) foreach (var note in LawRuns.ReaderNotes(loaded)) io.Err.WriteLine(note);
        var provenance = Provenance.Of(settings.Rerun, DateTime.UtcNow);
        var options = settings.Options with { Progress = settings.Chatty ? line => io.Err.WriteLine($"plan: {line} ...") : null };
        return Run(io, settings.Request, loaded, options, settings.OutDir, settings.Json, settings.Chatty, settings.ExportDir, provenance);
    }

    /// <summary>The options whose values are paths: the rerun command in the provenance holds them absolute.</summary>
    private static readonly HashSet<string> PathOptions = ["--runs", "--divergence", "--lr-prior", "--out", "--export"];

    /// <summary>The LR-axis prior: the given file, else the shipped one when present; none with --no-lr-prior. A bad file is one line naming it.</summary>
    internal static LrAxisPrior? LrPrior(string? given, bool none, out string source)
    {
        source = "";
        if (none)
        {
            if (given is not null) throw new UserInputException("--no-lr-prior: cannot be combined with --lr-prior.");
            return null;
        }
        string path = given ?? ShippedData.Resolve(LrPriorCommand.DefaultPrior);
        if (given is null && !File.Exists(path)) return null;
        var prior = LoadLrPrior(path);
        source = given is null ? $"shipped prior {Path.GetFileName(path)}" : path;
        return prior;
    }

    /// <summary>The LR-axis prior at <paramref name="path"/>; a bad or unreadable file is one line naming it.</summary>
    internal static LrAxisPrior LoadLrPrior(string path)
    {
        try
        {
            return LrAxisPriorDocument.Parse(DocumentFile.ReadAllText(path));
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: {e.Message}");
        }
    }

    /// <summary>
    /// Makes the plan, writes its files and prints it (one JSON object with --json); returns the exit code.
    /// <paramref name="provenance"/> (version, commit, date, rerun command) goes into plan.json and the report.
    /// </summary>
    public static int Run(CliIo io, PlanRequest request, IReadOnlyList<TrainingRun> runs, PlanOptions options, string outDir, bool asJson, bool chatty, string? exportDir, Provenance provenance)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plan = PlanHandler.Make(request, runs, options);
        if (chatty) io.Err.WriteLine($"plan: made in {clock.Elapsed.TotalSeconds:F1} s");
        return PlanRenderer.Write(io, plan, outDir, asJson, chatty, exportDir, provenance);
    }

    /// <summary>A core call whose <see cref="ArgumentException"/> is about one option: one line naming it.</summary>
    private static T Named<T>(string option, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            throw new UserInputException($"{option}: {e.Message}");
        }
    }

    /// <summary>--divergence-risk: one probability in (0, 0.5], the range <see cref="HyperLaws.Planning.ModelDivergenceGuard.Risk"/> accepts; anything else (a list, text, NaN) is one line echoing it whole.</summary>
    private static double Risk(string text) => Quantity.TryParse(text.Trim(), out double q) && q > 0 && q <= 0.5 ? q
        : throw new UserInputException($"--divergence-risk: '{ErrorText.Echo(text)}' is not a probability in (0, 0.5].");

    private PlanOptions PlanningOptions(ParseResult r, TrainingOptimizer optimizer)
    {
        double? batch = r.GetValue(_runsBatch);
        IOptimumRule rule = r.GetValue(_anchor)!.ToLowerInvariant() switch
        {
            "steplaw" => StepLawRule.Instance,
            "deepseek" => DeepSeekRule.Instance,
            var other => throw new UserInputException($"--anchor: '{other}' is not steplaw or deepseek."),
        };
        DivergenceModel? model = null;
        string source = "";
        if (r.GetValue(_noDivergence))
        {
            if (r.GetValue(_divergence) is not null) throw new UserInputException("--no-divergence: cannot be combined with --divergence.");
        }
        else
        {
            string path = r.GetValue(_divergence) ?? ShippedData.Resolve(DefaultDivergence);
            if (r.GetValue(_divergence) is not null || File.Exists(path))
            {
                model = DivergenceScreenOptions.Load(path);
                source = r.GetValue(_divergence) is null ? $"shipped prior {Path.GetFileName(path)} (fitted on the Step Law runs)" : path;
            }
        }
        // The shipped prior is fitted on the Step Law runs (AdamW): a plan for another optimizer takes its guard from its runs' evidence.
        // A model the user gives is applied as given.
        TrainingOptimizer? fittedOn = model is not null && (r.GetValue(_divergence) is not { } given || DivergenceScreenOptions.IsShippedPrior(given)) ? DivergenceScreenOptions.ShippedPriorOptimizer : null;
        double? risk = r.GetValue(_divergenceRisk);
        if (risk is not null && r.GetValue(_noDivergence))
            throw new UserInputException("--divergence-risk: cannot be combined with --no-divergence (no divergence guard to set).");
        // The runs' evidence (EvidenceDivergenceGuard: 0/1 verdicts from runs that trained or diverged) has no risk level: a level set there would be ignored.
        if (risk is not null && fittedOn is { } f && f != optimizer)
            throw new UserInputException($"--divergence-risk: a plan for {optimizer.Name()} takes its divergence guard from its runs' evidence, which has no risk level (the shipped prior is fitted on {f.Name()} runs); give a divergence model for {optimizer.Name()} with --divergence.");
        return new PlanOptions
        {
            Laws = LawRuns.ParseLaws(r.GetValue(_laws)),
            Divergence = model,
            DivergenceSource = source,
            DivergenceOptimizer = fittedOn,
            DivergenceRisk = risk ?? PlanOptions.StatedDivergenceRisk,
            RunsTokensPerStep = batch,
            Anchor = rule,
            SizeIntervals = r.GetValue(_sizeIntervals),
        };
    }
}
