namespace HyperLaws.Laws;

/// <summary>
/// OptLaw's features at the observed steps of one curve for any power p, in O(blocks x lags) per p
/// after one O(S x lags) pass: the fit's fast path (<see cref="OptLaw"/>'s variable projection changes p
/// at nearly every evaluation).
/// <para>
/// Over a block of steps (t0, t1] the noise recursion N(t) = d_t N(t-1) + (1 - d_t) l_t is linear, so
/// N(t1) = P N(t0) + sum_k g_k l_k with P = prod d_k and g_k = (1 - d_k) prod_{j&gt;k} d_j (both
/// independent of p). The level is l_k = eta_r exp(p u_k), u_k = ln(eta_k / eta_r); with the block's
/// centre c (the midpoint of its u range) and delta_k = u_k - c,
/// <code>
/// sum_k g_k l_k = eta_r exp(p c) sum_n p^n / n! M_n,   M_n = sum_k g_k delta_k^n
/// </code>
/// (the exponential series of exp(p delta_k), exchanged with the finite sum). M_n follows the same
/// recursion as N itself with input delta^n, so one forward pass gives every moment. Truncating after
/// n = K leaves at most (p h)^(K+1) / (K+1)! e^(p h) sum_k g_k relative to the block's levels, h the
/// block's half range of u; blocks end at every observed step and wherever h would pass
/// <see cref="MaxHalfRange"/>. The moments are kept up to the smallest order whose bound at p = <see cref="MaxPower"/>
/// is under 1e-16, and each fill sums them up to the smallest order whose bound at its own p is (constant-LR blocks:
/// K = 0, exact). Steps with eta = 0 have d = 1 and level 0: they change nothing.
/// The escape features do not depend on p and are stored at the observed steps.
/// </para>
/// </summary>
internal sealed class OptLawNoiseBlocks
{
    /// <summary>The largest power the expansion is accurate for (the fit searches p in (0.05, 5)).</summary>
    public const double MaxPower = 5;

    /// <summary>The largest half range of ln eta inside one block.</summary>
    public const double MaxHalfRange = 0.1;

    private readonly int _lags;
    private readonly int _stride;             // _lags rounded up to whole SIMD vectors (the moments' and carries' row length)
    private readonly int[] _blockEndRow;      // per block: the first observed row it ends at, or -1
    private readonly int[] _blockRows;        // per block: how many observed rows end there (duplicated steps)
    private readonly double[] _centre;        // per block: c (ln(eta / eta_r) units); NaN when every eta is 0
    private readonly int[] _order;            // per block: K (at p = MaxPower)
    private readonly double[] _halfRange;     // per block: h
    private readonly int[] _offset;           // per block: start of its [n = 0..K][lag] moments (scaled by 1/n!) in _moments
    private readonly double[] _moments;
    private readonly double[] _carry;         // per block and lag: P
    private readonly double[,] _escape;       // per observed row and barrier

