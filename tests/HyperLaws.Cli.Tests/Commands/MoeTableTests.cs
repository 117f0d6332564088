using System.Globalization;
using System.Text;
using HyperLaws.Readers;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// Step Law's MoE sweep table (<c>moe_lr_bs_loss.csv</c>, github.com/step-law/steplaw @ 32a8f4c). The table has no
/// licence, so it is not copied: this file is reproduced in its exact column layout with values of our own (three
/// configurations, two of them sharing the total N as 1in89 and 2in88 do there, and a synthetic loss bowl in ln lr and
/// ln batch).
/// </summary>
public sealed class MoeTableTests
{
    private const string Header = "seq_len,topk,nume,moeh,sed,h,ffnh,numh,numl,lr,bs,ti,loss,smooth loss,average_iter_time,target_iter,final_iter,exp_name,moe_layer_enum_type,mfa_version,numld,Nattn,N,Na,M,kvcache,D,D/N,total_time,Na/N,moe_name";

    private static readonly (string Name, int TopK, int Experts, double Total, double Active)[] Configurations =
    [
        ("1in89", 1, 89, 2150612992, 187973632),
        ("2in88", 2, 88, 2150612992, 232579072),
        ("3in8", 3, 8, 2156188672, 1241270272),
    ];

    private static string Table()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var (name, topk, experts, total, active) in Configurations)
            foreach (double d in new[] { 2e9, 8e9 })
            {
                // The bowl's centre follows a power law in the activated N and in D.
                double lrStar = 1.8 * Math.Pow(active, -0.7) * Math.Pow(d, 0.3), bsStar = 0.6 * Math.Pow(d, 0.57) / 2048;
                foreach (double lr in new[] { 1.726e-4, 3.453e-4, 6.905e-4, 1.381e-3, 2.762e-3, 5.524e-3 })
                    foreach (int bs in new[] { 32, 64, 128, 256, 512 })
                    {
                        int ti = (int)Math.Round(d / (bs * 2048.0));
                        double loss = 2.4 + 0.02 * Math.Pow(Math.Log(lr / lrStar), 2) + 0.015 * Math.Pow(Math.Log(bs / bsStar), 2) - 0.01 * Math.Log(active / 1e8);
                        string exp = $"step2v2_0801_{name}_lr{lr:0.000e+00}_bs{bs}_ti{ti}_mlr1e-5";
                        sb.Append(inv, $"2048,{topk},{experts},352,{352 * topk},1408,3904,11,16,{lr:0.000e+00},{bs},{ti},{loss:R},{loss - 0.04:R},0.41,-1,{ti - 1},{exp},1dense,mha,1,126877696,{total:R},{active:R},1681489920,45056,{d:R},{d / total:R},12390.7,{active / total:R},{name}\n");
                    }
            }
        return sb.ToString();
    }

    [Fact]
    public void Configurations_sharing_a_total_size_are_cells_of_their_own()
    {
        using var tmp = new TempDir();
        string path = Path.Combine(tmp.Path, "moe_lr_bs_loss.csv");
        File.WriteAllText(path, Table());

        var total = RunReader.ReadSweep(path, new RunReadOptions { MoeSize = MoeParameterCount.Total });
        Assert.Equal(180, total.Points.Count);
        Assert.Equal(6, total.Cells.Count);
        Assert.Equal(2, total.Cells.Count(c => c.N == 2150612992 && c.D == 2e9));
        var active = RunReader.ReadSweep(path, new RunReadOptions { MoeSize = MoeParameterCount.Active });
        Assert.Equal([187973632.0, 232579072, 1241270272], active.Cells.Select(c => c.N).Distinct());
        Assert.Equal(["1in89", "1in89", "2in88", "2in88", "3in8", "3in8"], active.Cells.Select(c => c.Configuration));

        // Without --size: one line asking for it.
        string line = Cli.Run("optimum", "--sweep", path).AssertUsageError();
        Assert.Equal($"hyperlaws: error: {path}:1: a MoE table (columns Na and moe_name): say whether N is the activated or the total parameter count (--size active or --size total).", line);

        // On the activated sizes the rule is fitted and recovers the bowl's LR exponent in N; on the total sizes (all
        // within x1.003) no exponent can be fitted, and the command says so.
        var fitted = Cli.RunJson($"optimum --sweep {path} --size active --json");
        Assert.Equal(6, fitted["cells"]!.AsArray().Count);
        Assert.Equal(-0.7, JsonAssert.Number(fitted["rule"]!["learningRate"], "exponentN"), 0.1);
        string narrow = Cli.Run("optimum", "--sweep", path, "--size", "total", "--quiet").AssertUsageError();
        Assert.Contains("too narrow to fit an exponent in N", narrow, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_within_one_configuration_is_still_an_error_naming_its_line()
    {
        using var tmp = new TempDir();
        var lines = Table().TrimEnd('\n').Split('\n');
        string path = Path.Combine(tmp.Path, "moe.csv");
        File.WriteAllLines(path, [.. lines, lines[5]]);
        var e = Assert.Throws<RunFormatException>(() => RunReader.ReadSweep(path, new RunReadOptions { MoeSize = MoeParameterCount.Active }));
        Assert.Equal($"{path}:{lines.Length + 1}: duplicate of line 6: the same (configuration, N, D, lr, bs) point.", e.Message);
    }
}
