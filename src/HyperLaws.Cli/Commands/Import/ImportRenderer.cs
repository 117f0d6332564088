using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Import;

/// <summary>An imported run as files (the run file and its LRs), a summary line or one JSON object.</summary>
internal static class ImportRenderer
{
    /// <summary>Writes the LR file, then the run file that names it (each atomically).</summary>
    public static void WriteFiles(ImportSettings settings, TrainingRun run)
    {
        Files.WriteAtomic(settings.LrPath, PlanExport.Csv(run.LearningRates));
        Files.WriteAtomic(settings.OutPath, RunFile(run, settings.File, LrFileFromRunFile(settings), settings.Parameters, settings.TokensPerStep, settings.Optimizer));
    }

    /// <summary>
    /// The LR file as the run file names it: relative to the run file's folder (the table spec resolves a relative file there), so the
    /// pair can be moved or shared together (was: an absolute path, broken once the folder moved).
    /// </summary>
    internal static string LrFileFromRunFile(ImportSettings settings) =>
        Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(settings.OutPath))!, Path.GetFullPath(settings.LrPath));

    public static void Write(CliIo io, ImportSettings settings, TrainingRun run)
    {
        if (settings.Json)
        {
            ResultOutput.WriteJson(io, new JsonObject
            {
                ["run"] = run.Name, ["steps"] = run.Steps, ["losses"] = run.Observations.Count, ["diverged"] = run.Diverged,
                ["lr"] = run.Metadata.Tags.TryGetValue(ReaderTags.LrFilledIn, out var how) ? how : run.Metadata.Schedule is { } spec ? $"schedule {spec}" : "logged at every step",
                ["out"] = settings.OutPath, ["lrFile"] = settings.LrPath,
                ["tornTail"] = run.Metadata.Tags.TryGetValue(ReaderTags.TornTail, out var torn) ? torn : null,
            });
            return;
        }
        foreach (var note in LawRuns.ReaderNotes([run])) io.Err.WriteLine(note);
        io.Out.WriteLine($"{run.Name}: {run.Steps} steps, {run.Observations.Count} losses{(run.Diverged ? " (diverged)" : "")}; written: {settings.OutPath} and {settings.LrPath}");
    }

    /// <summary>The run in the generic CSV format: metadata, the LR of every step as a table schedule, the losses.</summary>
    private static string RunFile(TrainingRun run, string source, string lrFile, double? parameters, double? tokensPerStep, string? optimizer)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        // Every header value on its one line, whatever the reader gave (a run name with a newline would start a line of its own).
        static string H(string v) => v.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        sb.Append(inv, $"# name: {H(run.Name)}\n");
        sb.Append(inv, $"# imported_from: {H(Path.GetFullPath(source))}\n");
        if ((parameters ?? run.Metadata.Parameters) is { } n) sb.Append(inv, $"# params: {n:R}\n");
        if ((tokensPerStep ?? run.Metadata.TokensPerStep) is { } b) sb.Append(inv, $"# tokens_per_step: {b:R}\n");
        if (run.Metadata.SequenceLength is { } len) sb.Append(inv, $"# sequence_length: {len}\n");
        if ((optimizer ?? run.Metadata.Optimizer) is { Length: > 0 } opt) sb.Append(inv, $"# optimizer: {H(opt)}\n");
        if (run.Metadata.Tags.TryGetValue(ReaderTags.LrFilledIn, out var how)) sb.Append(inv, $"# lr_source: {H(how)}\n");
        if (run.Metadata.Tags.TryGetValue("trainLosses", out var kind)) sb.Append(inv, $"# train_losses: {H(kind)}\n");
        if (run.Metadata.Tags.TryGetValue(ReaderTags.TornTail, out var torn)) sb.Append(inv, $"# torn_tail: {H(torn)}\n");
        sb.Append(inv, $"# schedule: table(file=\"{H(lrFile.Replace("\"", "", StringComparison.Ordinal))}\", column=lr)\n");
        sb.Append("step,loss,split\n");
        foreach (var o in run.Observations)
            sb.Append(inv, $"{o.Step},{o.Loss:R},{(o.Split == LossSplit.Train ? "train" : "val")}\n");
        return sb.ToString();
    }
}
