using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// <c>hyperlaws fit</c> end to end on the Multi-Power-Law curves shipped in data/: the law file, the JSON
/// contract, folders of runs, diverged runs and bad input (one stderr line, exit 2, no law file left behind).
/// </summary>
public sealed class FitCommandTests
{
    private static readonly string[] Parameters = ["L0", "A", "alpha", "C"];

    private static string[] FitArgs(string law, string[] runs, string output, params string[] extra) =>
        ["fit", "--law", law, "--runs", .. runs, "--out", output, .. extra];

    [Fact]
    public void Fit_writes_a_law_file_that_parses()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");

        var r = Cli.Run(FitArgs("tissue", LawCliData.Training("25"), law));

        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}; stderr: {r.Stderr}");
        Assert.Contains("written:", r.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(law));
        var doc = Assert.IsType<JsonObject>(JsonNode.Parse(File.ReadAllText(law)));
        Assert.Equal("hyperlaws-law", (string?)doc["format"]);
        Assert.Equal(1, (int)doc["version"]!);
        Assert.Equal("tissue", (string?)doc["law"]);
        foreach (string name in Parameters) Assert.True(double.IsFinite(JsonAssert.Number(doc["parameters"], name)), name);
        Assert.Equal(3, doc["runs"]!.AsArray().Count);
        // Nothing but the law file is left in the folder (no temporary file of the atomic write).
        Assert.Equal([law], Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void Json_is_one_object_with_law_parameters_out_and_training()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");

        var r = Cli.Run(FitArgs("tissue", LawCliData.Training("25"), law, "--json"));

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.StartsWith("{", r.Stdout, StringComparison.Ordinal);
        var json = r.Json(); // fails unless stdout is exactly one JSON value
        Assert.Equal("tissue", (string?)json["law"]);
        Assert.Equal(law, (string?)json["out"]);
        var saved = JsonNode.Parse(File.ReadAllText(law))!;
        foreach (string name in Parameters)
            Assert.Equal(JsonAssert.Number(saved["parameters"], name), JsonAssert.Number(json["parameters"], name));

        var training = json["training"]!.AsArray();
        Assert.Equal(["cosine_24000@25M", "constant_24000@25M", "wsdcon_9@25M"], training.Select(t => (string)t!["run"]!).ToArray());
        foreach (var t in training)
        {
            Assert.InRange(JsonAssert.Number(t, "predE"), 0, 0.01);
            Assert.InRange(JsonAssert.Number(t, "worstE"), 0, 0.05);
            Assert.InRange(JsonAssert.Number(t, "r2"), 0.99, 1);
        }
    }

    [Fact]
    public void A_folder_of_runs_fits_like_its_files()
    {
        using var tmp = new TempDir();
        string runs = Path.Combine(tmp.Path, "runs");
        Directory.CreateDirectory(runs);
        foreach (string file in LawCliData.Training("25")) File.Copy(file, Path.Combine(runs, Path.GetFileName(file)));

        var fromFolder = LawCliData.RunJson(FitArgs("tissue", [runs], Path.Combine(tmp.Path, "a.json"), "--json"));
        var fromFiles = LawCliData.RunJson(FitArgs("tissue", LawCliData.Training("25"), Path.Combine(tmp.Path, "b.json"), "--json"));

        Assert.Equal(3, fromFolder["training"]!.AsArray().Count);
        foreach (string name in Parameters)
            JsonAssert.Relative(JsonAssert.Number(fromFiles["parameters"], name), JsonAssert.Number(fromFolder["parameters"], name), 1e-6, name);
    }

    [Fact]
    public void A_diverged_run_is_left_out_with_a_note()
    {
        using var tmp = new TempDir();
        string diverged = LawCliData.WithLoss(tmp.Path, "25", "wsdcon_9", row: 40, "NaN");
        string law = Path.Combine(tmp.Path, "law.json");
        string[] runs = [LawCliData.Curve("25", "cosine_24000"), LawCliData.Curve("25", "constant_24000"), diverged];

        var r = Cli.Run(FitArgs("tissue", runs, law));
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}; stderr: {r.Stderr}");
        Assert.Contains("note:", r.Stderr, StringComparison.Ordinal);
        Assert.Contains(diverged, r.Stderr, StringComparison.Ordinal);

        var json = LawCliData.RunJson(FitArgs("tissue", runs, law, "--json"));
        Assert.Equal(2, json["training"]!.AsArray().Count);
    }

    [Fact]
    public void Mpl_fits_the_25M_training_runs()
    {
        using var tmp = new TempDir();
        var json = LawCliData.RunJson(FitArgs("mpl", LawCliData.Training("25"), Path.Combine(tmp.Path, "mpl.json"), "--json"));

        Assert.Equal("mpl", (string?)json["law"]);
        foreach (string name in new[] { "L0", "A", "alpha", "B", "C", "beta", "gamma" })
            Assert.True(double.IsFinite(JsonAssert.Number(json["parameters"], name)), name);
        foreach (var t in json["training"]!.AsArray()) Assert.InRange(JsonAssert.Number(t, "predE"), 0, 0.005);
    }

    [Fact]
    public void Unknown_law_is_named()
    {
        using var tmp = new TempDir(create: false);
        string law = Path.Combine(tmp.Path, "law.json");
        string line = Cli.Run(FitArgs("nope", LawCliData.Training("25"), law)).AssertUsageError();
        Assert.Contains("nope", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(tmp.Path));
    }

    [Fact]
    public void Missing_run_file_is_named()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        string missing = Path.Combine(tmp.Path, "no-such-run.csv");
        string line = Cli.Run(FitArgs("tissue", [LawCliData.Curve("25", "cosine_24000"), missing], law)).AssertUsageError();
        Assert.Contains(missing, line, StringComparison.Ordinal);
        Assert.False(File.Exists(law));
    }

    [Theory]
    [InlineData("nan-first")]     // a NaN loss before any finite one
    [InlineData("no-loss")]       // the loss column is missing
    [InlineData("bad-number")]    // a loss that is not a number
    [InlineData("only-diverged")] // the only run diverged: nothing to fit
    public void Malformed_csv_is_named_and_no_law_file_is_written(string problem)
    {
        using var tmp = new TempDir();
        string csv = problem switch
        {
            "nan-first" => LawCliData.WithLoss(tmp.Path, "25", "cosine_24000", row: 0, "NaN"),
            "bad-number" => LawCliData.WithLoss(tmp.Path, "25", "cosine_24000", row: 10, "abc"),
            "only-diverged" => LawCliData.WithLoss(tmp.Path, "25", "cosine_24000", row: 10, "nan"),
            _ => LawCliData.WithoutLossColumn(tmp.Path, "25", "cosine_24000"),
        };
        string law = Path.Combine(tmp.Path, "law.json");

        string line = Cli.Run(FitArgs("tissue", [csv], law, "--quiet")).AssertUsageError();

        Assert.Contains(csv, line, StringComparison.Ordinal);
        if (problem == "no-loss") Assert.Contains("loss", line, StringComparison.Ordinal);
        Assert.False(File.Exists(law), "no law file after a failed fit");
        Assert.Equal([csv], Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void Malformed_csv_in_a_folder_is_named()
    {
        using var tmp = new TempDir();
        File.Copy(LawCliData.Curve("25", "constant_24000"), Path.Combine(tmp.Path, "constant_24000.csv"));
        string bad = LawCliData.WithoutLossColumn(tmp.Path, "25", "cosine_24000");
        string law = Path.Combine(tmp.Path, "law.json");

        string line = Cli.Run(FitArgs("tissue", [tmp.Path], law, "--quiet")).AssertUsageError();

        Assert.Contains(bad, line, StringComparison.Ordinal);
        Assert.False(File.Exists(law));
    }

    [Fact]
    public void Unwritable_out_is_named()
    {
        const string law = "/proc/x/law.json";
        string line = Cli.Run(FitArgs("tissue", LawCliData.Training("25"), law, "--quiet")).AssertUsageError();
        Assert.Contains(law, line, StringComparison.Ordinal);
        Assert.False(File.Exists(law));
    }

    [Fact]
    public void Out_that_is_a_folder_is_an_error_and_leaves_no_temporary_file()
    {
        using var tmp = new TempDir();
        string folder = Path.Combine(tmp.Path, "law.json");
        Directory.CreateDirectory(folder);

        string line = Cli.Run(FitArgs("tissue", LawCliData.Training("25"), folder, "--json")).AssertUsageError();

        Assert.Contains(folder, line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(tmp.Path));
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void Validation_split_of_runs_without_one_is_named()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        string line = Cli.Run(FitArgs("tissue", LawCliData.Training("25"), law, "--validation", "--quiet")).AssertUsageError();
        Assert.Contains("validation", line, StringComparison.Ordinal);
        Assert.Contains("cosine_24000.csv", line, StringComparison.Ordinal);
        Assert.False(File.Exists(law));
    }

    [Fact]
    public void An_empty_folder_is_no_runs()
    {
        using var tmp = new TempDir();
        string line = Cli.Run(FitArgs("tissue", [tmp.Path], Path.Combine(tmp.Path, "law.json"), "--quiet")).AssertUsageError();
        Assert.Contains("no runs", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void Missing_required_options_are_usage_errors()
    {
        Assert.Contains("--out", Cli.Run(["fit", "--law", "tissue", "--runs", LawCliData.Curve("25", "cosine_24000")]).AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains("--runs", Cli.Run(["fit", "--law", "tissue", "--out", "/tmp/never-written-by-fit-tests.json"]).AssertUsageError(), StringComparison.Ordinal);
        Assert.False(File.Exists("/tmp/never-written-by-fit-tests.json"));
    }

    [Fact]
    public void Help_lists_the_options()
    {
        var r = Cli.Run("fit", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Contains("fit [options]", r.Stdout, StringComparison.Ordinal);
        foreach (string option in new[] { "--law", "--runs", "--out", "--validation", "--json", "--quiet", "mpl", "tissue", "convex" })
            Assert.Contains(option, r.Stdout, StringComparison.Ordinal);
    }
}

/// <summary>The MPL curves shipped in the repository's data/ folder, and broken copies of them.</summary>
internal static class LawCliData
{
    /// <summary>The repository's data/ folder (holds MultiPowerLaw/loss_curve_repo).</summary>
    public static string Data => DataFolders.Repo;

    /// <summary>One MPL curve, e.g. Curve("25", "cosine_24000").</summary>
    public static string Curve(string size, string name) => Path.Combine(Data, "MultiPowerLaw", "loss_curve_repo", "csv_" + size, name + ".csv");

    /// <summary>The training runs of the MPL protocol at one size.</summary>
    public static string[] Training(string size) => [Curve(size, "cosine_24000"), Curve(size, "constant_24000"), Curve(size, "wsdcon_9")];

    /// <summary>Two held-out runs.</summary>
    public static string[] Test(string size) => [Curve(size, "wsd_20000_24000"), Curve(size, "wsdcon_18")];

    /// <summary>Runs a command expected to succeed quietly with <c>--json</c>; returns the parsed object.</summary>
    public static JsonObject RunJson(params string[] args)
    {
        var r = Cli.Run(args);
        Assert.True(r.ExitCode == 0, $"'{string.Join(' ', args)}' exited {r.ExitCode}; stderr: {r.Stderr}");
        Assert.Equal("", r.Stderr);
        return r.Json();
    }

    /// <summary>A copy of a curve (same file name, so the schedule is still implied) with the loss of data row <paramref name="row"/> replaced.</summary>
    public static string WithLoss(string folder, string size, string name, int row, string loss)
    {
        var lines = File.ReadAllLines(Curve(size, name));
        Assert.Equal("step,lr,loss", lines[0]);
        var fields = lines[row + 1].Split(',');
        fields[2] = loss;
        lines[row + 1] = string.Join(',', fields);
        string path = Path.Combine(folder, name + ".csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>A copy of a curve without its loss column.</summary>
    public static string WithoutLossColumn(string folder, string size, string name)
    {
        var lines = File.ReadAllLines(Curve(size, name)).Select(l => string.Join(',', l.Split(',')[..2]));
        string path = Path.Combine(folder, name + ".csv");
        File.WriteAllLines(path, lines);
        return path;
    }
}
