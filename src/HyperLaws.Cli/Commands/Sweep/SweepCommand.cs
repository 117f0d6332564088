using System.CommandLine;
using System.Text.RegularExpressions;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Optimum;
using HyperLaws.Planning;
using HyperLaws.Planning.Sweeps;

namespace HyperLaws.Cli.Commands.Sweep;

/// <summary>
/// <c>hyperlaws sweep</c>: the small-budget runs that calibrate the laws for a target budget (LR x batch x schedule at a
/// few budgets, <see cref="SweepDesigner"/>), written as CSV/JSON, a Slurm job array, a W&amp;B sweep and RESULTS.md.
/// </summary>
internal sealed partial class SweepCommand : CliCommand<SweepSettings>
{
    private static readonly string[] AnchorNames = ["steplaw", "deepseek"];
    private static readonly string[] ArmNames = ["constant", "cosine", "wsd"];

    private static readonly SweepOptions Defaults = new(1, 1);

    private readonly Option<double?> _param = CliOptions.Number("--params", "Target model size N in parameters (non-embedding), e.g. 1.3B.", "N");
    private readonly Option<double?> _tokens = CliOptions.Number("--tokens", "Target run's tokens T, e.g. 26B.", "T");
    private readonly Option<string> _optimizer = CliOptions.Completes(new Option<string>("--optimizer") { Description = "Optimizer of the runs: " + string.Join(", ", TrainingOptimizers.Names) + " (default adamw).", HelpName = string.Join('|', TrainingOptimizers.Names) }, TrainingOptimizers.Names);
    private readonly Option<string[]> _runs = new("--runs") { Description = "Runs of the optimizer (files or folders, any format 'hyperlaws fit' reads): for one no published LR rule is fitted on (muon, nsgd) the grid is centred on their best run's peak, carried to each budget by the LMO rule; needed for nsgd (without them a muon grid is centred on AdamW's rule as is).", AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
    private readonly Option<double?> _seqLen = CliOptions.Number("--seq-len", $"Tokens per sequence (default {Defaults.SequenceLength}); batches are whole sequences.", "L");
    private readonly Option<string[]> _budgets = new("--budgets") { Description = "The small token budgets, e.g. 2e7,6e7,2e8 (default: --budget-count log-spaced in T/1000..T/100).", AllowMultipleArgumentsPerToken = true, HelpName = "LIST" };
    private readonly Option<double?> _budgetCount = CliOptions.Number("--budget-count", $"How many default budgets (default {Defaults.BudgetCount}; two or more fit the rules' budget exponents).", "K");
    private readonly Option<double?> _sweepParams = CliOptions.Number("--sweep-params", "Model size of the sweep runs, at most N (default N).", "N");
    private readonly Option<double?> _lrPoints = CliOptions.Number("--lr-points", $"Learning rates per batch and budget (default {Defaults.LrPoints}).", "K");
    private readonly Option<double?> _lrSpan = CliOptions.Number("--lr-span", $"The LR grid covers x1/S..xS of the anchor (default {Defaults.LrSpan}).", "S");
    private readonly Option<double?> _batchPoints = CliOptions.Number("--batch-points", $"Batch sizes per budget, doubling (default {Defaults.BatchPoints}: x1/2, x1, x2).", "K");
    private readonly Option<double?> _batchMultiple = CliOptions.Number("--batch-multiple", "Batches are multiples of M sequences (default: powers of two).", "M");
    private readonly Option<double?> _warmupFraction = CliOptions.Number("--warmup-fraction", $"Warmup as a fraction of the steps (default {Defaults.WarmupFraction}).", "F");
    private readonly Option<double?> _minWarmup = CliOptions.Number("--min-warmup", $"Shortest warmup in steps (default {Defaults.MinWarmup}).", "W");
    private readonly Option<double?> _minSteps = CliOptions.Number("--min-steps", $"Steps every run needs after its warmup; smaller budgets are refused (default {Defaults.MinStepsAfterWarmup}).", "S");
    private readonly Option<double?> _cooldown = CliOptions.Number("--cooldown", $"WSD cooldown of the grid runs, a fraction of the run (default {Defaults.Cooldown}).", "F");
    private readonly Option<double?> _secondCooldown = CliOptions.Number("--second-cooldown", $"Cooldown of the schedule arm's WSD run (default {Defaults.SecondCooldown}).", "F");
    private readonly Option<string> _arms = CliOptions.Completes(new Option<string>("--arms") { Description = "Schedules run at each budget's centre LR and batch: a list of constant, cosine, wsd, or none (default constant,cosine,wsd).", HelpName = "LIST" }, ["constant", "cosine", "wsd", "none"], list: true);
    private readonly Option<double?> _momentum = CliOptions.Number("--momentum", "Momentum (beta1 for AdamW) of every run (default: the anchor recipe's, 0.9; Muon 0.95).", "BETA");
    private readonly Option<string> _anchor = new("--anchor") { Description = "Published rule the grid is centred on: steplaw (default) or deepseek.", HelpName = "steplaw|deepseek" };
    private readonly Option<double?> _maxFraction = CliOptions.Number("--max-compute-fraction", $"Warn when the sweep costs more than this fraction of the target run's compute (default {Defaults.MaxComputeFraction}).", "F");
    private readonly Option<string> _output = new("--out") { Description = "Folder to write the sweep's files to (default: print the plan, write nothing).", HelpName = "DIR" };
    private readonly Option<string> _logDir = new("--log-dir") { Description = "Where the runs write their result CSVs, relative to --out unless absolute (default runs).", HelpName = "DIR" };
    private readonly Option<string> _trainCommand = new("--train-command") { Description = "Your training command, with placeholders such as {run_id} {lr} {batch_seqs} {batch_tokens} {steps} {warmup} {schedule} {seq_len} {momentum} {log} (any column of sweep.csv).", HelpName = "TEMPLATE" };
    private readonly Option<string> _project = new("--project") { Description = "W&B project of the sweep.", HelpName = "NAME" };
    private readonly Option<string> _entity = new("--entity") { Description = "W&B entity of the sweep.", HelpName = "NAME" };
    private readonly Option<string> _jobName = new("--job-name") { Description = "Slurm job and W&B sweep name (default hyperlaws-sweep).", HelpName = "NAME" };
    private readonly Option<string> _partition = new("--partition") { Description = "Slurm partition.", HelpName = "NAME" };
    private readonly Option<string> _time = new("--time") { Description = "Slurm time limit per run (MM, HH:MM:SS, D-HH:MM, ...).", HelpName = "LIMIT" };
    private readonly Option<double?> _gpus = CliOptions.Number("--gpus", "GPUs per run (Slurm --gres=gpu:G).", "G");
    private readonly Option<double?> _maxParallel = CliOptions.Number("--max-parallel", "Runs at once (Slurm --array=...%P).", "P");
    private readonly Option<string[]> _slurmOption = new("--slurm-option") { Description = "Extra #SBATCH line, e.g. \"--account=lab\" (repeatable).", HelpName = "OPTION" };
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();

    public SweepCommand()
    {
        _param.Required = true;
        _tokens.Required = true;
        CliOptions.AcceptOnly(_anchor, AnchorNames);
    }

    public override string Name => "sweep";

    public override string Description => "Propose the small-budget runs (LR x batch x schedule) that calibrate the laws for a target budget: CSV/JSON, a Slurm job array, a W&B sweep and how the results come back.";

    protected override IEnumerable<Option> Options =>
    [
        _param, _tokens, _optimizer, _runs, _seqLen, _budgets, _budgetCount, _sweepParams, _lrPoints, _lrSpan, _batchPoints, _batchMultiple,
        _warmupFraction, _minWarmup, _minSteps, _cooldown, _secondCooldown, _arms, _momentum, _anchor, _maxFraction, _output, _logDir,
        _trainCommand, _project, _entity, _jobName, _partition, _time, _gpus, _maxParallel, _slurmOption, _json, _quiet,
    ];

    public override SweepSettings Bind(ParseResult parse)
    {
        var r = parse;
        var defaults = Defaults;
        double n = Plausible(r.GetValue(_param), "--params", "a model size", SweepDesigner.MinParams, SweepDesigner.MaxParams, "parameters");
        double t = Plausible(r.GetValue(_tokens), "--tokens", "a token budget", SweepDesigner.MinTokens, SweepDesigner.MaxTokens, "tokens");
        var budgets = r.GetValue(_budgets) is { Length: > 0 } list ? Budgets(list) : null;
        var optimizer = r.GetValue(_optimizer) is { } opt ? ParseOptimizer(opt) : TrainingOptimizer.AdamW;
        RunEvidence? evidence = null;
        List<string> tornTails = [];
        if (r.GetValue(_runs) is { Length: > 0 } runFiles)
        {
            if (SweepDesigner.HasPublishedRule(optimizer)) throw new UserInputException($"--runs: only used for an optimizer without a published LR rule (muon, nsgd); {optimizer.Name()}'s grid is centred on --anchor.");
            var loaded = Plan.PlanHandler.LoadRuns(runFiles);
            tornTails.AddRange(LawRuns.TornTails(loaded));
            evidence = RunEvidence.Of(loaded); // runs the designer cannot centre on: SweepHandler's "--runs: ..." line
        }
        else if (!SweepDesigner.CentresWithoutRuns(optimizer))
        {
            throw new UserInputException($"--optimizer {optimizer.Name()}: {SweepDesigner.NoRule(optimizer)}: give --runs of {optimizer.Name()} runs, whose best peak centres the grid, or --optimizer adamw for AdamW's rule.");
        }
        var options = new SweepOptions(n, t)
        {
            Optimizer = optimizer,
            Evidence = evidence,
            SequenceLength = Whole(r.GetValue(_seqLen), "--seq-len", 1, SweepDesigner.MaxSequenceLength) ?? defaults.SequenceLength,
            SweepParams = r.GetValue(_sweepParams) is { } sp ? Plausible(sp, "--sweep-params", "a model size", SweepDesigner.MinParams, n, "parameters, at most --params") : null,
            Budgets = budgets?.Select(b => b.Value).ToList(),
            BudgetCount = Whole(r.GetValue(_budgetCount), "--budget-count", 1, SweepDesigner.MaxBudgetCount) ?? defaults.BudgetCount,
            LrPoints = Whole(r.GetValue(_lrPoints), "--lr-points", 3, SweepDesigner.MaxLrPoints) ?? defaults.LrPoints,
            LrSpan = Range(r.GetValue(_lrSpan), "--lr-span", 1, 100, "(1, 100]", lowOpen: true) ?? defaults.LrSpan,
            BatchPoints = Whole(r.GetValue(_batchPoints), "--batch-points", 1, SweepDesigner.MaxBatchPoints) ?? defaults.BatchPoints,
            BatchMultiple = Whole(r.GetValue(_batchMultiple), "--batch-multiple", 1, SweepDesigner.MaxSequenceLength),
            WarmupFraction = Range(r.GetValue(_warmupFraction), "--warmup-fraction", 0, 0.5, "[0, 0.5]") ?? defaults.WarmupFraction,
            MinWarmup = Whole(r.GetValue(_minWarmup), "--min-warmup", 0, 1_000_000) ?? defaults.MinWarmup,
            MinStepsAfterWarmup = Whole(r.GetValue(_minSteps), "--min-steps", 1, 10_000_000) ?? defaults.MinStepsAfterWarmup,
            Cooldown = Range(r.GetValue(_cooldown), "--cooldown", 0, 0.9, "(0, 0.9]", lowOpen: true) ?? defaults.Cooldown,
            SecondCooldown = Range(r.GetValue(_secondCooldown), "--second-cooldown", 0, 0.9, "(0, 0.9]", lowOpen: true) ?? defaults.SecondCooldown,
            Arms = r.GetValue(_arms) is { } a ? Arms(a) : defaults.Arms,
            Momentum = Range(r.GetValue(_momentum), "--momentum", 0, 1, "[0, 1)", highOpen: true),
            Anchor = r.GetValue(_anchor) == "deepseek" ? DeepSeekRule.Instance : PublishedAnchors.Primary,
            MaxComputeFraction = Range(r.GetValue(_maxFraction), "--max-compute-fraction", 0, 1000, "(0, 1000]", lowOpen: true) ?? defaults.MaxComputeFraction,
        };
        return new SweepSettings(options, FileSettings(r), r.GetValue(_output), r.GetValue(_json), r.GetValue(_quiet))
        {
            BudgetTexts = budgets?.GroupBy(b => b.Value).ToDictionary(g => g.Key, g => g.First().Text) ?? new Dictionary<double, string>(),
            TornTails = tornTails,
        };
    }

    public override int Execute(CliIo io, SweepSettings settings)
    {
        // The log folder is created after the sweep's files are moved into --out: check it first, so a bad one leaves nothing behind.
        if (settings.OutDir is { } outDir)
            InputGuard.CheckOutputPlace("--log-dir", Path.IsPathRooted(settings.Files.LogDir) ? settings.Files.LogDir : Path.Combine(outDir, settings.Files.LogDir), "DIR");
        if (!settings.Json && !settings.Quiet) LawRuns.WriteNotes(io.Err, settings.TornTails);
        var design = SweepHandler.Run(settings);
        var plan = SweepFiles.Plan(design, settings.Files);
        List<string> written = settings.OutDir is { } dir ? SweepRenderer.WriteFiles(dir, design, settings.Files, plan) : [];
        SweepRenderer.Write(io, settings, design, plan, written);
        return 0;
    }

    private SweepFileSettings FileSettings(ParseResult r)
    {
        string logs = r.GetValue(_logDir) ?? "runs";
        if (SweepFiles.LogDirProblem(logs) is { } badLogs) throw new UserInputException($"--log-dir: {badLogs}");
        string? template = r.GetValue(_trainCommand);
        if (template is not null && SweepFiles.TemplateProblem(template) is { } badTemplate) throw new UserInputException($"--train-command: {badTemplate}");
        var extra = r.GetValue(_slurmOption) ?? [];
        foreach (var line in extra)
            if (!line.StartsWith("--", StringComparison.Ordinal) || line.IndexOfAny(['\n', '\r']) >= 0)
                throw new UserInputException($"--slurm-option: '{line}' is not one sbatch option starting with -- (e.g. --account=lab).");
        return new SweepFileSettings(logs, template)
        {
            Project = PlainName(r.GetValue(_project), "--project"),
            Entity = PlainName(r.GetValue(_entity), "--entity"),
            JobName = PlainName(r.GetValue(_jobName), "--job-name") ?? "hyperlaws-sweep",
            Partition = PlainName(r.GetValue(_partition), "--partition", allowComma: true),
            Time = r.GetValue(_time) is { } tl ? (SlurmTime().IsMatch(tl) ? tl : throw new UserInputException($"--time: '{tl}' is not a Slurm time limit (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS).")) : null,
            Gpus = Whole(r.GetValue(_gpus), "--gpus", 1, 1024),
            MaxParallel = Whole(r.GetValue(_maxParallel), "--max-parallel", 1, 1_000_000),
            SlurmOptions = extra,
        };
    }

    private static double Plausible(double? value, string option, string what, double min, double max, string unit)
    {
        if (value is not { } v) throw new UserInputException($"{option} is required.");
        if (!(v >= min && v <= max))
            throw new UserInputException($"{option}: {Format.G(v)} is not {what} to plan for (give {Format.G(min)}..{Format.G(max)} {unit}).");
        return v;
    }

    private static int? Whole(double? value, string option, int min, int max)
    {
        if (value is not { } v) return null;
        if (v != Math.Floor(v) || v < min || v > max) throw new UserInputException($"{option}: {Format.G(v, 6)} is not a whole number in {min}..{max}.");
        return (int)v;
    }

    private static double? Range(double? value, string option, double lo, double hi, string interval, bool lowOpen = false, bool highOpen = false)
    {
        if (value is not { } v) return null;
        bool ok = (lowOpen ? v > lo : v >= lo) && (highOpen ? v < hi : v <= hi);
        return ok ? v : throw new UserInputException($"{option}: {Format.G(v, 6)} is not in {interval}.");
    }

    /// <summary>--budgets' values, each with its text as given (a budget the design refuses is named so).</summary>
    private static List<(double Value, string Text)> Budgets(string[] items)
    {
        var list = new List<(double, string)>();
        foreach (var text in items.SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Quantity.TryParse(text, out double v) || !(v > 0) || !(v <= 1e30))
                throw new UserInputException($"--budgets: '{ErrorText.Echo(text)}' is not a positive number of tokens (at most 1e30; examples: 2e7, 60M).");
            list.Add((v, text));
        }
        if (list.Count == 0) throw new UserInputException("--budgets: give at least one budget.");
        return list;
    }

