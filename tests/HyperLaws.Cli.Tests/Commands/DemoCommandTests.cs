using System.Text.Json.Nodes;
using HyperLaws.Optimum;
using HyperLaws.Planning;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// One run of <c>hyperlaws demo --quiet --laws tissue</c> into a temporary folder, shared by the demo tests (the LR-annealing
/// law fits in milliseconds, so the run takes seconds; the default laws take about 25 s).
/// </summary>
public sealed class DemoRun : IDisposable
{
    private readonly TempDir _dir = new(create: false);

    public DemoRun() => Result = Cli.Run("demo", "--out", _dir.Path, "--quiet", "--laws", "tissue");

    public string OutDir => _dir.Path;

    internal CliResult Result { get; }

    public void Dispose() => _dir.Dispose();
}

/// <summary><c>hyperlaws demo</c>: runs with no input and leaves the LMO check, the plan and its report in --out.</summary>
public sealed class DemoCommandTests(DemoRun demo) : IClassFixture<DemoRun>
{
    [Fact]
    public void Quiet_demo_succeeds_with_nothing_on_stderr()
    {
        Assert.Equal(0, demo.Result.ExitCode);
        Assert.Equal("", demo.Result.Stderr);
    }

    [Fact]
    public void Writes_a_passing_verify_json_and_the_figures_it_lists()
    {
        string dir = Path.Combine(demo.OutDir, "lmo");
        var json = Assert.IsType<JsonObject>(JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "verify.json"))));
        Assert.True(json["allPassed"]!.GetValue<bool>());
        var files = json["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        foreach (var name in new[] { "figure1-best-proxy.png", "figure1-best-proxy.svg", "figure3-contour.png" })
        {
            Assert.True(new FileInfo(Path.Combine(dir, name)).Length > 0, $"{name} missing or empty");
            Assert.Contains(files, f => Path.GetFileName(f) == name);
        }
    }

    [Fact]
    public void Plans_ten_times_the_largest_shipped_run_and_writes_the_report()
    {
        string dir = Path.Combine(demo.OutDir, "plan");
        var plan = Assert.IsType<JsonObject>(JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "plan.json"))));
        // The largest shipped run: 400M, 72,000 steps, its batch assumed to be Step Law's optimum for its own budget.
        double largest = 72000 * RunReferences.SelfConsistentBatch(StepLawRule.Instance, 4e8, 72000);
        Assert.Equal(4e8, plan["request"]!["parameters"]!.GetValue<double>());
        Assert.Equal(10 * largest, plan["request"]!["tokens"]!.GetValue<double>(), 1e-6 * largest);
        Assert.Equal("tissue", plan["law"]!.GetValue<string>());
        Assert.NotEmpty(plan["reasons"]!.AsArray());

        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains(plan["best"]!["schedule"]!.GetValue<string>(), html, StringComparison.Ordinal);
        foreach (var figure in new[] { "scaling-lr", "scaling-batch", "loss-curves", "lr-schedules", "contour", "divergence-margin", "held-out-tissue" })
            Assert.True(new FileInfo(Path.Combine(dir, figure + ".png")).Length > 0, $"{figure}.png missing or empty");
        Assert.True(html.Split("data:image/png;base64,").Length - 1 >= 7, "the report embeds fewer than 7 figures");
    }

    [Fact]
    public void The_plans_rerun_command_gives_the_same_plan()
    {
        var plan = JsonNode.Parse(File.ReadAllText(Path.Combine(demo.OutDir, "plan", "plan.json")))!;
        string command = (string)plan["provenance"]!["command"]!;
        Assert.Contains("--laws tissue", command, StringComparison.Ordinal);
        using var tmp = new TempDir(create: false);
        // The same command into another folder (its --out replaced) and as JSON.
        string[] words = PlanProvenanceTests.ShellWords(command);
        int at = Array.IndexOf(words, "--out");
        words[at + 1] = tmp.Path;
        var again = Cli.Run([.. words[1..], "--json"]);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(plan["best"]!.ToJsonString(), again.Json()["best"]!.ToJsonString());
        Assert.Equal(plan["request"]!.ToJsonString(), again.Json()["request"]!.ToJsonString());
    }

    [Fact]
    public void Prints_the_held_out_errors_of_each_size_and_where_the_report_is()
    {
        string stdout = demo.Result.Stdout;
        foreach (var size in new[] { "25M", "100M", "400M" })
            Assert.Contains($"{size}: best held-out PredE tissue", stdout, StringComparison.Ordinal);
        Assert.Contains("report: " + Path.GetFullPath(Path.Combine(demo.OutDir, "plan", "report.html")), stdout, StringComparison.Ordinal);
    }
}
