using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>The Chinchilla SVG runs and the Porian et al. iso-FLOP tables: counts on the real files and one-line errors naming file and line.</summary>
public class ScalingPointReaderTests
{
    [Fact]
    public void The_real_files_have_245_Chinchilla_runs_and_1745_Porian_points()
    {
        var runs = ScalingPointReader.ReadChinchillaSvg(DataFolder.Combine("analyzing-chinchilla", "data", "svg_extracted_data.csv"));
        Assert.Equal(245, runs.Count);
        // First row: N 6.7956e9, C 9.9939e18, so D = C / (6 N).
        Assert.Equal(9.993852799709755e+18 / (6 * 6795600349.289497), runs[0].D, 6);
        Assert.Equal(9.993852799709755e+18, runs[0].Flops, 1e4);
        var points = ScalingPointReader.ReadPorianPoints(DataFolder.Combine("resolving-scaling-law-discrepancies", "derived", "porian2024_isoflop_points.csv"));
        Assert.Equal(1745, points.Count);
        Assert.Equal(15, points.Select(p => p.Configuration).Distinct().Count());
        Assert.Equal("rw/base/long/kaplan/kaplan/train", points[0].Configuration);
        var optima = ScalingPointReader.ReadPorianOptima(DataFolder.Combine("resolving-scaling-law-discrepancies", "derived", "porian2024_isoflop_optima.csv"));
        // 177 rows less the 4 budgets with no optimum (empty n_opt, tokens_opt, loss_opt).
        Assert.Equal(173, optima.Count);
    }

    private const string Svg = "x,y,color,Model Size,Training FLOP,hex_color,loss\n";
    private const string Porian = "source_file,dataset,hparams,warmup,decay,param_count,loss_split,flops,n_params,tokens,loss\n";

    [Theory]
    [InlineData(Svg + "1,2,#f,7e9,1e19,#f,5.0\n1,2,#f,7e9,1e19,#f,-5.0\n", "svg.csv:3: loss must be a positive finite number")]
    [InlineData(Svg + "1,2,#f,seven,1e19,#f,5.0\n", "svg.csv:2: Model Size 'seven' is not a number")]
    [InlineData("x,y,Model Size,loss\n1,2,7e9,5\n", "svg.csv:1: missing column Training FLOP")]
    [InlineData(Svg + "1,2,#f,7e9,1e19\n", "svg.csv:2: expected 7 fields")]
    [InlineData(Svg, "svg.csv:1: no data rows")]
    public void Bad_Chinchilla_rows(string content, string problem)
    {
        using var tmp = new TempDir();
        string file = tmp.File("svg.csv", content);
        var e = Assert.Throws<RunFormatException>(() => ScalingPointReader.ReadChinchillaSvg(file));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(file, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Porian + "s,rw,base,long,kaplan,kaplan,train,1e16,3e5,6e9,4.7\ns,rw,,long,kaplan,kaplan,train,1e16,3e5,6e9,4.7\n", "p.csv:3: hparams is empty")]
    [InlineData(Porian + "s,rw,base,long,kaplan,kaplan,train,1e16,0,6e9,4.7\n", "p.csv:2: n_params must be a positive finite number")]
    [InlineData("source_file,dataset,flops,n_params,tokens,loss\n", "missing columns hparams, warmup, decay, param_count, loss_split")]
    public void Bad_Porian_rows(string content, string problem)
    {
        using var tmp = new TempDir();
        string file = tmp.File("p.csv", content);
        var e = Assert.Throws<RunFormatException>(() => ScalingPointReader.ReadPorianPoints(file));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