    private static List<SweepArm> Arms(string text)
    {
        if (string.Equals(text.Trim(), "none", StringComparison.OrdinalIgnoreCase)) return [];
        var arms = new List<SweepArm>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int i = Array.FindIndex(ArmNames, a => string.Equals(a, item, StringComparison.OrdinalIgnoreCase));
            if (i < 0) throw new UserInputException($"--arms: '{item}' is not a schedule of the arm (use constant, cosine, wsd, or none).");
            if (arms.Contains((SweepArm)i)) throw new UserInputException($"--arms: '{item}' is given twice.");
            arms.Add((SweepArm)i);
        }
        if (arms.Count == 0) throw new UserInputException("--arms: give constant, cosine, wsd (comma-separated), or none.");
        return arms;
    }

    private static string? PlainName(string? value, string option, bool allowComma = false)
    {
        if (value is null) return null;
        var ok = allowComma ? SlurmList() : SimpleName();
        return ok.IsMatch(value) ? value : throw new UserInputException($"{option}: '{value}' is not a plain name (letters, digits, . _ -{(allowComma ? " and commas" : "")}).");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$")]
    private static partial Regex SimpleName();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+(,[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex SlurmList();

    // [0-9], not \d: \d matches every Unicode digit, so '--time ١٢' was written into the job script as "#SBATCH --time=١٢".
    [GeneratedRegex(@"^([0-9]+-[0-9]+(:[0-9]+(:[0-9]+)?)?|[0-9]+(:[0-9]+(:[0-9]+)?)?)$")]
    private static partial Regex SlurmTime();

    /// <summary>The optimizer's name; an unknown one is one line naming --optimizer (was the core's message alone).</summary>
    private static TrainingOptimizer ParseOptimizer(string text)
    {
        try
        {
            return TrainingOptimizers.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"--optimizer: {e.Message}");
        }
    }
}
