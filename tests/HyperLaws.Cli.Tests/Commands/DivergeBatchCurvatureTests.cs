using System.Text.Json.Nodes;
using HyperLaws.Divergence;
using HyperLaws.Tests;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>diverge</c> with the edge's curvature G in ln batch (protocol 4-D's variant): <c>--fit --batch-curvature</c> writes G,
/// <c>--validate --batch-curvature --json</c> says so and renders the ceilings, and a DIV.json whose G or A puts eta_crit out of
/// range is one line naming the file (was: exit 70).
/// </summary>
public sealed class DivergeBatchCurvatureTests
{
    private static string Steplaw => Path.Combine(DataFolders.Shared, "steplaw", "data", "dense_lr_bs_loss.csv");

    [Fact]
    public void FitWithBatchCurvatureWritesG()
    {
        using var tmp = new TempDir();
        string model = Path.Combine(tmp.Path, "DIV.json");
        var o = Cli.Run("diverge", "--fit", "--runs", Steplaw, "--out", model, "--batch-curvature", "--json").Json();
        Assert.Equal(1911, (int)o["runs"]!);
        var boundary = JsonNode.Parse(File.ReadAllText(model))!["boundary"]!.AsObject();
        Assert.True(boundary.ContainsKey("G"), boundary.ToJsonString());
        Assert.True((double)boundary["G"]! < 0, $"G {(double)boundary["G"]!}"); // the edge peaks in batch (protocol 4-D: G < 0)
        Assert.Equal((double)boundary["G"]!, DivergenceModelDocument.Parse(File.ReadAllText(model)).Rule.G);
    }

    [Fact]
    public void ValidateWithBatchCurvatureSaysSoAndRendersTheCeilings()
    {
        var o = Cli.Run("diverge", "--validate", "--data", DataFolders.Shared, "--batch-curvature", "--json").Json();
        Assert.True((bool)o["batchCurvature"]!);
        var c = o["ceilings"]!.AsObject();
        Assert.True((double)c["model"]!["G"]! < 0);
        foreach (string key in new[] { "inSample", "perCellLr", "perCellIntercept" })
            Assert.Equal((int)o["runs"]!, (int)c[key]!["tp"]! + (int)c[key]!["fp"]! + (int)c[key]!["fn"]! + (int)c[key]!["tn"]!);
        // docs/VALIDATION.md protocol 4-D: with G, the slopes with one intercept per cell make 31 errors (19 FP, 12 FN).
        Assert.Equal(31, (int)c["perCellIntercept"]!["fp"]! + (int)c["perCellIntercept"]!["fn"]!);
        Assert.Equal(DivergenceCeiling.F1Bound(new BinaryMetrics((int)c["perCellLr"]!["tp"]!, (int)c["perCellLr"]!["fp"]!, (int)c["perCellLr"]!["fn"]!, (int)c["perCellLr"]!["tn"]!)),
            (double)c["perCellLr"]!["f1Bound"]!, 12);
    }

    [Theory]
    [InlineData(0, 600)]   // G = 600 at batch 3e5: ln eta_crit ~ 870, exp overflows
    [InlineData(800, 0)]   // A = 800 with the other terms: ln eta_crit > 709
    public void ABoundaryWhoseEtaCritIsOutOfRangeIsOneLineNamingTheFile(double a, double g)
    {
        using var tmp = new TempDir();
        string path = Path.Combine(tmp.Path, "big.json");
        File.WriteAllText(path, DivergenceModelDocument.ToJson(new DivergenceModel(new CriticalLrRule(a, 0, 0, 0, 0, 8) { G = g })).ToJsonString());
        string line = Cli.Run("diverge", "--model", path, "--schedule", "constant(peak=1e-3,steps=100)", "--params", "1e8", "--batch", "3e5").AssertUsageError();
        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("eta_crit", line, StringComparison.Ordinal);
    }

    [Fact]
    public void APositiveGWarnsAndStillPredicts()
    {
        using var tmp = new TempDir();
        string path = Path.Combine(tmp.Path, "up.json");
        File.WriteAllText(path, DivergenceModelDocument.ToJson(new DivergenceModel(new CriticalLrRule(Math.Log(4e-3), 0, 0, 0, 0, 8) { G = 0.05 })).ToJsonString());
        var r = Cli.Run("diverge", "--model", path, "--schedule", "constant(peak=1e-3,steps=100)", "--params", "1e8", "--batch", "1e6", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"warning: {path}: boundary.G = 0.05 is positive", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(4e-3, (double)r.Json()["criticalPeakLr"]!, 12);
    }
}
