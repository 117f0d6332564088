using HyperLaws.Cli.Output;
using HyperLaws.Planning;
using HyperLaws.Plotting.Reports;

namespace HyperLaws.Cli.Commands;

/// <summary>Writes a plan's files: plan.json, the figures (PNG, SVG, CSV) and report.html, the report last.</summary>
internal static class PlanFiles
{
    /// <summary>
    /// Writes the files into a staging folder of <paramref name="directory"/> (<see cref="OutputFolder"/>), then moves
    /// them into place, report.html last; returns their paths in that order. Interrupted, it leaves the folder as it was.
    /// </summary>
    public static IReadOnlyList<string> Write(TrainingPlan plan, string directory, string meta, TextWriter? progress)
    {
        progress?.WriteLine($"plan: writing {Path.Combine(directory, "plan.json")}, the figures and {PlanReport.FileName} ...");
        using var folder = OutputFolder.Begin("--out", directory);
        Files.WriteAtomic(Path.Combine(folder.Staging, "plan.json"), Json.Serialize(PlanOutput.ToJson(plan)));
        Files.Guard(directory, () => PlanReport.Write(plan, folder.Staging, meta));
        return folder.Commit("plan.json", PlanReport.FileName);
    }
}
