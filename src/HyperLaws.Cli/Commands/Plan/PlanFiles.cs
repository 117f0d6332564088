using HyperLaws.Cli.Output;
using HyperLaws.Planning;
using HyperLaws.Plotting.Reports;

namespace HyperLaws.Cli.Commands.Plan;

/// <summary>Writes a plan's files: plan.json, the figures (PNG, SVG, CSV) and report.html, the report last.</summary>
internal static class PlanFiles
{
    /// <summary>
    /// Writes the files (plan.json and the report carry <paramref name="provenance"/>) into a staging folder of <paramref name="directory"/> (<see cref="OutputFolder"/>), then moves
    /// them into place, report.html last; returns their paths in that order. Interrupted, it leaves the folder as it was.
    /// </summary>
    public static IReadOnlyList<string> Write(TrainingPlan plan, string directory, Provenance provenance, TextWriter? progress)
    {
        string json = Path.Combine(directory, "plan.json");
        progress?.WriteLine($"plan: writing {json} ...");
        using var folder = OutputFolder.Begin("--out", directory);
        ResultOutput.WriteJsonFile(Path.Combine(folder.Staging, "plan.json"), PlanOutput.ToJson(plan, provenance));
        // The figure data cost law evaluations: computed now, for the report only.
        progress?.WriteLine("plan: figure data (loss curves, contour, divergence margin) ...");
        var data = PlanFigureData.Compute(plan);
        progress?.WriteLine($"plan: drawing the figures and writing {PlanReport.FileName} ...");
        Files.Guard(directory, () => PlanReport.Write(plan, folder.Staging, provenance.Line + "\nRerun: " + provenance.Command, PlanOutput.Text, data));
        return folder.Commit("plan.json", PlanReport.FileName);
    }
}
