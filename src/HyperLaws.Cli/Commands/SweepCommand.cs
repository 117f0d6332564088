using System.CommandLine;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Optimum;
using HyperLaws.Planning;
using HyperLaws.Planning.Sweeps;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws sweep</c>: the small-budget runs that calibrate the laws for a target budget (LR x batch x schedule at a
/// few budgets, <see cref="SweepDesigner"/>), written as CSV/JSON, a Slurm job array, a W&amp;B sweep and RESULTS.md.
/// </summary>
internal static partial class SweepCommand
{
    private static readonly string[] AnchorNames = ["steplaw", "deepseek"];
    private static readonly string[] ArmNames = ["constant", "cosine", "wsd"];

    public static Command Create(CliIo io)
    {
        var defaults = new SweepOptions(1, 1);
        var param = CliOptions.Number("--params", "Target model size N in parameters (non-embedding), e.g. 1.3B.", "N");
        param.Required = true;
        var tokens = CliOptions.Number("--tokens", "Target run's tokens T, e.g. 26B.", "T");
        tokens.Required = true;
        var optimizer = new Option<string>("--optimizer") { Description = "Optimizer of the runs: " + string.Join(", ", TrainingOptimizers.Names) + " (default adamw).", HelpName = string.Join('|', TrainingOptimizers.Names) };
        var seqLen = CliOptions.Number("--seq-len", $"Tokens per sequence (default {defaults.SequenceLength}); batches are whole sequences.", "L");
        var budgets = new Option<string[]>("--budgets") { Description = "The small token budgets, e.g. 2e7,6e7,2e8 (default: --budget-count log-spaced in T/1000..T/100).", AllowMultipleArgumentsPerToken = true, HelpName = "LIST" };
        var budgetCount = CliOptions.Number("--budget-count", $"How many default budgets (default {defaults.BudgetCount}; two or more fit the rules' budget exponents).", "K");
        var sweepParams = CliOptions.Number("--sweep-params", "Model size of the sweep runs, at most N (default N).", "N");
        var lrPoints = CliOptions.Number("--lr-points", $"Learning rates per batch and budget (default {defaults.LrPoints}).", "K");
        var lrSpan = CliOptions.Number("--lr-span", $"The LR grid covers x1/S..xS of the anchor (default {defaults.LrSpan}).", "S");
        var batchPoints = CliOptions.Number("--batch-points", $"Batch sizes per budget, doubling (default {defaults.BatchPoints}: x1/2, x1, x2).", "K");
        var batchMultiple = CliOptions.Number("--batch-multiple", "Batches are multiples of M sequences (default: powers of two).", "M");
        var warmupFraction = CliOptions.Number("--warmup-fraction", $"Warmup as a fraction of the steps (default {defaults.WarmupFraction}).", "F");
        var minWarmup = CliOptions.Number("--min-warmup", $"Shortest warmup in steps (default {defaults.MinWarmup}).", "W");
        var minSteps = CliOptions.Number("--min-steps", $"Steps every run needs after its warmup; smaller budgets are refused (default {defaults.MinStepsAfterWarmup}).", "S");
        var cooldown = CliOptions.Number("--cooldown", $"WSD cooldown of the grid runs, a fraction of the run (default {defaults.Cooldown}).", "F");
        var secondCooldown = CliOptions.Number("--second-cooldown", $"Cooldown of the schedule arm's WSD run (default {defaults.SecondCooldown}).", "F");
        var arms = new Option<string>("--arms") { Description = "Schedules run at each budget's centre LR and batch: a list of constant, cosine, wsd, or none (default constant,cosine,wsd).", HelpName = "LIST" };
        var momentum = CliOptions.Number("--momentum", "Momentum (beta1 for AdamW) of every run (default: the anchor recipe's, 0.9; Muon 0.95).", "BETA");
        var anchor = new Option<string>("--anchor") { Description = "Published rule the grid is centred on: steplaw (default) or deepseek.", HelpName = "steplaw|deepseek" };
        anchor.AcceptOnlyFromAmong(AnchorNames);
        var maxFraction = CliOptions.Number("--max-compute-fraction", $"Warn when the sweep costs more than this fraction of the target run's compute (default {defaults.MaxComputeFraction}).", "F");
        var output = new Option<string>("--out") { Description = "Folder to write the sweep's files to (default: print the plan, write nothing).", HelpName = "DIR" };
        var logDir = new Option<string>("--log-dir") { Description = "Where the runs write their result CSVs, relative to --out unless absolute (default runs).", HelpName = "DIR" };
        var trainCommand = new Option<string>("--train-command") { Description = "Your training command, with placeholders such as {run_id} {lr} {batch_seqs} {batch_tokens} {steps} {warmup} {schedule} {seq_len} {momentum} {log} (any column of sweep.csv).", HelpName = "TEMPLATE" };
        var project = new Option<string>("--project") { Description = "W&B project of the sweep.", HelpName = "NAME" };
        var entity = new Option<string>("--entity") { Description = "W&B entity of the sweep.", HelpName = "NAME" };
        var jobName = new Option<string>("--job-name") { Description = "Slurm job and W&B sweep name (default hyperlaws-sweep).", HelpName = "NAME" };
        var partition = new Option<string>("--partition") { Description = "Slurm partition.", HelpName = "NAME" };
        var time = new Option<string>("--time") { Description = "Slurm time limit per run (MM, HH:MM:SS, D-HH:MM, ...).", HelpName = "LIMIT" };
        var gpus = CliOptions.Number("--gpus", "GPUs per run (Slurm --gres=gpu:G).", "G");
        var maxParallel = CliOptions.Number("--max-parallel", "Runs at once (Slurm --array=...%P).", "P");
        var slurmOption = new Option<string[]>("--slurm-option") { Description = "Extra #SBATCH line, e.g. \"--account=lab\" (repeatable).", HelpName = "OPTION" };
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();

        var command = new Command("sweep", "Propose the small-budget runs (LR x batch x schedule) that calibrate the laws for a target budget: CSV/JSON, a Slurm job array, a W&B sweep and how the results come back.");
        foreach (var o in new Option[]
        {
            param, tokens, optimizer, seqLen, budgets, budgetCount, sweepParams, lrPoints, lrSpan, batchPoints, batchMultiple,
            warmupFraction, minWarmup, minSteps, cooldown, secondCooldown, arms, momentum, anchor, maxFraction, output, logDir,
            trainCommand, project, entity, jobName, partition, time, gpus, maxParallel, slurmOption, json, quiet,
        })
            command.Options.Add(o);

        command.SetAction(r =>
        {
            double n = Plausible(r.GetValue(param), "--params", "a model size", SweepDesigner.MinParams, SweepDesigner.MaxParams, "parameters");
            double t = Plausible(r.GetValue(tokens), "--tokens", "a token budget", SweepDesigner.MinTokens, SweepDesigner.MaxTokens, "tokens");
            var options = new SweepOptions(n, t)
            {
                Optimizer = r.GetValue(optimizer) is { } opt ? UserInputException.Guard(() => TrainingOptimizers.Parse(opt)) : TrainingOptimizer.AdamW,
                SequenceLength = Whole(r.GetValue(seqLen), "--seq-len", 1, SweepDesigner.MaxSequenceLength) ?? defaults.SequenceLength,
                SweepParams = r.GetValue(sweepParams) is { } sp ? Plausible(sp, "--sweep-params", "a model size", SweepDesigner.MinParams, n, "parameters, at most --params") : null,
                Budgets = r.GetValue(budgets) is { Length: > 0 } list ? Budgets(list) : null,
                BudgetCount = Whole(r.GetValue(budgetCount), "--budget-count", 1, SweepDesigner.MaxBudgetCount) ?? defaults.BudgetCount,
                LrPoints = Whole(r.GetValue(lrPoints), "--lr-points", 3, SweepDesigner.MaxLrPoints) ?? defaults.LrPoints,
                LrSpan = Range(r.GetValue(lrSpan), "--lr-span", 1, 100, "(1, 100]", lowOpen: true) ?? defaults.LrSpan,
                BatchPoints = Whole(r.GetValue(batchPoints), "--batch-points", 1, SweepDesigner.MaxBatchPoints) ?? defaults.BatchPoints,
                BatchMultiple = Whole(r.GetValue(batchMultiple), "--batch-multiple", 1, SweepDesigner.MaxSequenceLength),
                WarmupFraction = Range(r.GetValue(warmupFraction), "--warmup-fraction", 0, 0.5, "[0, 0.5]") ?? defaults.WarmupFraction,
                MinWarmup = Whole(r.GetValue(minWarmup), "--min-warmup", 0, 1_000_000) ?? defaults.MinWarmup,
                MinStepsAfterWarmup = Whole(r.GetValue(minSteps), "--min-steps", 1, 10_000_000) ?? defaults.MinStepsAfterWarmup,
                Cooldown = Range(r.GetValue(cooldown), "--cooldown", 0, 0.9, "(0, 0.9]", lowOpen: true) ?? defaults.Cooldown,
                SecondCooldown = Range(r.GetValue(secondCooldown), "--second-cooldown", 0, 0.9, "(0, 0.9]", lowOpen: true) ?? defaults.SecondCooldown,
                Arms = r.GetValue(arms) is { } a ? Arms(a) : defaults.Arms,
                Momentum = Range(r.GetValue(momentum), "--momentum", 0, 1, "[0, 1)", highOpen: true),
                Anchor = r.GetValue(anchor) == "deepseek" ? DeepSeekRule.Instance : PublishedAnchors.Primary,
                MaxComputeFraction = Range(r.GetValue(maxFraction), "--max-compute-fraction", 0, 1000, "(0, 1000]", lowOpen: true) ?? defaults.MaxComputeFraction,
            };
            var settings = Settings(r, logDir, trainCommand, project, entity, jobName, partition, time, gpus, maxParallel, slurmOption);
            var design = UserInputException.Guard(() => SweepDesigner.Design(options));

            string? dir = r.GetValue(output);
            var plan = SweepFiles.Plan(design, settings);
            List<string> written = dir is null ? [] : Write(dir, design, settings, plan);
            bool asJson = r.GetValue(json), silent = asJson || r.GetValue(quiet);

            if (asJson)
            {
                plan["out"] = dir is null ? null : Path.GetFullPath(dir);
                plan["files"] = Json.Strings(written);
                io.Out.WriteLine(Json.Serialize(plan));
                return 0;
            }
            foreach (var w in design.Warnings) io.Err.WriteLine($"warning: {w}");
            if (!silent)
                foreach (var note in design.Notes) io.Err.WriteLine($"note: {note}");
            if (r.GetValue(quiet))
            {
                if (dir is null) io.Out.Write(SweepFiles.Csv(design, settings));
                else io.Out.WriteLine($"{dir}: {design.Runs.Count} runs, {Format.Percent(design.Cost.Fraction, 1)} of the target run's compute");
                return 0;
            }
            Print(io, design, settings, dir, written);
            return 0;
        });
        return command;
    }

    private static SweepFileSettings Settings(ParseResult r, Option<string> logDir, Option<string> trainCommand, Option<string> project,
        Option<string> entity, Option<string> jobName, Option<string> partition, Option<string> time, Option<double?> gpus,
        Option<double?> maxParallel, Option<string[]> slurmOption)
    {
        string logs = r.GetValue(logDir) ?? "runs";
        if (SweepFiles.LogDirProblem(logs) is { } badLogs) throw new UserInputException($"--log-dir: {badLogs}");
        string? template = r.GetValue(trainCommand);
        if (template is not null && SweepFiles.TemplateProblem(template) is { } badTemplate) throw new UserInputException($"--train-command: {badTemplate}");
        var extra = r.GetValue(slurmOption) ?? [];
        foreach (var line in extra)
            if (!line.StartsWith("--", StringComparison.Ordinal) || line.IndexOfAny(['\n', '\r']) >= 0)
                throw new UserInputException($"--slurm-option: '{line}' is not one sbatch option starting with -- (e.g. --account=lab).");
        return new SweepFileSettings(logs, template)
        {
            Project = Name(r.GetValue(project), "--project"),
            Entity = Name(r.GetValue(entity), "--entity"),
            JobName = Name(r.GetValue(jobName), "--job-name") ?? "hyperlaws-sweep",
            Partition = Name(r.GetValue(partition), "--partition", allowComma: true),
            Time = r.GetValue(time) is { } tl ? (SlurmTime().IsMatch(tl) ? tl : throw new UserInputException($"--time: '{tl}' is not a Slurm time limit (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS).")) : null,
            Gpus = Whole(r.GetValue(gpus), "--gpus", 1, 1024),
            MaxParallel = Whole(r.GetValue(maxParallel), "--max-parallel", 1, 1_000_000),
            SlurmOptions = extra,
        };
    }

    /// <summary>Builds every file's text first, then writes each atomically: a bad folder fails before anything is written.</summary>
    private static List<string> Write(string dir, SweepDesign design, SweepFileSettings s, JsonObject plan)
    {
        string logsForCommands = Path.IsPathRooted(s.LogDir) ? s.LogDir : Path.Combine(dir, s.LogDir);
        var files = new (string Name, string Text)[]
        {
            (SweepFiles.CsvName, SweepFiles.Csv(design, s)),
            (SweepFiles.JsonName, Json.Serialize(plan) + "\n"),
            (SweepFiles.RunnerName, SweepFiles.RowRunner(s)),
            (SweepFiles.SlurmName, SweepFiles.Slurm(design, s)),
            (SweepFiles.WandbName, SweepFiles.WandbYaml(design, s)),
            (SweepFiles.ResultsName, SweepFiles.Results(design, s, logsForCommands)),
        };
        if (File.Exists(dir)) throw new UserInputException($"--out: {dir} is a file, not a folder.");
        // All six files or none: staged, then moved into place together (OutputFolder).
        using (var folder = OutputFolder.Begin("--out", dir))
        {
            foreach (var (name, text) in files) Files.WriteAtomic(Path.Combine(folder.Staging, name), text);
            folder.Commit();
        }
        var written = files.Select(f => Path.Combine(dir, f.Name)).ToList();
        Files.Guard(dir, () => Directory.CreateDirectory(Path.Combine(dir, SweepFiles.SlurmLogDir)));
        Files.Guard(logsForCommands, () => Directory.CreateDirectory(logsForCommands));
        Files.Guard(dir, () =>
        {
            string runner = Path.Combine(dir, SweepFiles.RunnerName);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(runner, File.GetUnixFileMode(runner) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            return 0;
        });
        return written;
    }

    private static void Print(CliIo io, SweepDesign d, SweepFileSettings s, string? dir, List<string> written)
    {
        var o = d.Options;
        var console = io.Table();
        console.MarkupLine(Markup.Escape($"calibration sweep for N = {Format.Count(o.Params)}, T = {Format.Count(o.Tokens)} tokens ({o.Optimizer.Name()}), centred on {d.Budgets[0].Anchor.Rule}"));
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("budget").AddColumn(new TableColumn("tokens").RightAligned()).AddColumn(new TableColumn("anchor LR").RightAligned())
            .AddColumn(new TableColumn("anchor batch").RightAligned()).AddColumn("batches (seq)").AddColumn("peak LRs").AddColumn(new TableColumn("steps").RightAligned())
            .AddColumn(new TableColumn("runs").RightAligned());
        foreach (var b in d.Budgets)
        {
            var runs = d.Runs.Where(x => x.Budget == b.Index).ToList();
            table.AddRow($"d{b.Index}", Format.Count(b.Tokens), Format.G(b.Anchor.LearningRate, 3), Format.Count(b.Anchor.BatchTokens, 3),
                string.Join(", ", b.BatchSequences), string.Join(", ", b.LearningRates.Select(x => Format.G(x, 3))),
                $"{runs.Min(x => x.Steps)}..{runs.Max(x => x.Steps)}", runs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        console.Write(table);
        console.MarkupLine(Markup.Escape($"cost: {d.Runs.Count} runs of N = {Format.Count(d.SweepParams)}, {Format.Count(d.Cost.Tokens)} tokens, {Format.G(d.Cost.Flops)} FLOPs (6 N D) = {Format.Percent(d.Cost.Fraction, 1)} of the target run's {Format.G(d.Cost.TargetFlops)}"));
        if (dir is null)
        {
            static string I(int v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var runsTable = new Table().Border(TableBorder.Simple).AddColumn("run_id").AddColumn(new TableColumn("peak lr").RightAligned())
                .AddColumn(new TableColumn("batch (seq)").RightAligned()).AddColumn(new TableColumn("steps").RightAligned())
                .AddColumn(new TableColumn("warmup").RightAligned()).AddColumn("schedule");
            foreach (var x in d.Runs)
                runsTable.AddRow(x.RunId, Format.G(x.LearningRate, 3), I(x.BatchSequences), I(x.Steps), I(x.Warmup),
                    x.CooldownSteps > 0 ? $"{x.Schedule.Family}, cooldown {I(x.CooldownSteps)} steps" : x.Schedule.Family.Name);
            console.Write(runsTable);
            console.MarkupLine("nothing written: give --out DIR to write sweep.csv, sweep.json, sweep.slurm, run-row.sh, wandb-sweep.yaml, RESULTS.md.");
            return;
        }
        console.MarkupLine(Markup.Escape($"written: {string.Join(", ", written)}"));
        string logs = Path.IsPathRooted(s.LogDir) ? s.LogDir : Path.Combine(dir, s.LogDir);
        console.MarkupLine(Markup.Escape($"next: cd {dir} && sbatch sweep.slurm (or wandb sweep wandb-sweep.yaml); each run writes {s.LogDir}/<run_id>.csv (see RESULTS.md); " +
            $"then hyperlaws fit --law optlaw --runs {logs} --out LAW.json"));
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

    private static List<double> Budgets(string[] items)
    {
        var list = new List<double>();
        foreach (var text in items.SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Quantity.TryParse(text, out double v) || !(v > 0) || !(v <= 1e30))
                throw new UserInputException($"--budgets: '{ErrorText.Echo(text)}' is not a positive number of tokens (at most 1e30; examples: 2e7, 60M).");
            list.Add(v);
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

    private static string? Name(string? value, string option, bool allowComma = false)
    {
        if (value is null) return null;
        var ok = allowComma ? SlurmList() : SimpleName();
        return ok.IsMatch(value) ? value : throw new UserInputException($"{option}: '{value}' is not a plain name (letters, digits, . _ -{(allowComma ? " and commas" : "")}).");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$")]
    private static partial Regex SimpleName();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+(,[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex SlurmList();

    [GeneratedRegex(@"^(\d+-\d+(:\d+(:\d+)?)?|\d+(:\d+(:\d+)?)?)$")]
    private static partial Regex SlurmTime();
}
