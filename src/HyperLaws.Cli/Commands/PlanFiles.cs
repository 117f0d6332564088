using HyperLaws.Cli.Output;
using HyperLaws.Planning;

namespace HyperLaws.Cli.Commands;

/// <summary>Writes a plan's files: plan.json (and, once the report lands, report.html with its figures), the report last.</summary>
internal static class PlanFiles
{
    /// <summary>Writes the files into <paramref name="directory"/> and returns their paths, the main one last.</summary>
    public static IReadOnlyList<string> Write(TrainingPlan plan, string directory, TextWriter? progress)
    {
        string json = Path.Combine(directory, "plan.json");
        progress?.WriteLine($"plan: writing {json} ...");
        Files.WriteAtomic(json, Json.Serialize(PlanOutput.ToJson(plan)));
        return [json];
    }
}
