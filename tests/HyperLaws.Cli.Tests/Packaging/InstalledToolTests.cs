using System.Text.Json.Nodes;
using HyperLaws.Cli.Tests.Commands;
using HyperLaws.Optimum;
using HyperLaws.Planning;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Tests.Packaging;

using Xunit;

/// <summary>
/// The packed and installed tool run from a temporary folder outside the repository (issue 11): the shipped data (the
/// MPL curves, the divergence prior, the optimised schedules) travels inside the tool, and the files a command writes
/// name their inputs so that they resolve from another folder. The LR-annealing law (tissue) keeps each run short.
/// The demo's tests and the shipped-runs notice of a plan without --runs are checked here, on the installed tool's runs
/// (they were DemoCommandTests and PlanNoticeTests, in-process runs of the same commands: issue 12, one demo and one plan less).
/// </summary>
public sealed class InstalledToolTests(InstalledTool tool) : IClassFixture<InstalledTool>
{
    [Fact]
    public void Demo_runs_outside_the_repository_with_the_divergence_screen()
    {
        var r = tool.Demo;
        Assert.True(r.ExitCode == 0, $"demo exited {r.ExitCode}: {r.Stderr}");
        var plan = ReadJson(Path.Combine(tool.DemoOut, "plan", "plan.json"));
        Assert.NotNull(plan["best"]!["diverges"]);
        Assert.True(File.Exists(Path.Combine(tool.DemoOut, "plan", "report.html")));
    }

    // The demo's own tests (they were DemoCommandTests, on an in-process run of the same command line: one demo less in the suite).

    [Fact]
    public void Quiet_demo_succeeds_with_nothing_on_stderr()
    {
        Assert.Equal(0, tool.Demo.ExitCode);
        Assert.Equal("", tool.Demo.Stderr);
    }

    [Fact]
    public void Demo_writes_a_passing_verify_json_and_the_figures_it_lists()
    {
        string dir = Path.Combine(tool.DemoOut, "lmo");
        Assert.True(tool.Demo.ExitCode == 0, tool.Demo.Stderr);
        var json = ReadJson(Path.Combine(dir, "verify.json"));
        Assert.True(json["allPassed"]!.GetValue<bool>());
        var files = json["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        foreach (var name in new[] { "figure1-best-proxy.png", "figure1-best-proxy.svg", "figure3-contour.png" })
        {
            Assert.True(new FileInfo(Path.Combine(dir, name)).Length > 0, $"{name} missing or empty");
            Assert.Contains(files, f => Path.GetFileName(f) == name);
        }
    }

    [Fact]
    public void Demo_plans_ten_times_the_largest_shipped_run_and_writes_the_report()
    {
        string dir = Path.Combine(tool.DemoOut, "plan");
        Assert.True(tool.Demo.ExitCode == 0, tool.Demo.Stderr);
        var plan = ReadJson(Path.Combine(dir, "plan.json"));
        // The largest shipped run: 400M, 72,000 steps, its batch assumed to be Step Law's optimum for its own budget.
        double largest = 72000 * RunReferences.SelfConsistentBatch(StepLawRule.Instance, 4e8, 72000);
        Assert.Equal(4e8, plan["request"]!["parameters"]!.GetValue<double>());
        Assert.Equal(10 * largest, plan["request"]!["tokens"]!.GetValue<double>(), 1e-6 * largest);
        Assert.Equal("tissue", plan["law"]!.GetValue<string>());
        Assert.NotEmpty(plan["reasons"]!.AsArray());

        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        // plan.json keeps the canonical spec (floor=6.67E-05); the report shows it to people (floor=6.67e-05).
        Assert.Contains(LrSchedule.Parse(plan["best"]!["schedule"]!.GetValue<string>()).ToDisplaySpec(), html, StringComparison.Ordinal);
        foreach (var figure in new[] { "scaling-lr", "scaling-batch", "loss-curves", "lr-schedules", "contour", "divergence-margin", "held-out-tissue" })
            Assert.True(new FileInfo(Path.Combine(dir, figure + ".png")).Length > 0, $"{figure}.png missing or empty");
        Assert.True(html.Split("data:image/png;base64,").Length - 1 >= 7, "the report embeds fewer than 7 figures");
    }

    [Fact]
    public void The_demo_plans_rerun_command_gives_the_same_plan()
    {
        Assert.True(tool.Demo.ExitCode == 0, tool.Demo.Stderr);
        var plan = ReadJson(Path.Combine(tool.DemoOut, "plan", "plan.json"));
        string command = (string)plan["provenance"]!["command"]!;
        Assert.Contains("--laws tissue", command, StringComparison.Ordinal);
        using var tmp = new TempDir(create: false);
        // The same command into another folder (its --out replaced) and as JSON, in process (its paths are absolute: the tool's data).
        string[] words = PlanProvenanceTests.ShellWords(command);
        int at = Array.IndexOf(words, "--out");
        words[at + 1] = tmp.Path;
        var again = Cli.Run([.. words[1..], "--json"]);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(plan["best"]!.ToJsonString(), again.Json()["best"]!.ToJsonString());
        Assert.Equal(plan["request"]!.ToJsonString(), again.Json()["request"]!.ToJsonString());
    }

    [Fact]
    public void Demo_prints_the_held_out_errors_of_each_size_and_where_the_report_is()
    {
        string stdout = tool.Demo.Stdout;
        foreach (var size in new[] { "25M", "100M", "400M" })
            Assert.Contains($"{size}: best held-out PredE tissue", stdout, StringComparison.Ordinal);
        Assert.Contains("report: " + Path.GetFullPath(Path.Combine(tool.DemoOut, "plan", "report.html")), stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_without_runs_uses_the_shipped_curves_screens_divergence_and_says_so()
    {
        // Without --json, so that stderr has the notice (issue 11: it was PlanNoticeTests' in-process plan, one plan less in the suite).
        var r = tool.Run(tool.Work, "plan", "--params", "1.3B", "--tokens", "26B", "--laws", "tissue", "--out", "plan-out");
        Assert.True(r.ExitCode == 0, $"plan exited {r.ExitCode}: {r.Stderr}");
        var plan = ReadJson(Path.Combine(tool.Work, "plan-out", "plan.json"));
        Assert.NotNull(plan["best"]!["diverges"]);
        Assert.InRange(JsonAssert.Number(plan["best"], "divergenceProbability"), 0, 1);
        var runs = plan["runs"]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
        Assert.Equal(27, runs.Count);
        // The shipped curves come from the tool's own folder, not from the working folder.
        Assert.All(runs, x => Assert.StartsWith(tool.ToolPath, x, StringComparison.Ordinal));
        // A plan made without --runs says that it uses the shipped runs, and where they are: the tool's folder.
        string notice = Assert.Single(r.Stderr.Split('\n'), l => l.StartsWith("plan: no --runs given", StringComparison.Ordinal));
        Assert.EndsWith(Path.Combine("data", "MultiPowerLaw", "loss_curve_repo") + ")", notice, StringComparison.Ordinal);
        string named = notice[(notice.IndexOf('(', StringComparison.Ordinal) + 1)..^1];
        Assert.True(Path.IsPathRooted(named), notice);
        Assert.StartsWith(tool.ToolPath, named, StringComparison.Ordinal);
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
