using HyperLaws.Cli.Output;
using HyperLaws.Planning;

namespace HyperLaws.Cli.Commands.Plan;

/// <summary>
/// Renders a plan: its files (plan.json, the figures and report.html through <see cref="PlanFiles"/>, the trainer's files
/// through <see cref="PlanExport"/>), then one JSON object (--json) or the tables and the report's path.
/// </summary>
internal static class PlanRenderer
{
    /// <summary>
    /// Writes the plan's files and prints it; returns the exit code. The tables are laid out beside the files (<see cref="CliIo.TableText"/>,
    /// on the core the figures leave idle at times) and printed once the files are written, as before: a plan whose files fail prints none.
    /// </summary>
    public static int Write(CliIo io, TrainingPlan plan, string outDir, bool asJson, bool chatty, string? exportDir, Provenance provenance)
    {
        var tables = asJson ? null : Task.Run(() => io.TableText(console => PlanOutput.Write(console, plan)));
        var files = PlanFiles.Write(plan, outDir, provenance, chatty ? io.Err : null);
        if (exportDir is not null) files = [.. PlanExport.Write(plan, exportDir), .. files];
        if (asJson)
        {
            var node = PlanOutput.ToJson(plan, provenance);
            node["files"] = Json.Strings(files);
            ResultOutput.WriteJson(io, node);
            return 0;
        }
        io.Out.Write(tables!.GetAwaiter().GetResult());
        io.Out.WriteLine($"report: {Path.GetFullPath(files[^1])}");
        return 0;
    }
}
