namespace HyperLaws.ScheduleOptimization;

/// <summary>Shape summary of a schedule after its warmup: where the cooldown starts (first step below 99% of the post-warmup peak).</summary>
public sealed record ScheduleShape(double Peak, int CooldownStart, double FinalLr)
{
    /// <summary>The shape of the per-step LRs <paramref name="lr"/> after the first <paramref name="warmup"/> steps.</summary>
    public static ScheduleShape Of(IReadOnlyList<double> lr, int warmup)
    {
        double peak = 0;
        for (int i = warmup; i < lr.Count; i++) peak = Math.Max(peak, lr[i]);
        int start = lr.Count;
        // The last time the LR is at >= 99% of the peak, plus one: the cooldown begins after it.
        for (int i = lr.Count - 1; i >= warmup; i--)
            if (lr[i] >= 0.99 * peak) { start = i + 2; break; }
        return new ScheduleShape(peak, Math.Min(start, lr.Count), lr[^1]);
    }

    /// <summary>max_t |a_t - b_t| over the common steps.</summary>
    public static double MaxDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double m = 0;
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }
}
