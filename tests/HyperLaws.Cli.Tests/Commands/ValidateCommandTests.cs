using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary><c>hyperlaws validate</c> end to end: protocol 1 (the MPL split) on the curves shipped in data/.</summary>
public sealed class ValidateCommandTests
{
    private static readonly string[] TestRuns = ["constant_72000", "cosine_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"];

    [Fact]
    public void Protocol_1_scores_every_size_next_to_the_published_numbers()
    {
        var r = Cli.Run("validate", "--data", LawCliData.Data, "--laws", "tissue,convex", "--json", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var json = r.Json();

        Assert.Equal(1, (int)json["protocol"]!);
        var results = json["results"]!.AsArray();
        Assert.Equal(["25M", "100M", "400M"], results.Select(x => (string)x!["size"]!).ToArray());
        double[] published = [0.0011, 0.00142, 0.00168];
        for (int i = 0; i < results.Count; i++)
        {
            var size = results[i]!;
            Assert.Equal("mpl", (string?)size["published"]!["law"]);
            Assert.Equal(published[i], JsonAssert.Number(size["published"], "predE"));
            Assert.True(JsonAssert.Number(size["published"], "worstE") > published[i]);

            var laws = size["laws"]!.AsArray();
            Assert.Equal(["tissue", "convex"], laws.Select(l => (string)l!["name"]!).ToArray());
            foreach (var law in laws)
            {
                foreach (string m in new[] { "predE", "worstE", "maxE", "r2", "mae", "rmse" })
                    Assert.True(double.IsFinite(JsonAssert.Number(law, m)), $"{size["size"]} {law!["name"]} {m}");
                var curves = law!["curves"]!.AsArray();
                Assert.Equal(TestRuns.Select(n => $"{n}@{size["size"]}").ToArray(), curves.Select(c => (string)c!["run"]!).ToArray());
            }
            var tissue = laws[0]!;
            double predE = JsonAssert.Number(tissue, "predE");
            Assert.True(predE < 0.005, $"{size["size"]}: tissue PredE {predE}");
            Assert.InRange(JsonAssert.Number(tissue, "r2"), 0.99, 1);
        }
    }

    [Fact]
    public void Sizes_selects_the_sizes()
    {
        var json = LawCliData.RunJson("validate", "--data", LawCliData.Data, "--laws", "tissue", "--sizes", "100", "--json");
        var results = json["results"]!.AsArray();
        Assert.Equal("100M", (string?)Assert.Single(results)!["size"]);
        Assert.Equal("tissue", (string?)Assert.Single(results[0]!["laws"]!.AsArray())!["name"]);
    }

    [Fact]
    public void Table_output_shows_the_published_numbers()
    {
        var r = Cli.Run("validate", "--data", LawCliData.Data, "--laws", "tissue", "--sizes", "25");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("published MPL (25M)", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("tissue", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("validate: 25M, fitting tissue", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_protocol_is_named()
    {
        string line = Cli.Run("validate", "--data", LawCliData.Data, "--protocol", "99", "--json").AssertUsageError();
        Assert.Contains("protocol 99", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--fit-on both", "--fit-on")]
    [InlineData("--laws nolaw", "nolaw")]
    [InlineData("", "lr-scheduling")]
    public void Protocol_6_checks_its_options_and_data(string options, string fragment)
    {
        // LawCliData.Data has no lr-scheduling/ folder, so a valid command stops at the data check.
        string line = Cli.Run(["validate", "--data", LawCliData.Data, "--protocol", "6", "--json", .. Cli.Split(options)]).AssertUsageError();
        Assert.Contains(fragment, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_data_folder_is_named()
    {
        string line = Cli.Run("validate", "--data", "/nonexistent", "--laws", "tissue", "--json").AssertUsageError();
        Assert.Contains("/nonexistent", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_size_is_named()
    {
        string line = Cli.Run("validate", "--data", LawCliData.Data, "--sizes", "25,999", "--laws", "tissue", "--json").AssertUsageError();
        Assert.Contains("999", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_law_is_named()
    {
        string line = Cli.Run("validate", "--data", LawCliData.Data, "--laws", "tissue,bogus", "--json").AssertUsageError();
        Assert.Contains("bogus", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_folder_missing_a_schedule_names_the_file()
    {
        using var tmp = new TempDir();
        string folder = Path.Combine(tmp.Path, "MultiPowerLaw", "loss_curve_repo", "csv_25");
        Directory.CreateDirectory(folder);
        foreach (string name in new[] { "cosine_24000", "constant_24000", "wsdcon_9" })
            File.Copy(LawCliData.Curve("25", name), Path.Combine(folder, name + ".csv"));

        string line = Cli.Run("validate", "--data", tmp.Path, "--sizes", "25", "--laws", "tissue", "--json").AssertUsageError();

        Assert.Contains(Path.Combine(folder, "constant_72000.csv"), line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_curve_in_the_data_folder_is_named()
    {
        using var tmp = new TempDir();
        string folder = Path.Combine(tmp.Path, "MultiPowerLaw", "loss_curve_repo", "csv_25");
        Directory.CreateDirectory(folder);
        foreach (string name in new[] { "cosine_24000", "constant_24000" }.Concat(TestRuns))
            File.Copy(LawCliData.Curve("25", name), Path.Combine(folder, name + ".csv"));
        string bad = LawCliData.WithoutLossColumn(folder, "25", "wsdcon_9");

        string line = Cli.Run("validate", "--data", tmp.Path, "--sizes", "25", "--laws", "tissue", "--json").AssertUsageError();

        Assert.Contains(bad, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_size_list_is_a_usage_error()
    {
        string line = Cli.Run("validate", "--data", LawCliData.Data, "--sizes", ",", "--laws", "tissue", "--json").AssertUsageError();
        Assert.Contains("--sizes", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_options()
    {
        var r = Cli.Run("validate", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Contains("validate [options]", r.Stdout, StringComparison.Ordinal);
        foreach (string option in new[] { "--data", "--protocol", "--laws", "--sizes", "--json", "--quiet" })
            Assert.Contains(option, r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Intervals_report_coverage_of_the_held_out_curves()
    {
        var json = LawCliData.RunJson("validate", "--data", LawCliData.Data, "--laws", "tissue", "--sizes", "25", "--intervals", "--bootstrap", "10", "--json");
        Assert.Equal(1, (int)json["protocol"]!);
        Assert.Equal(0.9, JsonAssert.Number(json["intervals"], "level"));
        Assert.Equal(10, (int)json["intervals"]!["replicates"]!);
        var law = Assert.Single(Assert.Single(json["results"]!.AsArray())!["laws"]!.AsArray())!;
        Assert.Equal("tissue", (string?)law["name"]);
        Assert.Equal("blocks", (string?)law["scheme"]);
        foreach (string part in new[] { "train", "test" })
        {
            var s = law[part]!;
            double inside = JsonAssert.Number(s, "inside"), below = JsonAssert.Number(s, "below"), above = JsonAssert.Number(s, "above");
            Assert.Equal(1, inside + below + above, 12);
            Assert.InRange(JsonAssert.Number(s, "finalsInside"), 0, 1);
            Assert.True(JsonAssert.Number(s, "meanRelativeWidth") > 0);
        }
        Assert.Equal(6, (int)law["test"]!["finals"]!);
        var curves = law["curves"]!.AsArray();
        Assert.Equal(TestRuns.Select(n => $"{n}@25M").ToArray(), curves.Select(c => (string)c!["run"]!).ToArray());
        int points = 0;
        foreach (var c in curves)
        {
            int n = (int)c!["points"]!;
            points += n;
            Assert.Equal(n, (int)c["inside"]! + (int)c["below"]! + (int)c["above"]!);
            var f = c["final"]!;
            double loss = JsonAssert.Number(f, "loss"), lower = JsonAssert.Number(f, "lower"), upper = JsonAssert.Number(f, "upper");
            Assert.True(lower <= upper);
            Assert.Equal(loss >= lower && loss <= upper, (bool)f["inside"]!);
        }
        Assert.Equal(points, (int)law["test"]!["points"]!);
    }

    [Theory]
    [InlineData("--bootstrap 5", "--intervals")]
    [InlineData("--level 0.8", "--intervals")]
    [InlineData("--intervals --bootstrap 0", "--bootstrap")]
    [InlineData("--intervals --protocol 4", "protocols 1 (bootstrap) and 2, 3, 6 (conformal)")]
    [InlineData("--intervals --protocol 3 --bootstrap 5", "the bootstrap applies to protocol 1 only")]
    [InlineData("--intervals --bootstrap-scheme runs --bootstrap 5", "4 curves")]
    public void Interval_options_are_checked(string options, string fragment)
    {
        // --sizes for protocol 1 only (another protocol refuses it).
        string[] sizes = options.Contains("--protocol", StringComparison.Ordinal) ? [] : ["--sizes", "25"];
        string line = Cli.Run(["validate", "--data", LawCliData.Data, "--laws", "tissue", .. sizes, "--json", .. Cli.Split(options)]).AssertUsageError();
        Assert.Contains(fragment, line, StringComparison.Ordinal);
    }
}
