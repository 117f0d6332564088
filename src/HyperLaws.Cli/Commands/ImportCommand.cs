using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws import FILE --out RUN.csv</c>: reads a log in a layout the other commands cannot read alone (columns
/// named otherwise, a loss-only W&amp;B chart export that needs a schedule, LRs logged every k steps) and writes it in the
/// generic run format (docs/RUN-FORMATS.md) with the LR of every step, so that fit, plan, rank and the rest read it.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliIo io)
    {
        var file = new Argument<string>("FILE") { Description = "The log: a W&B UI 'Download CSV' or run.history() CSV export, or any CSV with a header (name its columns)." };
        var stepColumn = new Option<string>("--step-column") { Description = "The step column (default: step, _step or Step).", HelpName = "NAME" };
        var lossColumn = new Option<string>("--loss-column") { Description = "The loss column (default: train/loss, loss, train_loss, ...); for a W&B UI export the metric part of 'RUN - METRIC' is enough.", HelpName = "NAME" };
        var lrColumn = new Option<string>("--lr-column") { Description = "The LR column (default: lr, learning_rate, train/lr, ...).", HelpName = "NAME" };
        var metric = new Option<string>("--metric") { Description = "The loss metric's name (e.g. train/loss): the same as --loss-column, for W&B exports.", HelpName = "NAME" };
        var schedule = new Option<string>("--schedule") { Description = "The run's LR schedule (a spec, e.g. 'cosine(peak=3e-4,warmup=2000,steps=20000,floor=3e-5)') when the log has no LR or only some; logged LRs are checked against it.", HelpName = "SPEC" };
        var interpolate = CliOptions.Flag("--interpolate-lr", "Without a schedule: fill the steps between logged LRs by linear interpolation (the first logged LR before it, the last after it).");
        var parameters = new Option<string>("--params") { Description = "Model size in parameters (e.g. 125M), recorded in the run file.", HelpName = "N" };
        var tokensPerStep = new Option<string>("--tokens-per-step") { Description = "Tokens per optimizer step (batch x sequence length), recorded in the run file.", HelpName = "B" };
        var output = new Option<string>("--out") { Description = "The run file to write (generic CSV); its per-step LRs go beside it as <name>.lr.csv.", Required = true, HelpName = "RUN.csv" };
        var json = CliOptions.Json();
        var command = new Command("import", "Read a tracker's export or any CSV log (named columns, sparse LRs) and write it as a run file every command reads.");
        command.Arguments.Add(file);
        foreach (var o in new Option[] { stepColumn, lossColumn, lrColumn, metric, schedule, interpolate, parameters, tokensPerStep, output, json }) command.Options.Add(o);
        command.SetAction(r =>
        {
            string path = r.GetValue(file)!;
            if (!File.Exists(path)) throw new UserInputException($"{path}: no such file.");
            if (r.GetValue(lossColumn) is not null && r.GetValue(metric) is not null) throw new UserInputException("--metric and --loss-column name the same column: give one.");
            double? n = r.GetValue(parameters) is { } p ? CliOptions.RequiredPositive(p, "--params", "a model size, e.g. 125M", "import") : null;
            double? b = r.GetValue(tokensPerStep) is { } t ? CliOptions.RequiredPositive(t, "--tokens-per-step", "tokens per step, e.g. 512k", "import") : null;
            var options = new RunReadOptions
            {
                StepColumn = r.GetValue(stepColumn),
                LossColumn = r.GetValue(lossColumn) ?? r.GetValue(metric),
                LrColumn = r.GetValue(lrColumn),
                Schedule = r.GetValue(schedule),
                InterpolateLr = r.GetValue(interpolate),
            };
            TrainingRun run;
            try
            {
                run = RunReader.Read(path, options);
            }
            catch (FormatException e)
            {
                throw new UserInputException(e.Message);
            }
            string outPath = r.GetValue(output)!;
            string lrPath = Path.ChangeExtension(outPath, null) + ".lr.csv";
            Files.WriteAtomic(lrPath, PlanExport.Csv(run.LearningRates));
            Files.WriteAtomic(outPath, RunFile(run, path, Path.GetFullPath(lrPath), n, b));
            if (r.GetValue(json))
            {
                io.Out.WriteLine(Json.Serialize(new JsonObject
                {
                    ["run"] = run.Name, ["steps"] = run.Steps, ["losses"] = run.Observations.Count, ["diverged"] = run.Diverged,
                    ["lr"] = run.Metadata.Tags.TryGetValue("lr", out var how) ? how : run.Metadata.Schedule is { } spec ? $"schedule {spec}" : "logged at every step",
                    ["out"] = outPath, ["lrFile"] = lrPath,
                }));
                return 0;
            }
            io.Out.WriteLine($"{run.Name}: {run.Steps} steps, {run.Observations.Count} losses{(run.Diverged ? " (diverged)" : "")}; written: {outPath} and {lrPath}");
            return 0;
        });
        return command;
    }

    /// <summary>The run in the generic CSV format: metadata, the LR of every step as a table schedule, the losses.</summary>
    private static string RunFile(TrainingRun run, string source, string lrFile, double? parameters, double? tokensPerStep)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"# name: {run.Name}\n");
        sb.Append(inv, $"# imported_from: {Path.GetFullPath(source)}\n");
        if ((parameters ?? run.Metadata.Parameters) is { } n) sb.Append(inv, $"# params: {n:R}\n");
        if ((tokensPerStep ?? run.Metadata.TokensPerStep) is { } b) sb.Append(inv, $"# tokens_per_step: {b:R}\n");
        if (run.Metadata.Tags.TryGetValue("lr", out var how)) sb.Append(inv, $"# lr_source: {how}\n");
        sb.Append(inv, $"# schedule: table(file=\"{lrFile.Replace("\"", "", StringComparison.Ordinal)}\", column=lr)\n");
        sb.Append("step,loss,split\n");
        foreach (var o in run.Observations)
            sb.Append(inv, $"{o.Step},{o.Loss:R},{(o.Split == LossSplit.Train ? "train" : "val")}\n");
        return sb.ToString();
    }
}
