using System.Globalization;
using System.Text;
using HyperLaws.SizeLaws;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>size-law --table RUNS.csv</c> with an explicit split, <c>--out</c>, and <c>--law ... --predict</c>: on the Chinchilla
/// runs of ../shared/data written as a plain (N, D, loss) table at test time (never kept), and on small tables.
/// </summary>
public sealed class SizeLawTableTests
{
    /// <summary>The Chinchilla runs (Besiroglu et al. 2024's extraction: Model Size, Training FLOP, loss) as N,D,loss rows.</summary>
    private static string ChinchillaTable(string dir)
    {
        var lines = File.ReadAllLines(Path.Combine(DataFolders.Shared, "analyzing-chinchilla", "data", "svg_extracted_data.csv"));
        var header = lines[0].Split(',');
        int cn = Array.IndexOf(header, "Model Size"), cf = Array.IndexOf(header, "Training FLOP"), cl = Array.IndexOf(header, "loss");
        var sb = new StringBuilder("\"N\",\"D\",\"loss\"\r\n");
        foreach (string line in lines.Skip(1))
        {
            var f = line.Split(',');
            double n = double.Parse(f[cn], CultureInfo.InvariantCulture), c = double.Parse(f[cf], CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"{n:R},{c / (6 * n):R},{f[cl]}\r\n");
        }
        string path = Path.Combine(dir, "chinchilla.csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [Fact]
    public void Fits_a_table_predicts_its_held_out_runs_and_the_saved_law_predicts_again()
    {
        using var tmp = new TempDir();
        string table = ChinchillaTable(tmp.Path);
        string law = Path.Combine(tmp.Path, "SIZE.json");
        var o = Cli.RunJson($"size-law --table {table} --held-out 0.2 --out {law} --json");
        var split = o["split"]!;
        int fit = (int)split["fit"]!, held = (int)split["heldOut"]!;
        Assert.Equal(fit + held, File.ReadAllLines(table).Length - 1);
        Assert.Equal(Math.Round(0.2 * (fit + held)), held);
        // Measured: 245 runs (none excluded here), the largest-compute fifth predicted with a mean relative error below 2%.
        Assert.InRange(JsonAssert.Number(split, "heldOutMeanRelError"), 0, 0.02);
        Assert.InRange(JsonAssert.Number(o, "alpha"), 0.1, 0.8);

        var p = Cli.RunJson($"size-law --law {law} --predict 1e9:2e10,70B:1.4T --json");
        var predictions = p["predictions"]!.AsArray();
        var saved = new ChinchillaLaw(JsonAssert.Number(o, "E"), JsonAssert.Number(o, "A"), JsonAssert.Number(o, "B"), JsonAssert.Number(o, "alpha"), JsonAssert.Number(o, "beta"));
        Assert.Equal(saved.Loss(1e9, 2e10), JsonAssert.Number(predictions[0], "loss"), 12);
        Assert.Null(predictions[0]!["extrapolated"]);
        Assert.Equal(saved.Loss(7e10, 1.4e12), JsonAssert.Number(predictions[1], "loss"), 12);
        Assert.Equal("N and D outside the fitted runs", (string?)predictions[1]!["extrapolated"]);
    }

    [Fact]
    public void Too_few_runs_and_bad_cells_are_one_line_errors()
    {
        using var tmp = new TempDir();
        string five = Path.Combine(tmp.Path, "five.csv");
        File.WriteAllText(five, "params,tokens,loss\n1e8,2e9,3.1\n2e8,4e9,2.9\n4e8,8e9,2.7\n8e8,1.6e10,2.55\n1.6e9,3.2e10,2.45\n");
        string line = Cli.Run("size-law", "--table", five).AssertUsageError();
        Assert.Contains("the 5-parameter law needs at least 6 runs to fit and 1 held out", line, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", line, StringComparison.Ordinal);

        string bad = Path.Combine(tmp.Path, "bad.csv");
        File.WriteAllText(bad, "N,D,loss\n1e8,2e9,3.1\n2e8,-4e9,2.9\n");
        Assert.Equal($"hyperlaws: error: {bad}:3: column 'D': '-4e9' is not a positive number.", Cli.Run("size-law", "--table", bad).AssertUsageError());
        Assert.Contains("exactly one of", Cli.Run("size-law").AssertUsageError(), StringComparison.Ordinal);
    }
}
