using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary><c>hyperlaws compare</c> end to end: fit laws on three 25M runs, score them on two held-out runs.</summary>
public sealed class CompareCommandTests
{
    private static string[] CompareArgs(params string[] extra) =>
        ["compare", "--train", .. LawCliData.Training("25"), "--test", .. LawCliData.Test("25"), .. extra];

    [Fact]
    public void Json_scores_every_law_on_the_held_out_runs()
    {
        var r = Cli.Run(CompareArgs("--laws", "tissue,convex", "--json"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var json = r.Json();

        Assert.Equal(["cosine_24000@25M", "constant_24000@25M", "wsdcon_9@25M"], json["train"]!.AsArray().Select(x => (string)x!).ToArray());
        Assert.Equal(["wsd_20000_24000@25M", "wsdcon_18@25M"], json["test"]!.AsArray().Select(x => (string)x!).ToArray());
        var laws = json["laws"]!.AsArray();
        Assert.Equal(["tissue", "convex"], laws.Select(l => (string)l!["name"]!).ToArray());
        foreach (var law in laws)
        {
            // Fractions, not percentages.
            Assert.InRange(JsonAssert.Number(law, "predE"), 0, 0.5);
            Assert.InRange(JsonAssert.Number(law, "worstE"), JsonAssert.Number(law, "predE"), 0.5);
            Assert.InRange(JsonAssert.Number(law, "r2"), 0, 1);
            Assert.InRange(JsonAssert.Number(law, "mae"), 0, 1);
            Assert.InRange(JsonAssert.Number(law, "rmse"), JsonAssert.Number(law, "mae"), 1);
            Assert.IsType<JsonObject>(law!["parameters"]);

            var curves = law["curves"]!.AsArray();
            Assert.Equal(["wsd_20000_24000@25M", "wsdcon_18@25M"], curves.Select(c => (string)c!["run"]!).ToArray());
            foreach (var c in curves)
            {
                Assert.InRange(JsonAssert.Number(c, "predE"), 0, 0.5);
                Assert.True(double.IsFinite(JsonAssert.Number(c, "r2")));
            }
        }
        double tissue = JsonAssert.Number(laws[0], "predE"), convex = JsonAssert.Number(laws[1], "predE");
        Assert.True(tissue < 0.01, $"tissue PredE {tissue}");
        Assert.True(tissue < convex, $"tissue PredE {tissue} should beat convex {convex}");
        Assert.InRange(JsonAssert.Number(laws[0], "r2"), 0.99, 1);
        // The tissue parameters are those `fit` finds on the same runs.
        using var tmp = new TempDir();
        var fit = LawCliData.RunJson(["fit", "--law", "tissue", "--runs", .. LawCliData.Training("25"), "--out", Path.Combine(tmp.Path, "law.json"), "--json"]);
        foreach (string p in new[] { "L0", "A", "alpha", "C" })
            JsonAssert.Relative(JsonAssert.Number(fit["parameters"], p), JsonAssert.Number(laws[0]!["parameters"], p), 1e-9, p);
    }

    [Fact]
    public void Plot_writes_one_figure_per_test_run()
    {
        using var tmp = new TempDir();
        string dir = Path.Combine(tmp.Path, "figures");

        var r = Cli.Run(CompareArgs("--laws", "tissue,convex", "--plot", dir, "--quiet"));

        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}; stderr: {r.Stderr}");
        Assert.Equal("", r.Stderr);
        var files = Directory.GetFiles(dir).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(6, files.Length);
        foreach (string ext in new[] { ".png", ".svg", ".csv" })
        {
            var ofKind = files.Where(f => f!.EndsWith(ext, StringComparison.Ordinal)).ToArray();
            Assert.Equal(2, ofKind.Length);
            Assert.Contains(ofKind, f => f!.Contains("wsd_20000_24000", StringComparison.Ordinal));
            Assert.Contains(ofKind, f => f!.Contains("wsdcon_18", StringComparison.Ordinal));
        }
        Assert.All(Directory.GetFiles(dir), f => Assert.True(new FileInfo(f).Length > 0, f));
        // Each file written is named on stdout after the table, as predict names its figure's.
        var written = r.Stdout.Split('\n').Where(l => l.StartsWith("written: ", StringComparison.Ordinal)).Select(l => Path.GetFileName(l["written: ".Length..].Trim())).Order().ToArray();
        Assert.Equal(files, written);
    }

    [Fact]
    public void Table_output_lists_the_laws_and_metrics()
    {
        var r = Cli.Run(CompareArgs("--laws", "tissue,convex"));
        Assert.Equal(0, r.ExitCode);
        foreach (string s in new[] { "tissue", "convex", "PredE", "WorstE", "RMSE" }) Assert.Contains(s, r.Stdout, StringComparison.Ordinal);
        // Progress goes to stderr, never to stdout.
        Assert.Contains("fitting tissue", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tissue,bogus", "bogus")]
    [InlineData("nope", "nope")]
    public void Unknown_law_is_named(string laws, string fragment)
    {
        string line = Cli.Run(CompareArgs("--laws", laws, "--json")).AssertUsageError();
        Assert.Contains(fragment, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_test_run_is_named()
    {
        const string missing = "/no/such/test-run.csv";
        string[] args = ["compare", "--train", .. LawCliData.Training("25"), "--test", missing, "--laws", "tissue", "--json"];
        Assert.Contains(missing, Cli.Run(args).AssertUsageError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plot_s_JSON_files_are_full_paths_whatever_form_the_folder_was_typed_in()
    {
        // docs/SCHEMAS.md: "files" gives full paths (as optimize-schedule's); the folder typed with a ".." segment.
        using var tmp = new TempDir();
        string typed = Path.Combine(tmp.Path, "sub", "..", "figures");
        var json = JsonNode.Parse(Cli.Run(CompareArgs("--laws", "tissue", "--plot", typed, "--json")).Stdout)!;
        var files = json["files"]!.AsArray().Select(f => (string)f!).ToArray();
        Assert.Equal(6, files.Length);
        Assert.All(files, f => Assert.Equal(Path.GetFullPath(f), f));
        Assert.All(files, f => Assert.StartsWith(Path.Combine(tmp.Path, "figures") + Path.DirectorySeparatorChar, f, StringComparison.Ordinal));
        Assert.All(files, f => Assert.True(File.Exists(f), f));
    }

    [Fact]
    public void Plot_into_an_unwritable_place_is_named()
    {
        const string dir = "/proc/x/figures";
        Assert.Contains(dir, Cli.Run(CompareArgs("--laws", "tissue", "--plot", dir, "--json")).AssertUsageError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_options()
    {
        var r = Cli.Run("compare", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Contains("compare [options]", r.Stdout, StringComparison.Ordinal);
        foreach (string option in new[] { "--train", "--test", "--laws", "--plot", "--json", "--quiet" })
            Assert.Contains(option, r.Stdout, StringComparison.Ordinal);
    }
}
