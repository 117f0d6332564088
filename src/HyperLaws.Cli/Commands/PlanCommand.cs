using System.CommandLine;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Divergence;
using HyperLaws.Laws.Joint;
using HyperLaws.Optimum;
using HyperLaws.Planning;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws plan</c>: from a budget (N parameters, T tokens, an optimizer) and the user's runs to a training plan:
/// batch, momentum, LR, schedule, warmup and cooldown, the predicted loss with an interval, runner-ups, the reasons and a report.
/// </summary>
internal static class PlanCommand
{
    /// <summary>The runs a plan learns from when none are given: the Multi-Power-Law curves shipped in data/.</summary>
    public static readonly string DefaultRuns = Path.Combine("data", "MultiPowerLaw", "loss_curve_repo");

    /// <summary>The divergence model used when none is given (data/priors/README.md).</summary>
    public static readonly string DefaultDivergence = Path.Combine("data", "priors", "divergence-steplaw.json");

    public static Command Create(CliIo io)
    {
        var parameters = new Option<string>("--params") { Description = "Model size in parameters (e.g. 1.3B).", Required = true, HelpName = "N" };
        var tokens = new Option<string>("--tokens") { Description = "Training budget in tokens (e.g. 26B).", Required = true, HelpName = "T" };
        var optimizer = new Option<string>("--optimizer") { Description = $"The optimizer: {string.Join(", ", TrainingOptimizers.Names)}.", DefaultValueFactory = _ => "adamw", HelpName = "NAME" };
        var runs = new Option<string[]>("--runs") { Description = $"Your runs (files or folders, searched with their subfolders, in any format 'hyperlaws fit' reads; default: the shipped Multi-Power-Law curves, {DefaultRuns}).", AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
        var seqLen = new Option<int>("--seq-len") { Description = "Tokens per sequence.", DefaultValueFactory = _ => 2048, HelpName = "L" };
        var multiple = new Option<int>("--batch-multiple") { Description = "Round the batch in sequences to a multiple of this (ranks x micro-batch).", DefaultValueFactory = _ => 1, HelpName = "M" };
        var batchTokens = new Option<string>("--batch-tokens") { Description = "Fix the batch (tokens per step) instead of taking the rule's; the LR follows it as sqrt(batch) (LMO Theorem 1).", HelpName = "B" };
        var runsBatch = CliOptions.TokensPerStep("--runs-batch-tokens", "Tokens per step of your runs when their files do not say (default: what the anchor calls optimal for their budget, with a warning).");
        var laws = new Option<string>("--laws") { Description = "Schedule-to-loss laws to try, comma list; the one with the smallest held-out final-loss error plans.", DefaultValueFactory = _ => "optlaw,mpl,tissue", HelpName = "LIST" };
        var anchor = new Option<string>("--anchor") { Description = "Published LR/batch rule used when your runs cannot calibrate one: steplaw or deepseek.", DefaultValueFactory = _ => "steplaw", HelpName = "RULE" };
        var divergence = new Option<string>("--divergence") { Description = $"Divergence model (DIV.json from 'hyperlaws diverge --fit'; default {DefaultDivergence}, fitted on the Step Law runs).", HelpName = "DIV.json" };
        var noDivergence = CliOptions.Flag("--no-divergence", "Do not screen for divergence.");
        var lrPrior = new Option<string>("--lr-prior") { Description = $"LR-axis prior, used when your runs share one peak LR (from 'hyperlaws lr-prior'; default {LrPriorCommand.DefaultPrior}, fitted on the Step Law runs).", HelpName = "FILE" };
        var noLrPrior = CliOptions.Flag("--no-lr-prior", "Do not use the LR-axis prior: with runs of one peak LR the peak is then held to the runs' LR.");
        var fitOn = new Option<string>("--fit-on") { Description = "The loss curve the law is fitted on: train or val (a run without that curve gives the other).", DefaultValueFactory = _ => "train", HelpName = "SPLIT" };
        var runnerUps = new Option<int>("--runner-ups") { Description = "How many runner-up plans to show.", DefaultValueFactory = _ => 4, HelpName = "K" };
        var outDir = new Option<string>("--out") { Description = "Folder for plan.json, report.html and the figures.", DefaultValueFactory = _ => Path.Combine("hyperlaws-out", "plan"), HelpName = "DIR" };
        var export = new Option<string>("--export") { Description = "Also write the plan for a trainer into DIR: the LR of every step (lr_schedule.csv), a Python LambdaLR that reads it (lr_schedule.py), config fragments for Hugging Face, torchtitan, LitGPT and nanoGPT, and the optimizer's other settings as stated priors.", HelpName = "DIR" };
        var noFitCache = CliOptions.Flag("--no-fit-cache", FitCacheFolder.HelpText);
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var command = new Command("plan", "Turn a budget (N parameters, T tokens, an optimizer) and your runs into a training plan: batch, momentum, LR, schedule, warmup and cooldown, the predicted loss, runner-ups, reasons and a report.");
        foreach (var o in new Option[] { parameters, tokens, optimizer, runs, seqLen, multiple, batchTokens, runsBatch, laws, anchor, divergence, noDivergence, lrPrior, noLrPrior, fitOn, runnerUps, outDir, export, noFitCache, json, quiet }) command.Options.Add(o);
        command.SetAction(r =>
        {
            bool asJson = r.GetValue(json), chatty = !asJson && !r.GetValue(quiet);
            var request = UserInputException.Guard(() => new PlanRequest(
                CliOptions.RequiredPositive(r.GetValue(parameters), "--params", "a model size in parameters, e.g. 1.3B", "plan"),
                CliOptions.RequiredPositive(r.GetValue(tokens), "--tokens", "a token budget, e.g. 26B", "plan"),
                Named("--optimizer", () => TrainingOptimizers.Parse(r.GetValue(optimizer)!)))
            {
                SequenceLength = r.GetValue(seqLen),
                BatchMultiple = r.GetValue(multiple),
                BatchTokens = r.GetValue(batchTokens) is { } fixedBatch ? CliOptions.RequiredPositive(fixedBatch, "--batch-tokens", "tokens per step, e.g. 1M", "plan") : null,
                RunnerUps = r.GetValue(runnerUps),
            });
            // Each value checked alone, so that the error names its option.
            var valid = new PlanRequest(1e9, 1e10, request.Optimizer);
            foreach (var (option, probe) in new[]
            {
                ("--params", valid with { Parameters = request.Parameters }), ("--tokens", valid with { Tokens = request.Tokens }),
                ("--seq-len", valid with { SequenceLength = request.SequenceLength }), ("--batch-multiple", valid with { BatchMultiple = request.BatchMultiple }),
                ("--runner-ups", valid with { RunnerUps = request.RunnerUps }),
                ("--batch-tokens", valid with { SequenceLength = request.SequenceLength, BatchTokens = request.BatchTokens }),
            })
                Named(option, () => { probe.Validate(); return 0; });
            var options = Options(r, runsBatch, laws, anchor, divergence, noDivergence, chatty ? io.Err : null) with
            {
                LrPrior = LrPrior(r.GetValue(lrPrior), r.GetValue(noLrPrior), out string lrPriorSource),
                LrPriorSource = lrPriorSource,
                FitOn = r.GetValue(fitOn)!.ToLowerInvariant() switch
                {
                    "train" => LossSplit.Train,
                    "val" or "validation" => LossSplit.Validation,
                    var other => throw new UserInputException($"--fit-on: '{other}' is not train or val."),
                },
                FitCache = r.GetValue(noFitCache) ? null : new FitCacheFolder(FitCacheFolder.DefaultFolder()),
            };
            if (chatty && r.GetValue(runs) is not { Length: > 0 }) io.Err.WriteLine($"plan: no --runs given: planning from the shipped Multi-Power-Law runs ({ShippedData.Resolve(DefaultRuns)})");
            var loaded = LawRuns.Load(r.GetValue(runs) is { Length: > 0 } g ? g : [ShippedData.Resolve(DefaultRuns)], recursive: true);
            var provenance = Provenance.Of(Provenance.Rerun(r, command, PathOptions), DateTime.UtcNow);
            return Run(io, request, loaded, options, r.GetValue(outDir)!, asJson, chatty, r.GetValue(export), provenance);
        });
        return command;
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
            return LrAxisPriorDocument.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: {e.Message}");
        }
    }

