namespace HyperLaws.Plotting.Internal;

/// <summary>
/// Contour lines of a field sampled on a rectangular grid, by marching squares with linear
/// interpolation along cell edges. Segments are joined into polylines through the grid edges they share.
/// </summary>
internal static class MarchingSquares
{
    /// <summary>
    /// The polylines where <paramref name="z"/> (indexed [row, column], rows along <paramref name="y"/>,
    /// columns along <paramref name="x"/>) crosses <paramref name="level"/>. A closed loop repeats its
    /// first point at the end. Cells with a NaN corner are skipped; a grid value equal to the level counts as above it.
    /// </summary>
    public static IReadOnlyList<(double X, double Y)[]> Trace(double[] x, double[] y, double[,] z, double level)
    {
        int rows = y.Length;
        int columns = x.Length;
        if (z.GetLength(0) != rows || z.GetLength(1) != columns)
        {
            throw new ArgumentException($"z is {z.GetLength(0)}x{z.GetLength(1)} but the grid is {rows}x{columns}.", nameof(z));
        }

        // Edge ids: 2*(r*columns+c) is the edge from (r,c) to (r,c+1); 2*(r*columns+c)+1 from (r,c) to (r+1,c).
        int Horizontal(int r, int c) => 2 * (r * columns + c);
        int Vertical(int r, int c) => 2 * (r * columns + c) + 1;

        var segments = new List<(int A, int B)>();
        for (int r = 0; r + 1 < rows; r++)
        {
            for (int c = 0; c + 1 < columns; c++)
            {
                double z00 = z[r, c], z01 = z[r, c + 1], z10 = z[r + 1, c], z11 = z[r + 1, c + 1];
                if (double.IsNaN(z00) || double.IsNaN(z01) || double.IsNaN(z10) || double.IsNaN(z11))
                {
                    continue;
                }

                bool a00 = z00 >= level, a01 = z01 >= level, a10 = z10 >= level, a11 = z11 >= level;
                int bottom = Horizontal(r, c), top = Horizontal(r + 1, c), left = Vertical(r, c), right = Vertical(r, c + 1);
                var crossed = new List<int>(4);
                if (a00 != a01) crossed.Add(bottom);
                if (a01 != a11) crossed.Add(right);
                if (a11 != a10) crossed.Add(top);
                if (a10 != a00) crossed.Add(left);

                if (crossed.Count == 2)
                {
                    segments.Add((crossed[0], crossed[1]));
                }
                else if (crossed.Count == 4)
                {
                    // Saddle: the cell centre decides which pair of opposite corners is connected.
                    bool centre = (z00 + z01 + z10 + z11) / 4 >= level;
                    if (centre == a00)
                    {
                        segments.Add((bottom, right));
                        segments.Add((top, left));
                    }
                    else
                    {
                        segments.Add((left, bottom));
                        segments.Add((right, top));
                    }
                }
            }
        }

        (double X, double Y) Point(int edge)
        {
            int node = edge / 2;
            int r = node / columns, c = node % columns;
            (int r2, int c2) = edge % 2 == 0 ? (r, c + 1) : (r + 1, c);
            double t = (level - z[r, c]) / (z[r2, c2] - z[r, c]);
            return (x[c] + t * (x[c2] - x[c]), y[r] + t * (y[r2] - y[r]));
        }

        return [.. Join(segments).Select(edges => WithoutRepeats(edges.Select(Point))).Where(line => line.Length > 1)];
    }

    /// <summary>Drops consecutive repeats, which appear where the level passes exactly through a grid point.</summary>
    private static (double X, double Y)[] WithoutRepeats(IEnumerable<(double X, double Y)> points)
    {
        var kept = new List<(double X, double Y)>();
        foreach ((double X, double Y) point in points)
        {
            if (kept.Count == 0 || kept[^1] != point)
            {
                kept.Add(point);
            }
        }

        return [.. kept];
    }

    /// <summary>Chains segments that share an edge into sequences of edges.</summary>
    private static List<List<int>> Join(List<(int A, int B)> segments)
    {
        var byEdge = new Dictionary<int, List<int>>();
        for (int i = 0; i < segments.Count; i++)
        {
            foreach (int edge in new[] { segments[i].A, segments[i].B })
            {
                if (!byEdge.TryGetValue(edge, out List<int>? list))
                {
                    byEdge[edge] = list = [];
                }

                list.Add(i);
            }
        }

        var used = new bool[segments.Count];
        var chains = new List<List<int>>();
        for (int start = 0; start < segments.Count; start++)
        {
            if (used[start])
            {
                continue;
            }

            used[start] = true;
            var forward = Extend(segments[start].B, segments, byEdge, used);
            var backward = Extend(segments[start].A, segments, byEdge, used);
            backward.Reverse();
            chains.Add([.. backward, segments[start].A, segments[start].B, .. forward]);
        }

        return chains;
    }

    /// <summary>Follows unused segments from <paramref name="edge"/>, returning the edges reached in order.</summary>
    private static List<int> Extend(int edge, List<(int A, int B)> segments, Dictionary<int, List<int>> byEdge, bool[] used)
    {
        var edges = new List<int>();
        while (true)
        {
            int next = byEdge[edge].FirstOrDefault(i => !used[i], -1);
            if (next < 0)
            {
                return edges;
            }

            used[next] = true;
            edge = segments[next].A == edge ? segments[next].B : segments[next].A;
            edges.Add(edge);
        }
    }
}
