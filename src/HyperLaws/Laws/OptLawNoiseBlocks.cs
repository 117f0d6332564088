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
    private readonly int _rows;               // observed rows
    // Per block, in order: where its data starts, its centre c (ln(eta / eta_r) units; NaN when every eta is 0), its half
    // range h, its order K (at p = MaxPower) and the observed rows that end at it (first row, or -1; how many).
    private readonly Block[] _blocks;
    // Per block, contiguous (one stream for the fill to read): P per lag, then the moments [n = 0..K][lag] (scaled by 1/n!),
    // each row _stride long (padding lanes zero).
    private readonly double[] _data;
    private readonly double[,] _escape;       // per observed row and barrier
    private double[]? _scratch;               // the fill's noise by observed row, _stride per row (one fill at a time per instance)

    private readonly record struct Block(int Offset, double Centre, double HalfRange, int Order, int EndRow, int Rows);

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
        var offset = new int[blocks];
        int size = 0;
        for (int b = 0; b < blocks; b++) { offset[b] = size; size += _stride * (orders[b] + 2); }
        _data = new double[size];
        _blocks = new Block[blocks];
        _rows = steps.Length;
        _escape = new double[steps.Length, barriers.Count];

        // Pass 2: per block, P and the moments by the noise recursion with inputs delta^n / n!, the lags side by side as
        // SIMD vectors (each lane the same arithmetic as one lag alone; the padding lanes have d = 1, gain 0 and stay 0).
        var lagArray = lags.ToArray();
        var decay = new double[_stride];
        var gains = new double[_stride];
        decay.AsSpan(_lags).Fill(1);
        var powers = new double[61];
        var escape = new double[barriers.Count];
        previousEta = double.NaN;
        next = 0;
        int start = 1;
        for (int b = 0; b < blocks; b++)
        {
            int end = ends[b], order = orders[b];
            _data.AsSpan(offset[b], _lags).Fill(1);
            var carry = _data.AsSpan(offset[b], _stride);
            var moments = _data.AsSpan(offset[b] + _stride, _stride * (order + 1));
            double centre = centres[b];
            for (int t = start; t <= end; t++)
            {
                double eta = history.Eta(t);
                if (eta <= 0) continue;   // d = 1, level 0
                if (eta != previousEta)
                {
                    for (int a = 0; a < _lags; a++)
                    {
                        decay[a] = Math.Exp(-eta / lagArray[a]);
                        gains[a] = 1 - decay[a];
                    }
                    u = Math.Log(eta) - logReference;
                    previousEta = eta;
                }
                double delta = u - centre;
                powers[0] = 1;
                for (int n = 1; n <= order; n++) powers[n] = powers[n - 1] * delta / n;
                for (int a = 0; a < _stride; a += width)
                {
                    var d = new System.Numerics.Vector<double>(decay, a);
                    var gain = new System.Numerics.Vector<double>(gains, a);
                    (new System.Numerics.Vector<double>(carry.Slice(a, width)) * d).CopyTo(carry.Slice(a, width));
                    for (int n = 0; n <= order; n++)
                    {
                        var m = moments.Slice(n * _stride + a, width);
                        (d * new System.Numerics.Vector<double>(m) + gain * powers[n]).CopyTo(m);
                    }
                }
                for (int j = 0; j < escape.Length; j++) escape[j] += eta * Math.Exp(-barriers[j] / eta);
            }
            int endRow = -1, rows = 0;
            while (next < steps.Length && steps[next] == end)
            {
                if (endRow < 0) endRow = next;
                rows++;
                for (int j = 0; j < escape.Length; j++) _escape[next, j] = escape[j];
                next++;
            }
            _blocks[b] = new Block(offset[b], centre, halves[b], order, endRow, rows);
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
    /// run side by side as SIMD vectors (independent chains: the processor overlaps them). Each block's P and moments lie
    /// together, so the blocks' data are read as one stream; the noise goes by rows into a scratch array (one run's rows:
    /// in cache) and is copied out column by column, so the columns are written one at a time rather than as one write
    /// stream per lag at once. exp(p c) is taken once per distinct centre (a constant LR's blocks share it). The values are
    /// the same, bit for bit, as with the moments, carries and block fields in separate arrays and the rows written
    /// straight into the columns (the same operations in the same order).
    /// </summary>
    public void FillNoise(double power, double[][] columns, int offset)
    {
        int lags = _lags, stride = _stride, width = System.Numerics.Vector<double>.Count;
        var scratch = _scratch ??= new double[_rows * stride];
        Span<double> noise = stride <= 64 ? stackalloc double[stride] : new double[stride];
        noise.Clear();
        ref double state = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(noise);
        ref double data = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_data);
        var p = new System.Numerics.Vector<double>(power);
        double lastCentre = double.NaN, scaleValue = 0;
        foreach (var block in _blocks)
        {
            double centre = block.Centre;
            if (!double.IsNaN(centre))
            {
                // Every eta in a NaN-centre block is 0: nothing changes (P = 1).
                int order = Math.Min(block.Order, OrderOf(power * block.HalfRange));
                if (centre != lastCentre) (scaleValue, lastCentre) = (OptLaw.ReferenceLr * Math.Exp(power * centre), centre);
                var scale = new System.Numerics.Vector<double>(scaleValue);
                // Offsets checked by construction: the block's P and its K + 1 >= order + 1 rows of moments lie in _data.
                nuint carry = (nuint)block.Offset, moments = carry + (nuint)stride;
                // Horner in p over whole vectors of lags (the padding lanes hold zeros and stay zero).
                for (int a = 0; a < stride; a += width)
                {
                    var sum = System.Numerics.Vector.LoadUnsafe(ref data, moments + (nuint)(order * stride + a));
                    for (int n = order - 1; n >= 0; n--) sum = sum * p + System.Numerics.Vector.LoadUnsafe(ref data, moments + (nuint)(n * stride + a));
                    System.Numerics.Vector.StoreUnsafe(
                        System.Numerics.Vector.LoadUnsafe(ref data, carry + (nuint)a) * System.Numerics.Vector.LoadUnsafe(ref state, (nuint)a) + scale * sum,
                        ref state, (nuint)a);
                }
            }
            for (int r = block.EndRow; r >= 0 && r < block.EndRow + block.Rows; r++) noise.CopyTo(scratch.AsSpan(r * stride, stride));
        }
        for (int a = 0; a < lags; a++)
        {
            var column = columns[a].AsSpan(offset, _rows);
            for (int r = 0; r < column.Length; r++) column[r] = scratch[r * stride + a];
        }
    }
}
