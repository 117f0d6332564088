using Xunit;

namespace HyperLaws.Readers.Tests;

public class SteplawReaderTests
{
    [Fact]
    public void TheTableHas1911RunsIn17Cells()
    {
        var t = RunReader.ReadSweep(DataFolder.Combine("steplaw", "data", "dense_lr_bs_loss.csv"));
        Assert.Equal(1911, t.Points.Count);
        Assert.Equal(17, t.Cells.Count);
        var p = t.Points[0];
        Assert.Equal(214663680, p.N);
        Assert.Equal(1e11, p.D);
        Assert.Equal(736 * 2048, p.BatchTokens);
        Assert.Equal(66342, p.Iterations);
        Assert.All(t.Points, q => Assert.InRange(q.BatchTokens * q.Iterations / q.D, 0.99, 1.01));
        Assert.All(t.Cells, c => Assert.True(c.Best.Loss <= c.Points.Min(q => q.Loss)));
    }

    [Theory]
    [InlineData("h,lr,bs,ti,loss,smooth loss,exp_name,D,N\n1,0.001,10,100,2.5,2.4,a,1e9,-5\n", "N (parameters) must be a positive")]
    [InlineData("h,lr,bs,ti,loss,exp_name,D,N\n", "missing column smooth loss")]
    [InlineData("h,lr,bs,ti,loss,smooth loss,exp_name,D,N\n1,0.001,10,100,nan,2.4,a,1e9,5e8\n", "loss is nan")]
    [InlineData("h,lr,bs,ti,loss,smooth loss,exp_name,D,N\n1,0.001,10,100,2.5,2.4,a,1e9,5e8\n1,0.001,10,100,2.6,2.4,b,1e9,5e8\n", "duplicate of line 2")]
    [InlineData("h,lr,bs,ti,loss,smooth loss,exp_name,D,N\n1,0.001,10,100,2.5,2.4\n", "expected 9 fields")]
    public void BadRows(string content, string problem)
    {
        using var tmp = new TempDir();
        string f = tmp.File("sweep.csv", content);
        var e = Assert.Throws<RunFormatException>(() => SteplawReader.Read(f));
        Assert.StartsWith(f + ":", e.Message);
        Assert.Contains(problem, e.Message);
    }
}
