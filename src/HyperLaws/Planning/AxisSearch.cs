namespace HyperLaws.Planning;

/// <summary>
/// A 1-D minimisation of a law's predicted final loss over one setting, with batched (parallel) evaluations: a grid over the
/// range; around its best point a bracket [a, m, b] whose halves are bisected (two new points per round, the bracket shrinks
/// to the best of five) for a fixed number of rounds; finally the vertex of the parabola through the last bracket, taken
/// when lower. Positions are in ln(value) on a log axis. Non-finite losses count as +infinity.
/// The interval of a chosen point: the contiguous values whose loss is within a tolerance of it, each end found by
/// bisection between the last evaluated point inside and the first outside.
/// </summary>
internal sealed class AxisSearch(Func<IReadOnlyList<double>, double[]> evaluate, bool log)
{
    private readonly SortedDictionary<double, double> _points = new();

    public IReadOnlyList<AxisPoint> Points => [.. _points.Select(p => new AxisPoint(p.Key, p.Value))];

    private double U(double x) => log ? Math.Log(x) : x;

    private double X(double u) => log ? Math.Exp(u) : u;

    private static double F(double loss) => double.IsFinite(loss) ? loss : double.PositiveInfinity;

    public double[] Evaluate(IReadOnlyList<double> values)
    {
        var todo = values.Where(v => !_points.ContainsKey(v)).Distinct().ToList();
        if (todo.Count > 0)
        {
            var losses = evaluate(todo);
            for (int i = 0; i < todo.Count; i++) _points[todo[i]] = losses[i];
        }
        return [.. values.Select(v => _points[v])];
    }

    public double Loss(double value) => Evaluate([value])[0];

    /// <summary>The optimum: (value, loss, bound). The grid must be increasing; an optimum at its first or last point is an edge.</summary>
    public (double Value, double Loss, AxisBound Bound) Minimize(IReadOnlyList<double> grid, int rounds)
    {
        var losses = Evaluate(grid);
        int best = -1;
        for (int i = 0; i < grid.Count; i++)
            if (double.IsFinite(losses[i]) && (best < 0 || losses[i] < losses[best])) best = i;
        if (best < 0) return (double.NaN, double.NaN, AxisBound.Interior);
        if (best == 0 && grid.Count > 1) return (grid[0], losses[0], AxisBound.AtLow);
        if (best == grid.Count - 1 && grid.Count > 1) return (grid[^1], losses[^1], AxisBound.AtHigh);
        if (grid.Count == 1) return (grid[0], losses[0], AxisBound.Interior);
        double a = grid[best - 1], m = grid[best], b = grid[best + 1];
        for (int round = 0; round < rounds; round++)
        {
            double l = X((U(a) + U(m)) / 2), r = X((U(m) + U(b)) / 2);
            var y = Evaluate([l, r]);
            double fl = F(y[0]), fr = F(y[1]), fm = F(_points[m]);
            if (fl < fm && fl <= fr) (b, m) = (m, l);
            else if (fr < fm) (a, m) = (m, r);
            else (a, b) = (l, r);
        }
        double bestX = m, bestLoss = _points[m];
        // Vertex of the parabola through (a, m, b) in the search coordinate.
        double ua = U(a), um = U(m), ub = U(b), fa = F(_points[a]), fmm = F(_points[m]), fb = F(_points[b]);
        double den = (um - ua) * (fmm - fb) - (um - ub) * (fmm - fa);
        if (double.IsFinite(fa) && double.IsFinite(fb) && den != 0)
        {
            double u = um - 0.5 * ((um - ua) * (um - ua) * (fmm - fb) - (um - ub) * (um - ub) * (fmm - fa)) / den;
            if (u > ua && u < ub && double.IsFinite(u))
            {
                double x = X(u), fx = Loss(x);
                if (F(fx) < bestLoss) (bestX, bestLoss) = (x, fx);
            }
        }
        return (bestX, bestLoss, AxisBound.Interior);
    }

    /// <summary>
    /// The values around <paramref name="chosen"/> (evaluated) whose loss is at most its loss + <paramref name="tolerance"/>,
    /// contiguous with it; each end bisected <paramref name="bisections"/> times; an end is open when no evaluated point on
    /// that side leaves the tolerance (the range's edge is then the end).
    /// </summary>
    public (double Lower, double Upper, bool LowerOpen, bool UpperOpen) Interval(double chosen, double tolerance, int bisections)
    {
        if (!double.IsFinite(tolerance) || !_points.TryGetValue(chosen, out double atChosen) || !double.IsFinite(atChosen)) return (double.NaN, double.NaN, false, false);
        double limit = atChosen + tolerance;
        bool Inside(double loss) => double.IsFinite(loss) && loss <= limit;
        var xs = _points.Keys.ToList();
        int c = xs.IndexOf(chosen);
        int up = c + 1;
        while (up < xs.Count && Inside(_points[xs[up]])) up++;
        int down = c - 1;
        while (down >= 0 && Inside(_points[xs[down]])) down--;
        bool upperOpen = up == xs.Count, lowerOpen = down < 0;
        // Brackets (inside, outside) on each side.
        double ui = xs[up - 1], uo = upperOpen ? double.NaN : xs[up];
        double li = xs[down + 1], lo = lowerOpen ? double.NaN : xs[down];
        for (int k = 0; k < bisections; k++)
        {
            var probe = new List<double>();
            double um = upperOpen ? double.NaN : X((U(ui) + U(uo)) / 2), lm = lowerOpen ? double.NaN : X((U(li) + U(lo)) / 2);
            if (!upperOpen) probe.Add(um);
            if (!lowerOpen) probe.Add(lm);
            if (probe.Count == 0) break;
            Evaluate(probe);
            if (!upperOpen)
            {
                if (Inside(_points[um])) ui = um;
                else uo = um;
            }
            if (!lowerOpen)
            {
                if (Inside(_points[lm])) li = lm;
                else lo = lm;
            }
        }
        return (li, ui, lowerOpen, upperOpen);
    }
}
