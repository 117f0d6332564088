namespace HyperLaws.Divergence;

/// <summary>
/// The LR values of a schedule as a weighted multiset (value, number of steps), sorted, with suffix sums,
/// so that the areas of the Opt-Laws divergence criterion for any threshold cost O(log K).
/// <para>
/// Area definition (discrete, for any schedule; Luo et al. 2025 "Opt-Laws" draw it for linear warmup +
/// cooldown, where it is the area under the LR curve below and above the horizontal line eta_L):
/// S1(eta_L) = sum_t min(eta_t, eta_L) and S2(eta_L) = sum_t max(eta_t - eta_L, 0), so S1 + S2 = sum_t eta_t.
/// For warmup + cooldown this is exactly the paper's geometry (the curve cut by the line eta_L), and it
/// extends to any shape, including multi-peak ones, because it depends only on how many steps spend
/// how much LR above the line. R = S2 / S1; R &gt; 1 predicts divergence.
/// </para>
/// <para>
/// Long schedules are compressed by the midpoint rule: above <see cref="MaxSamples"/> steps, consecutive
/// blocks of k steps are represented by their middle step with weight k (relative area error O(1/K^2)
/// on smooth shapes; exact for constant phases). Up to <see cref="MaxSamples"/> steps the profile is exact.
/// </para>
/// </summary>
public sealed class LrProfile
{
    /// <summary>Longest schedule kept step by step; longer ones are block-compressed.</summary>
    public const int MaxSamples = 1024;

    private readonly double[] values;   // ascending
    private readonly double[] weightAbove; // weightAbove[i] = sum_{j>=i} w_j
    private readonly double[] areaAbove;   // areaAbove[i] = sum_{j>=i} w_j v_j

    private LrProfile(List<(double V, double W)> samples, long steps)
    {
        samples.Sort((x, y) => x.V.CompareTo(y.V));
        int k = samples.Count;
        values = new double[k];
        weightAbove = new double[k + 1];
        areaAbove = new double[k + 1];
        for (int i = k - 1; i >= 0; i--)
        {
            values[i] = samples[i].V;
            weightAbove[i] = weightAbove[i + 1] + samples[i].W;
            areaAbove[i] = areaAbove[i + 1] + samples[i].W * samples[i].V;
        }
        Steps = steps;
    }

    /// <summary>Number of steps S of the schedule.</summary>
    public long Steps { get; }

    /// <summary>sum_t eta_t (= S1 + S2 for every threshold).</summary>
    public double Total => areaAbove[0];

    /// <summary>The largest LR.</summary>
    public double Peak => values[^1];

    /// <summary>An exact profile of per-step LRs (index 0 = step 1), compressed above <see cref="MaxSamples"/> steps.</summary>
    public static LrProfile FromLearningRates(ReadOnlySpan<double> lr)
    {
        if (lr.Length == 0) throw new ArgumentException("the schedule has no steps.", nameof(lr));
        // Sampled in place (issue 12: the planner screens ~100 schedules of 10^5-10^6 steps; a copy for a closure was one
        // large-object array per screen, and with the others the LOH budget's gen2 collections): the same samples as FromFunction's.
        return Sample(lr.Length, null, lr);
    }

    /// <summary>A profile of eta(t), t = 1..steps, evaluating at most about <see cref="MaxSamples"/> steps.</summary>
    public static LrProfile FromFunction(Func<long, double> lrAtStep, long steps)
    {
        ArgumentNullException.ThrowIfNull(lrAtStep);
        if (steps < 1) throw new ArgumentException($"the schedule must have at least one step (got {steps}).", nameof(steps));
        return Sample(steps, lrAtStep, default);
    }

    /// <summary>The midpoint-rule samples of eta(t), t = 1..steps: from <paramref name="lrAtStep"/>, or when it is null from <paramref name="table"/> (step t at index t - 1).</summary>
    private static LrProfile Sample(long steps, Func<long, double>? lrAtStep, ReadOnlySpan<double> table)
    {
        var samples = new List<(double, double)>((int)Math.Min(steps, MaxSamples));
        long block = (steps + MaxSamples - 1) / MaxSamples;
        for (long start = 1; start <= steps; start += block)
        {
            long end = Math.Min(steps, start + block - 1);
            long len = end - start + 1;
            // Midpoint rule over the block; for a block of even length, average the two middle steps.
            double v = len % 2 == 1 ? At(lrAtStep, table, start + len / 2) : 0.5 * (At(lrAtStep, table, start + len / 2 - 1) + At(lrAtStep, table, start + len / 2));
            if (!double.IsFinite(v) || v < 0) throw new ArgumentException($"the LR at step {start + len / 2} is {v} (must be finite and >= 0).");
            samples.Add((v, len));
        }
        return new LrProfile(samples, steps);
    }

    private static double At(Func<long, double>? lrAtStep, ReadOnlySpan<double> table, long t) => lrAtStep is null ? table[(int)(t - 1)] : lrAtStep(t);

    /// <summary>S2 = sum_t max(eta_t - etaL, 0): the area above the threshold.</summary>
    public double AreaAbove(double etaL)
    {
        if (!(etaL > 0) || !double.IsFinite(etaL)) throw new ArgumentOutOfRangeException(nameof(etaL), etaL, "the threshold must be positive and finite.");
        int i = FirstAbove(etaL);
        return areaAbove[i] - etaL * weightAbove[i];
    }

    /// <summary>S1 = sum_t min(eta_t, etaL): the area below the threshold.</summary>
    public double AreaBelow(double etaL) => Total - AreaAbove(etaL);

    /// <summary>Number of steps with eta_t &gt; etaL.</summary>
    public double StepsAbove(double etaL) => weightAbove[FirstAbove(etaL)];

    /// <summary>R = S2 / S1 (0 when the schedule never exceeds etaL; +inf when S1 = 0).</summary>
    public double Ratio(double etaL)
    {
        double s2 = AreaAbove(etaL);
        double s1 = Total - s2;
        return s2 <= 0 ? 0 : s1 <= 0 ? double.PositiveInfinity : s2 / s1;
    }

    private int FirstAbove(double etaL)
    {
        int lo = 0, hi = values.Length; // first index with values[i] > etaL
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (values[mid] > etaL) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
