using HyperLaws.Cli.Output;
using HyperLaws.Planning;
using HyperLaws.Plotting.Reports;

namespace HyperLaws.Cli.Commands;

/// <summary>Writes a plan's files: plan.json, the figures (PNG, SVG, CSV) and report.html, the report last.</summary>
internal static class PlanFiles
{
    /// <summary>Writes the files into <paramref name="directory"/> and returns their paths, report.html last.</summary>
    public static IReadOnlyList<string> Write(TrainingPlan plan, string directory, string meta, TextWriter? progress)
    {
        string json = Path.Combine(directory, "plan.json");
        progress?.WriteLine($"plan: writing {json} ...");
        Files.WriteAtomic(json, Json.Serialize(PlanOutput.ToJson(plan)));
        // The figure data cost law evaluations: computed now, for the report only.
        progress?.WriteLine("plan: figure data (loss curves, contour, divergence margin) ...");
        var data = PlanFigureData.Compute(plan);
        progress?.WriteLine($"plan: drawing the figures and writing {PlanReport.FileName} ...");
        var report = Files.Guard(directory, () => PlanReport.Write(plan, directory, meta, PlanOutput.Text, data));
        return [json, .. report];
    }
}
