using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Planning;
using HyperLaws.Planning.Sweeps;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Sweep;

/// <summary><c>sweep</c>'s design as the six files under --out, a console plan, the CSV (--quiet) or one JSON object.</summary>
internal static class SweepRenderer
{
    public static void Write(CliIo io, SweepSettings settings, SweepDesign design, JsonObject plan, List<string> written)
    {
        string? dir = settings.OutDir;
        bool silent = settings.Json || settings.Quiet;
        if (settings.Json)
        {
            plan["out"] = dir is null ? null : Path.GetFullPath(dir);
            plan["files"] = Json.Strings(written);
            ResultOutput.WriteJson(io, plan);
            return;
        }
        foreach (var w in design.Warnings) io.Err.WriteLine($"warning: {w}");
        if (!silent)
            foreach (var note in design.Notes) io.Err.WriteLine($"note: {note}");
        if (settings.Quiet)
        {
            if (dir is null) io.Out.Write(SweepFiles.Csv(design, settings.Files));
            else io.Out.WriteLine($"{dir}: {design.Runs.Count} runs, {Format.Percent(design.Cost.Fraction, 1)} of the target run's compute");
            return;
        }
        Print(io, design, settings.Files, dir, written);
    }

    /// <summary>Builds every file's text first, then writes each atomically: a bad folder fails before anything is written.</summary>
    public static List<string> WriteFiles(string dir, SweepDesign design, SweepFileSettings s, JsonObject plan)
    {
        string logsForCommands = Path.IsPathRooted(s.LogDir) ? s.LogDir : Path.Combine(dir, s.LogDir);
        var files = new (string Name, string Text)[]
        {
            (SweepFiles.CsvName, SweepFiles.Csv(design, s)),
            (SweepFiles.JsonName, ResultOutput.JsonText(plan) + "\n"),
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
}
