using HyperLaws.Optimum;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Tests.Optimum;

public sealed class OptimumEvaluationTests
{
    // Cells whose optimum follows eta* = 0.5 N^-0.4 D^0.1, B* = 2 N^0.05 D^0.5 (tokens), each grid centred on it.
    private static SweepTable Table()
    {
        var cells = new (double N, double D)[] { (1e8, 2e9), (1e8, 1e10), (2e8, 4e9), (2e8, 3e10), (5e8, 1e10), (5e8, 5e10), (1e9, 2e10), (1e9, 1e11) };
        var points = new List<SweepPoint>();
        foreach (var (n, d) in cells)
        {
            double lr = 0.5 * Math.Pow(n, -0.4) * Math.Pow(d, 0.1), b = 2 * Math.Pow(n, 0.05) * Math.Pow(d, 0.5);
            points.AddRange(SyntheticSweep.Cell(n, d, lr, b / SyntheticSweep.SequenceLength, 5, 4, SyntheticSweep.Bowl(Math.Log(lr), Math.Log(b))).Points);
        }
        return new SweepTable(points);
    }

    [Fact]
    public void Leave_one_cell_out_on_an_exact_rule_lands_on_every_cells_best_run()
    {
        var result = OptimumEvaluation.Run(Table(), leaveOneOut: true);
        Assert.True(result.LeaveOneOut);
        Assert.Equal(8, result.Cells.Count);
        Assert.Equal(-0.4, result.Rule.B, 6);
        Assert.Equal(0.1, result.Rule.C, 6);
        Assert.Equal(0.05, result.Rule.E, 6);
        Assert.Equal(0.5, result.Rule.F, 6);
        var ours = result.Summaries[0];
        Assert.Equal(0, ours.Mean, 12);
        Assert.Equal(8, ours.BestRunHits);
        Assert.All(result.Cells, c => Assert.Equal(7, c.Rule.Cells));
        Assert.Equal(["Step Law", "DeepSeek"], result.Cells[0].References.Select(r => r.Rule));
        // The published rules were not made for this synthetic grid: they miss.
        Assert.True(result.Summaries[1].Mean > 0);
        Assert.True(result.Summaries[2].Mean > 0);
    }

    [Fact]
    public void Too_few_cells_are_rejected()
    {
        var four = new SweepTable([.. Table().Points.Where(p => p.N < 5e8)]);
        Assert.Equal(4, four.Cells.Count);
        Assert.Equal(4, OptimumEvaluation.Run(four, leaveOneOut: false).Cells.Count);
        Assert.Contains("at least 5", Assert.Throws<ArgumentException>(() => OptimumEvaluation.Run(four, leaveOneOut: true)).Message, StringComparison.Ordinal);
        Assert.Contains("no (N, D) cells", Assert.Throws<ArgumentException>(() => OptimumEvaluation.Run(new SweepTable([]), leaveOneOut: false)).Message, StringComparison.Ordinal);
    }
}
