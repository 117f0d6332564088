using HyperLaws.Plotting.Internal;
using Xunit;

namespace HyperLaws.Plotting.Tests;

public sealed class MarchingSquaresTests
{
    private static double[] Linspace(double lo, double hi, int count) =>
        [.. Enumerable.Range(0, count).Select(i => lo + (hi - lo) * i / (count - 1))];

    private static double[,] Sample(double[] x, double[] y, Func<double, double, double> f)
    {
        var z = new double[y.Length, x.Length];
        for (int r = 0; r < y.Length; r++)
        {
            for (int c = 0; c < x.Length; c++)
            {
                z[r, c] = f(x[c], y[r]);
            }
        }

        return z;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.37)]
    [InlineData(1.5)]
    public void PlaneField_GivesOneExactStraightLine(double level)
    {
        double[] x = Linspace(0, 1, 6);
        double[] y = Linspace(0, 1, 5);

        var lines = MarchingSquares.Trace(x, y, Sample(x, y, (a, b) => a + b), level);

        (double X, double Y)[] line = Assert.Single(lines);
        // Linear interpolation is exact on a plane: the points are where x + y = level meets the grid lines.
        var expected = x.Where(v => level - v is >= 0 and <= 1).Select(v => (v, level - v))
            .Concat(y.Where(v => level - v is >= 0 and <= 1).Select(v => (level - v, v)))
            .Select(Round).Distinct().Order();
        Assert.Equal(expected, line.Select(Round).Order());
        Assert.Equal(line.Length, line.Distinct().Count());
        Assert.All(line, p => Assert.Equal(level, p.X + p.Y, 12));
        // A polyline, not a bag of points: it runs one way along the line.
        double direction = Math.Sign(line[^1].X - line[0].X);
        Assert.All(line.Zip(line.Skip(1)), pair => Assert.Equal(direction, Math.Sign(pair.Second.X - pair.First.X)));
    }

    private static (double, double) Round((double X, double Y) p) => (Math.Round(p.X, 9), Math.Round(p.Y, 9));

    [Fact]
    public void CircularField_GivesOneClosedLoop()
    {
        double[] grid = Linspace(-1, 1, 41);

        var lines = MarchingSquares.Trace(grid, grid, Sample(grid, grid, (a, b) => a * a + b * b), 0.25);

        (double X, double Y)[] loop = Assert.Single(lines);
        Assert.Equal(loop[0], loop[^1]);
        Assert.All(loop, p => Assert.InRange(Math.Sqrt(p.X * p.X + p.Y * p.Y), 0.49, 0.501));
    }

    [Fact]
    public void CellsWithNaNCorners_AreSkipped()
    {
        double[] x = Linspace(0, 4, 5);
        double[] y = Linspace(0, 4, 5);
        double[,] z = Sample(x, y, (a, _) => a);
        z[2, 2] = double.NaN;

        var lines = MarchingSquares.Trace(x, y, z, 2.5);

        // x = 2.5 crosses cells in column 2; the two touching (row 2, column 2) are skipped.
        Assert.Equal(2, lines.Count);
        Assert.All(lines.SelectMany(l => l), p => Assert.Equal(2.5, p.X, 12));
        Assert.DoesNotContain(lines.SelectMany(l => l), p => p.Y > 1 && p.Y < 3);
    }

    [Fact]
    public void LevelOutsideTheField_GivesNothing()
    {
        double[] x = Linspace(0, 1, 3);

        Assert.Empty(MarchingSquares.Trace(x, x, Sample(x, x, (a, b) => a + b), 5));
    }
}
