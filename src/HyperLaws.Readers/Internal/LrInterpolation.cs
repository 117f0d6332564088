namespace HyperLaws.Readers.Internal;

/// <summary>Per-step LRs from LRs logged at some steps only.</summary>
internal static class LrInterpolation
{
    /// <summary>
    /// eta_s for s = 1..<paramref name="total"/> from logged (step, lr) pairs: linear in s between consecutive logged
    /// steps (exact at the logged ones), the first logged LR before the first logged step, the last after the last.
    /// The logged steps must be distinct and within 1..total.
    /// </summary>
    public static double[] Fill(IEnumerable<(int Step, double Lr)> logged, int total)
    {
        var points = logged.OrderBy(p => p.Step).ToArray();
        if (points.Length == 0) throw new ArgumentException("no logged learning rates to interpolate.", nameof(logged));
        var lrs = new double[total];
        int k = 0;
        for (int s = 1; s <= total; s++)
        {
            while (k < points.Length - 1 && points[k + 1].Step <= s) k++;
            var (s0, v0) = points[k];
            if (s <= s0 || k == points.Length - 1)
            {
                lrs[s - 1] = s <= s0 ? v0 : points[^1].Lr;
                continue;
            }
            var (s1, v1) = points[k + 1];
            lrs[s - 1] = v0 + (v1 - v0) * (s - s0) / (s1 - s0);
        }
        return lrs;
    }
}
