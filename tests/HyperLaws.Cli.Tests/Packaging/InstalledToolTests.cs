using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Packaging;

using Xunit;

/// <summary>
/// The packed and installed tool run from a temporary folder outside the repository (issue 11): the shipped data (the
/// MPL curves, the divergence prior, the optimised schedules) travels inside the tool, and the files a command writes
/// name their inputs so that they resolve from another folder. The LR-annealing law (tissue) keeps each run short.
/// </summary>
public sealed class InstalledToolTests(InstalledTool tool) : IClassFixture<InstalledTool>
{
    [Fact]
    public void Demo_runs_outside_the_repository_with_the_divergence_screen()
    {
        var r = tool.Run(tool.Work, "demo", "--quiet", "--laws", "tissue", "--out", "demo-out");
        Assert.True(r.ExitCode == 0, $"demo exited {r.ExitCode}: {r.Stderr}");
        var plan = ReadJson(Path.Combine(tool.Work, "demo-out", "plan", "plan.json"));
        Assert.NotNull(plan["best"]!["diverges"]);
        Assert.True(File.Exists(Path.Combine(tool.Work, "demo-out", "plan", "report.html")));
    }

    [Fact]
    public void Plan_without_runs_uses_the_shipped_curves_and_screens_divergence()
    {
        var r = tool.Run(tool.Work, "plan", "--params", "1.3B", "--tokens", "26B", "--laws", "tissue", "--out", "plan-out", "--json");
        Assert.True(r.ExitCode == 0, $"plan exited {r.ExitCode}: {r.Stderr}");
        var plan = r.Json();
        Assert.NotNull(plan["best"]!["diverges"]);
        Assert.InRange(JsonAssert.Number(plan["best"], "divergenceProbability"), 0, 1);
        var runs = plan["runs"]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
        Assert.Equal(27, runs.Count);
        // The shipped curves come from the tool's own folder, not from the working folder.
        Assert.All(runs, x => Assert.StartsWith(tool.ToolPath, x, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_protocol_1_reads_the_shipped_curves()
    {
        var r = tool.Run(tool.Work, "validate", "--protocol", "1", "--sizes", "25", "--laws", "tissue", "--json");
        Assert.True(r.ExitCode == 0, $"validate exited {r.ExitCode}: {r.Stderr}");
        Assert.Contains("tissue", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_law_fitted_in_one_folder_ranks_and_optimises_from_another()
    {
        // A user's runs, given to 'fit' by paths relative to where it runs, the law written elsewhere.
        string project = Path.Combine(tool.Work, "project");
        Directory.CreateDirectory(Path.Combine(project, "runs"));
        string shipped = Directory.GetDirectories(Path.Combine(tool.ToolPath, ".store"), "csv_25", SearchOption.AllDirectories).Single();
        string[] names = ["constant_24000.csv", "cosine_24000.csv", "wsd_20000_24000.csv"];
        foreach (string name in names) File.Copy(Path.Combine(shipped, name), Path.Combine(project, "runs", name));
        var fit = tool.Run(project, ["fit", "--law", "tissue", "--out", Path.Combine("laws", "LAW.json"), "--json", "--runs", .. names.Select(n => Path.Combine("runs", n))]);
        Assert.True(fit.ExitCode == 0, $"fit exited {fit.ExitCode}: {fit.Stderr}");
        var law = ReadJson(Path.Combine(project, "laws", "LAW.json"));
        Assert.All(law["runs"]!.AsArray(), x => Assert.True(Path.IsPathRooted(x!.GetValue<string>()), $"LAW.json names a run by a relative path: {x}"));

        string elsewhere = Path.Combine(tool.Work, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        string lawPath = Path.Combine(project, "laws", "LAW.json");
        var rank = tool.Run(elsewhere, "rank", "--law", lawPath, "--steps", "24000", "--json");
        Assert.True(rank.ExitCode == 0, $"rank exited {rank.ExitCode}: {rank.Stderr}");
        var ranked = rank.Json();
        Assert.Equal(3, ranked["trainingRange"]!["runs"]!.GetValue<int>());
        Assert.DoesNotContain(ranked["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("were not found", StringComparison.Ordinal));

        var optimised = tool.Run(elsewhere, "optimize-schedule", "--law", lawPath, "--steps", "24000", "--evaluations", "200", "--out", "schedule.csv", "--json");
        Assert.True(optimised.ExitCode == 0, $"optimize-schedule exited {optimised.ExitCode}: {optimised.Stderr}");
        Assert.Equal(3e-4, JsonAssert.Number(optimised.Json(), "peak"), 1e-12);
        Assert.True(File.Exists(Path.Combine(elsewhere, "schedule.csv")));
    }

    [Fact]
    public void The_package_ships_the_curves_with_their_licence_and_the_notices()
    {
        string shipped = Directory.GetDirectories(Path.Combine(tool.ToolPath, ".store"), "MultiPowerLaw", SearchOption.AllDirectories).Single();
        Assert.Contains("MIT License", File.ReadAllText(Path.Combine(shipped, "LICENSE")), StringComparison.Ordinal);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(shipped, "optimized_schedules"), "*.npy").Length);
        string tools = Path.GetDirectoryName(Path.GetDirectoryName(shipped))!;
        Assert.True(File.Exists(Path.Combine(tools, "data", "priors", "divergence-steplaw.json")));
        Assert.True(File.Exists(Path.Combine(tools, "THIRD-PARTY-NOTICES.md")));
    }

    private static JsonObject ReadJson(string path) => Assert.IsType<JsonObject>(JsonNode.Parse(File.ReadAllText(path)));
}