    public OptLawNoiseBlocks(IReadOnlyList<double> lags, IReadOnlyList<double> barriers, ScheduleHistory history, ReadOnlySpan<int> steps)
    {
        _lags = lags.Count;
        int width = System.Numerics.Vector<double>.Count;
        _stride = (_lags + width - 1) / width * width;
        int last = steps.Length == 0 ? 0 : steps[^1];
        double logReference = Math.Log(OptLaw.ReferenceLr);

        // Pass 1: block boundaries (observed steps; the u range), centres and orders.
        var ends = new List<int>();
        var centres = new List<double>();
        var orders = new List<int>();
        var halves = new List<double>();
        int next = 0;
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity, previousEta = double.NaN, u = 0;
        for (int t = 1; t <= last; t++)
        {
            double eta = history.Eta(t);
            if (eta > 0)
            {
                if (eta != previousEta) (u, previousEta) = (Math.Log(eta) - logReference, eta);
                double newLo = Math.Min(lo, u), newHi = Math.Max(hi, u);
                if (newHi - newLo > 2 * MaxHalfRange && t > 1 && (ends.Count == 0 || ends[^1] < t - 1))
                {
                    Close(t - 1, lo, hi);
                    (newLo, newHi) = (u, u);
                }
                (lo, hi) = (newLo, newHi);
            }
            bool observed = false;
            while (next < steps.Length && steps[next] == t) { next++; observed = true; }
            if (observed) Close(t, lo, hi);
        }

        void Close(int end, double l, double h)
        {
            ends.Add(end);
            if (double.IsPositiveInfinity(l)) { centres.Add(double.NaN); orders.Add(0); halves.Add(0); }
            else
            {
                double half = 0.5 * (h - l);
                centres.Add(0.5 * (l + h));
                orders.Add(Order(MaxPower * half));
                halves.Add(half);
            }
            (lo, hi) = (double.PositiveInfinity, double.NegativeInfinity);
        }

        int blocks = ends.Count;
        _centre = [.. centres];
        _order = [.. orders];
        _halfRange = [.. halves];
        _offset = new int[blocks];
        int size = 0;
        for (int b = 0; b < blocks; b++) { _offset[b] = size; size += _stride * (_order[b] + 1); }
        _moments = new double[size];
        _carry = new double[blocks * _stride];
        _blockEndRow = new int[blocks];
        _blockRows = new int[blocks];
        _escape = new double[steps.Length, barriers.Count];

        // Pass 2: per block, P and the moments by the noise recursion with inputs delta^n / n!.
        var decay = new double[_lags];
        var powers = new double[61];
        var escape = new double[barriers.Count];
        previousEta = double.NaN;
        next = 0;
        int start = 1;
        for (int b = 0; b < blocks; b++)
        {
            int end = ends[b], order = _order[b];
            var carry = _carry.AsSpan(b * _stride, _lags);
            carry.Fill(1);
            var moments = _moments.AsSpan(_offset[b], _stride * (order + 1));
            double centre = _centre[b];
            for (int t = start; t <= end; t++)
            {
                double eta = history.Eta(t);
                if (eta <= 0) continue;   // d = 1, level 0
                if (eta != previousEta)
                {
                    for (int a = 0; a < _lags; a++) decay[a] = Math.Exp(-eta / lags[a]);
                    u = Math.Log(eta) - logReference;
                    previousEta = eta;
                }
                double delta = u - centre;
                powers[0] = 1;
                for (int n = 1; n <= order; n++) powers[n] = powers[n - 1] * delta / n;
                for (int a = 0; a < _lags; a++)
                {
                    double d = decay[a], gain = 1 - d;
                    carry[a] *= d;
                    for (int n = 0; n <= order; n++) moments[n * _stride + a] = d * moments[n * _stride + a] + gain * powers[n];
                }
                for (int j = 0; j < escape.Length; j++) escape[j] += eta * Math.Exp(-barriers[j] / eta);
            }
            _blockEndRow[b] = -1;
            while (next < steps.Length && steps[next] == end)
            {
                if (_blockEndRow[b] < 0) _blockEndRow[b] = next;
                _blockRows[b]++;
                for (int j = 0; j < escape.Length; j++) _escape[next, j] = escape[j];
                next++;
            }
            start = end + 1;
        }
    }

    /// <summary>
    /// The smallest order k whose remainder bound x^(k+1) / (k+1)! e^x (of the exponential series of exp(p delta), x = p h)
    /// is under 1e-16; at most 60.
    /// </summary>
    private static int Order(double x)
    {
        int k = 0;
        for (double term = x * Math.Exp(x); term > 1e-16 && k < 60; k++) term *= x / (k + 2);
        return k;
    }

