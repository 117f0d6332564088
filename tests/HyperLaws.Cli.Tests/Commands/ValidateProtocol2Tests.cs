using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// <c>hyperlaws validate --protocol 2</c> end to end on the curves shipped in data/: the tissue law across
/// sizes fitted on the nine 25M and nine 100M curves, predicting the nine 400M curves.
/// </summary>
public sealed class ValidateProtocol2Tests
{
    private static readonly string[] Schedules = ["cosine_24000", "constant_24000", "wsdcon_9", "constant_72000", "cosine_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"];

    [Fact]
    public void Protocol_2_fits_25M_and_100M_and_predicts_every_400M_curve()
    {
        var r = Cli.Run("validate", "--protocol", "2", "--data", LawCliData.Data, "--laws", "tissue", "--json", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var json = r.Json();

        Assert.Equal(2, (int)json["protocol"]!);
        Assert.Equal([.. Schedules.Select(s => s + "@25M"), .. Schedules.Select(s => s + "@100M")], json["train"]!.AsArray().Select(x => (string)x!).ToArray());
        Assert.Equal(Schedules.Select(s => s + "@400M").ToArray(), json["test"]!.AsArray().Select(x => (string)x!).ToArray());
        Assert.Equal("power", (string?)json["sizeLaw"]!["headline"]);
        Assert.Equal(0.34, JsonAssert.Number(json["sizeLaw"], "offsetExponent"));
        Assert.Equal(5e7, JsonAssert.Number(json["sizeLaw"], "referenceSize"), 1e-3);

        var tissue = Assert.Single(json["laws"]!.AsArray())!;
        Assert.Equal("tissue", (string?)tissue["name"]);
        Assert.Equal("power", (string?)tissue["variant"]);
        foreach (string m in new[] { "predE", "worstE", "maxE", "r2", "mae", "rmse", "kendallTau", "largeModelOffset", "offsetExponent" })
            Assert.True(double.IsFinite(JsonAssert.Number(tissue, m)), m);
        foreach (string p in new[] { "L0", "A", "alpha", "C", "L0_reducible", "A_exponent", "alpha_exponent", "C_exponent" })
            Assert.True(double.IsFinite(JsonAssert.Number(tissue["parameters"], p)), p);
        Assert.Equal(json["test"]!.AsArray().Select(x => (string)x!), tissue["curves"]!.AsArray().Select(c => (string)c!["run"]!));
        Assert.Equal(["25M", "100M"], tissue["inSample"]!.AsArray().Select(x => (string)x!["size"]!).ToArray());
        Assert.Equal(["power", "shared", "power, beta 0.2", "power, beta 0.5"], tissue["variants"]!.AsArray().Select(x => (string)x!["variant"]!).ToArray());

        // Measured (2 cores, data/ as shipped): headline PredE 1.43%, R^2 0.933, tau 0.944, in-sample
        // 0.12% per size; the 100M-only baseline 7.5%. The bounds leave room for numerical drift only.
        double predE = JsonAssert.Number(tissue, "predE");
        Assert.True(predE < 0.02, $"tissue(N) 400M PredE {predE}");
        Assert.True(JsonAssert.Number(tissue, "r2") > 0.9);
        Assert.True(JsonAssert.Number(tissue, "kendallTau") > 0.8);
        foreach (var s in tissue["inSample"]!.AsArray()) Assert.True(JsonAssert.Number(s, "predE") < 0.002, $"in-sample {s!["size"]}");

        var baseline = tissue["baseline"]!;
        Assert.Equal("100M only", (string?)baseline["variant"]);
        Assert.Equal(["L0", "A", "alpha", "C"], baseline["parameters"]!.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal(["100M"], baseline["inSample"]!.AsArray().Select(x => (string)x!["size"]!).ToArray());
        double baselinePredE = JsonAssert.Number(baseline, "predE");
        Assert.True(baselinePredE > 3 * predE, $"the size law buys little: {predE} vs 100M-only {baselinePredE}");
    }

    [Fact]
    public void Table_output_marks_the_headline_and_shows_the_baseline()
    {
        var r = Cli.Run("validate", "--protocol", "2", "--data", LawCliData.Data, "--laws", "tissue");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Protocol 2", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("power *", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("100M only", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("validate: tissue(N) [power]: fitting on 18 curves", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Sizes_is_for_protocol_1_only()
    {
        string line = Cli.Run("validate", "--protocol", "2", "--data", LawCliData.Data, "--sizes", "25", "--laws", "tissue", "--json").AssertUsageError();
        Assert.Contains("--sizes", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_400M_curve_is_named()
    {
        using var tmp = new TempDir();
        foreach (string size in new[] { "25", "100", "400" })
        {
            string folder = Path.Combine(tmp.Path, "MultiPowerLaw", "loss_curve_repo", "csv_" + size);
            Directory.CreateDirectory(folder);
            foreach (string name in Schedules.Where(n => size != "400" || n != "wsdcon_18"))
                File.Copy(LawCliData.Curve(size, name), Path.Combine(folder, name + ".csv"));
        }

        string line = Cli.Run("validate", "--protocol", "2", "--data", tmp.Path, "--laws", "tissue", "--json").AssertUsageError();

        Assert.Contains(Path.Combine(tmp.Path, "MultiPowerLaw", "loss_curve_repo", "csv_400", "wsdcon_18.csv"), line, StringComparison.Ordinal);
    }
}
