using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// <c>hyperlaws fit --across-sizes</c> and <c>hyperlaws predict --params N</c>: a law fitted on the 25M and
/// 100M curves shipped in data/, saved with its size law in LAW.json, and predicted at any size.
/// </summary>
public sealed class FitAcrossSizesTests
{
    private const string Constant = "constant(peak=3e-4,warmup=2160,steps=24000)";

    private static string Folder(string size) => Path.GetDirectoryName(LawCliData.Curve(size, "constant_24000"))!;

    /// <summary>The logged loss of constant_24000 at step 23936 (the last point the MPL protocols keep).</summary>
    private static double Logged(string size) =>
        double.Parse(File.ReadLines(LawCliData.Curve(size, "constant_24000")).Single(l => l.StartsWith("23936,", StringComparison.Ordinal)).Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);

    private static double PredictFinal(string law, string size)
    {
        var json = LawCliData.RunJson("predict", "--law", law, "--schedule", Constant, "--steps", "23936", "--params", size, "--json");
        Assert.Equal("tissue(N)", (string?)json["law"]);
        return JsonAssert.Number(json, "finalLoss");
    }

    [Fact]
    public void Fit_across_sizes_records_the_size_law_and_predict_uses_it()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        var fit = LawCliData.RunJson("fit", "--law", "tissue", "--across-sizes", "--runs", Folder("25"), Folder("100"), "--out", law, "--json");
        Assert.Equal(18, fit["training"]!.AsArray().Count);

        var doc = Assert.IsType<JsonObject>(JsonNode.Parse(File.ReadAllText(law)));
        Assert.Equal("tissue", (string?)doc["law"]);
        Assert.Equal(5e7, JsonAssert.Number(doc["acrossSizes"], "referenceSize"));
        Assert.Equal("power", (string?)doc["acrossSizes"]!["scaling"]);
        Assert.Equal(0.34, JsonAssert.Number(doc["acrossSizes"], "offsetExponent"));
        foreach (string p in new[] { "L0", "A", "alpha", "C", "L0_reducible", "A_exponent", "alpha_exponent", "C_exponent" })
            Assert.True(double.IsFinite(JsonAssert.Number(doc["parameters"], p)), p);

        // In sample, at the two fitted sizes (measured: 0.01% and 0.07% off); 400M is extrapolated below 100M.
        double at25 = PredictFinal(law, "25M"), at100 = PredictFinal(law, "100M"), at400 = PredictFinal(law, "4e8");
        JsonAssert.Relative(Logged("25"), at25, 0.003, "25M final loss");
        JsonAssert.Relative(Logged("100"), at100, 0.003, "100M final loss");
        Assert.True(at400 < at100 && at100 < at25, $"{at25}, {at100}, {at400}");

        string line = Cli.Run("predict", "--law", law, "--schedule", Constant, "--json").AssertUsageError();
        Assert.Contains("--params", line, StringComparison.Ordinal);
        Assert.Contains("--params", Cli.Run("predict", "--law", law, "--schedule", Constant, "--params", "big", "--json").AssertUsageError(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_law_of_one_size_takes_no_model_size()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        File.WriteAllText(law, """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""");
        string line = Cli.Run("predict", "--law", law, "--schedule", Constant, "--params", "400M", "--json").AssertUsageError();
        Assert.Contains("--across-sizes", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Fitting_across_one_size_is_a_usage_error_and_writes_nothing()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        string line = Cli.Run(["fit", "--law", "convex", "--across-sizes", "--runs", .. LawCliData.Training("25"), "--out", law, "--json"]).AssertUsageError();
        Assert.Contains("at least 2 model sizes", line, StringComparison.Ordinal);
        Assert.False(File.Exists(law));
    }

    [Fact]
    public void Fitting_across_sizes_names_a_run_of_unknown_size()
    {
        using var tmp = new TempDir();
        string folder = Path.Combine(tmp.Path, "runs");   // not csv_<N>: the reader cannot tell the size
        Directory.CreateDirectory(folder);
        string unsized = Path.Combine(folder, "cosine_24000.csv");
        File.Copy(LawCliData.Curve("25", "cosine_24000"), unsized);
        string law = Path.Combine(tmp.Path, "law.json");
        string line = Cli.Run("fit", "--law", "tissue", "--across-sizes", "--runs", LawCliData.Curve("100", "cosine_24000"), unsized, "--out", law, "--json").AssertUsageError();
        Assert.Contains(unsized, line, StringComparison.Ordinal);
        Assert.Contains("model size", line, StringComparison.Ordinal);
        Assert.False(File.Exists(law));
    }

    [Fact]
    public void A_law_file_with_a_bad_size_law_is_named()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        File.WriteAllText(law, """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.1,"A":0.5,"alpha":0.5,"C":0.4,"L0_reducible":0.7},"acrossSizes":{"referenceSize":5e7,"scaling":"sideways","offsetExponent":0.34}}""");
        string line = Cli.Run("predict", "--law", law, "--schedule", Constant, "--params", "400M", "--json").AssertUsageError();
        Assert.Contains(law, line, StringComparison.Ordinal);
        Assert.Contains("scaling", line, StringComparison.Ordinal);

        File.WriteAllText(law, """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.1,"A":0.5,"alpha":0.5,"C":0.4},"acrossSizes":{"referenceSize":5e7,"scaling":"shared","offsetExponent":0.34}}""");
        line = Cli.Run("predict", "--law", law, "--schedule", Constant, "--params", "400M", "--json").AssertUsageError();
        Assert.Contains("L0_reducible", line, StringComparison.Ordinal);
    }
}