    /// <summary>
    /// Limits[k]: the largest x (to 1e-15 relative, found by bisection on <see cref="Order"/>, which is non-decreasing in x)
    /// with Order(x) &lt;= k, so that Order(x) = the first k with x &lt;= Limits[k]; the fill looks the order up without an exp.
    /// </summary>
    private static readonly double[] Limits = [.. Enumerable.Range(0, 61).Select(k =>
    {
        double lo = 0, hi = 64;
        if (Order(hi) <= k) return double.PositiveInfinity;
        for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Order(mid) <= k) lo = mid; else hi = mid;
        }
        return lo;
    })];

    /// <summary><see cref="Order"/>(x) by the table: exact where x is not within 1e-15 of a limit, one order more otherwise.</summary>
    private static int OrderOf(double x)
    {
        int k = 0;
        while (k < 60 && x > Limits[k]) k++;
        return k;
    }

    /// <summary>
    /// Writes the features at every observed row into <paramref name="features"/> (rows x (lags +
    /// barriers)): the noise features for <paramref name="power"/>, then the escape features.
    /// </summary>
    public void Fill(double power, double[,] features)
    {
        int rows = features.GetLength(0), barriers = _escape.GetLength(1);
        var columns = new double[_lags + barriers][];
        for (int k = 0; k < columns.Length; k++) columns[k] = new double[rows];
        FillNoise(power, columns, 0);
        FillEscape(columns, 0, 1);
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < columns.Length; k++) features[r, k] = columns[k][r];
    }

    /// <summary>
    /// The escape features (they do not depend on p) at every observed row r, times <paramref name="sign"/>, into
    /// <paramref name="columns"/>[lags + j][<paramref name="offset"/> + r].
    /// </summary>
    public void FillEscape(double[][] columns, int offset, double sign)
    {
        for (int r = 0; r < _escape.GetLength(0); r++)
            for (int j = 0; j < _escape.GetLength(1); j++) columns[_lags + j][offset + r] = sign * _escape[r, j];
    }

    /// <summary>
    /// The noise features for <paramref name="power"/> at every observed row r into
    /// <paramref name="columns"/>[m][<paramref name="offset"/> + r]. Each block's series is cut at the order whose
    /// remainder bound at this p (not at <see cref="MaxPower"/>) is under 1e-16, and the lags' Horner recursions
    /// run side by side (independent chains: the processor overlaps them).
    /// </summary>
    public void FillNoise(double power, double[][] columns, int offset)
    {
        int lags = _lags, stride = _stride, width = System.Numerics.Vector<double>.Count;
        Span<double> noise = stride <= 64 ? stackalloc double[stride] : new double[stride];
        noise.Clear();
        var p = new System.Numerics.Vector<double>(power);
        for (int b = 0; b < _centre.Length; b++)
        {
            if (!double.IsNaN(_centre[b]))
            {
                // Every eta in a NaN-centre block is 0: nothing changes (P = 1).
                int order = Math.Min(_order[b], OrderOf(power * _halfRange[b]));
                var moments = _moments.AsSpan(_offset[b], stride * (_order[b] + 1));
                var carry = _carry.AsSpan(b * stride, stride);
                var scale = new System.Numerics.Vector<double>(OptLaw.ReferenceLr * Math.Exp(power * _centre[b]));
                // Horner in p over whole vectors of lags (the padding lanes hold zeros and stay zero).
                for (int a = 0; a < stride; a += width)
                {
                    var sum = new System.Numerics.Vector<double>(moments.Slice(order * stride + a, width));
                    for (int n = order - 1; n >= 0; n--) sum = sum * p + new System.Numerics.Vector<double>(moments.Slice(n * stride + a, width));
                    (new System.Numerics.Vector<double>(carry.Slice(a, width)) * new System.Numerics.Vector<double>(noise.Slice(a, width)) + scale * sum)
                        .CopyTo(noise.Slice(a, width));
                }
            }
            int row = _blockEndRow[b];
            if (row < 0) continue;
            for (int r = row; r < row + _blockRows[b]; r++)
                for (int a = 0; a < lags; a++) columns[a][offset + r] = noise[a];
        }
    }
}