    /// <summary>
    /// Makes the plan, writes its files and prints it (one JSON object with --json); returns the exit code.
    /// <paramref name="provenance"/> (version, commit, date, rerun command) goes into plan.json and the report; by default
    /// the command is rebuilt from the request.
    /// </summary>
    public static int Run(CliIo io, PlanRequest request, IReadOnlyList<TrainingRun> runs, PlanOptions options, string outDir, bool asJson, bool chatty, string? exportDir = null, Provenance? provenance = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plan = UserInputException.Guard(() => Planner.Make(request, runs, options));
        if (chatty) io.Err.WriteLine($"plan: made in {clock.Elapsed.TotalSeconds:F1} s");
        provenance ??= Provenance.Of(string.Join(' ', new[] { "hyperlaws", "plan", "--params", Format.G(request.Parameters, 17), "--tokens", Format.G(request.Tokens, 17),
            "--optimizer", request.Optimizer.Name(), "--out", Path.GetFullPath(outDir) }.Select(Provenance.Quote)), DateTime.UtcNow);
        var files = PlanFiles.Write(plan, outDir, provenance, chatty ? io.Err : null);
        if (exportDir is not null) files = [.. PlanExport.Write(plan, exportDir), .. files];
        if (asJson)
        {
            var node = PlanOutput.ToJson(plan, provenance);
            node["files"] = Json.Strings(files);
            io.Out.WriteLine(Json.Serialize(node));
            return 0;
        }
        PlanOutput.Write(io.Table(), plan);
        io.Out.WriteLine($"report: {Path.GetFullPath(files[^1])}");
        return 0;
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

    private static PlanOptions Options(ParseResult r, Option<double?> runsBatch, Option<string> laws, Option<string> anchor, Option<string> divergence, Option<bool> noDivergence, TextWriter? progress)
    {
        double? batch = r.GetValue(runsBatch);
        IOptimumRule rule = r.GetValue(anchor)!.ToLowerInvariant() switch
        {
            "steplaw" => StepLawRule.Instance,
            "deepseek" => DeepSeekRule.Instance,
            var other => throw new UserInputException($"--anchor: '{other}' is not steplaw or deepseek."),
        };
        DivergenceModel? model = null;
        string source = "";
        if (r.GetValue(noDivergence))
        {
            if (r.GetValue(divergence) is not null) throw new UserInputException("--no-divergence: cannot be combined with --divergence.");
        }
        else
        {
            string path = r.GetValue(divergence) ?? ShippedData.Resolve(DefaultDivergence);
            if (r.GetValue(divergence) is not null || File.Exists(path))
            {
                model = DivergenceScreenOptions.Load(path);
                source = r.GetValue(divergence) is null ? $"shipped prior {Path.GetFileName(path)} (fitted on the Step Law runs)" : path;
            }
        }
        return new PlanOptions
        {
            Laws = LawRuns.ParseLaws(r.GetValue(laws)),
            Divergence = model,
            DivergenceSource = source,
            RunsTokensPerStep = batch,
            Anchor = rule,
            Progress = progress is null ? null : line => progress.WriteLine($"plan: {line} ..."),
        };
    }
}
