using HyperLaws.Divergence;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>rank</c> and <c>contour</c> with <c>--divergence DIV.json</c>: a hand-built area criterion with
/// eta_L = 1e-3 (so a constant schedule diverges exactly when its peak is above 2e-3: S2/S1 = (peak - 1e-3)/1e-3 > 1).
/// </summary>
public sealed class DivergenceScreenCommandTests
{
    private const string TissueLaw = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""";

    private static (string Law, string Div) Files(TempDir tmp)
    {
        string law = Path.Combine(tmp.Path, "law.json");
        File.WriteAllText(law, TissueLaw);
        // Peaks above the critical peak LR 2e-3 diverge, whatever the size, batch or length.
        var model = new DivergenceModel(new CriticalLrRule(Math.Log(2e-3), 0, 0, 0, 0, 5));
        string div = Path.Combine(tmp.Path, "div.json");
        File.WriteAllText(div, DivergenceModelDocument.ToJson(model).ToJsonString());
        return (law, div);
    }

    [Fact]
    public void Rank_marks_diverging_candidates_and_puts_them_last()
    {
        using var tmp = new TempDir();
        var (law, div) = Files(tmp);
        var json = LawCliData.RunJson("rank", "--law", law, "--steps", "10000", "--families", "constant", "--peaks", "5e-4,1.5e-3,3e-3,6e-3",
            "--warmups", "0", "--top", "4", "--divergence", div, "--params", "100M", "--batch", "1M", "--json");
        var candidates = json["candidates"]!.AsArray();
        Assert.Equal(4, candidates.Count);
        Assert.Equal([false, false, true, true], candidates.Select(c => (bool?)c!["diverges"]).ToArray());
        // Without the screen the tissue law ranks the largest peak first (more intrinsic time, no decay term).
        Assert.Contains("peak=0.006", (string)candidates[3]!["schedule"]! + (string)candidates[2]!["schedule"]!, StringComparison.Ordinal);
        Assert.Contains(json["warnings"]!.AsArray(), w => ((string)w!).Contains("2 of 4 candidates are predicted to diverge", StringComparison.Ordinal));
        // P(diverge) per candidate, from the same model: sigmoid(5 ln(peak / 2e-3)).
        foreach (var c in candidates)
        {
            double peak = (double)c!["peak"]!, p = (double)c["divergenceProbability"]!;
            Assert.Equal(1 / (1 + Math.Pow(2e-3 / peak, 5)), p, 6);
            Assert.Equal((bool)c["diverges"]!, p > 0.5);
        }
        // Without a screen the field is null.
        var plain = LawCliData.RunJson("rank", "--law", law, "--steps", "10000", "--families", "constant", "--peaks", "5e-4", "--warmups", "0", "--json");
        Assert.Null(plain["candidates"]![0]!["divergenceProbability"]);
    }

    [Fact]
    public void Contour_json_gives_the_optimum_s_probability_and_the_boundary_per_warmup()
    {
        using var tmp = new TempDir();
        var (law, div) = Files(tmp);
        var json = LawCliData.RunJson("contour", "--law", law, "--steps", "5000", "--family", "constant", "--peaks", "1e-4:1e-2:9", "--divergence", div,
            "--params", "100M", "--batch", "1M", "--out", Path.Combine(tmp.Path, "figures"), "--json");
        var optimum = json["optima"]![0]!;
        double peak = (double)optimum["peak"]!;
        Assert.Equal(1 / (1 + Math.Pow(2e-3 / peak, 5)), (double)optimum["divergenceProbability"]!, 6);
        var boundary = optimum["criticalPeakLr"]!.AsArray();
        Assert.NotEmpty(boundary);
        Assert.All(boundary, b => Assert.Equal(2e-3, (double)b!["peak"]!, 9));
    }

    [Fact]
    public void Contour_leaves_diverging_cells_blank_and_says_how_many()
    {
        using var tmp = new TempDir();
        var (law, div) = Files(tmp);
        string dir = Path.Combine(tmp.Path, "figures");
        var r = Cli.Run("contour", "--law", law, "--steps", "5000", "--family", "constant", "--peaks", "1e-4:1e-2:9", "--divergence", div, "--params", "100M", "--batch", "1M", "--out", dir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        // Peaks 1e-4 x 10^(k/4): above 2e-3 are 3.16e-3, 5.62e-3 and 1e-2, three rows of the grid.
        var note = r.Stderr.Split('\n').Single(l => l.Contains("predicted to diverge", StringComparison.Ordinal));
        Assert.Matches(@"5000 steps: (\d+) of (\d+) cells", note);
        var m = System.Text.RegularExpressions.Regex.Match(note, @"(\d+) of (\d+) cells");
        int diverging = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), cells = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(3 * cells / 9, diverging);
        var optimum = File.ReadAllLines(Path.Combine(dir, "contour_optima.csv"))[1].Split(',');
        Assert.True(double.Parse(optimum[4], System.Globalization.CultureInfo.InvariantCulture) < 2e-3, "the optimum avoids the diverging rows");
    }

    [Fact]
    public void Divergence_needs_params_and_batch_and_batch_needs_divergence()
    {
        using var tmp = new TempDir();
        var (law, div) = Files(tmp);
        Assert.Contains("--batch is required", Cli.Run("rank", "--law", law, "--steps", "1000", "--divergence", div, "--params", "100M").AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains("--params is required", Cli.Run("rank", "--law", law, "--steps", "1000", "--divergence", div, "--batch", "1M").AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains("--batch: only used with --divergence", Cli.Run("rank", "--law", law, "--steps", "1000", "--batch", "1M").AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains("missing.json", Cli.Run("rank", "--law", law, "--steps", "1000", "--divergence", Path.Combine(tmp.Path, "missing.json"), "--params", "1M", "--batch", "1M").AssertUsageError(), StringComparison.Ordinal);
    }
}
