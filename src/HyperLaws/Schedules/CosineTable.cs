namespace HyperLaws.Schedules;

/// <summary>
/// 1 + cos(pi p_k) of a cosine decay's main phase, p_k = (k - W)/(S - W) for k = W + 1..S (entry k - W - 1), as
/// <see cref="CosineSchedule"/> computes it step by step: the shape's part of every LR, independent of the peak and the floor.
/// The last few shapes (S, W) are kept (<see cref="Kept"/>): the planner evaluates each shape at many peaks (its peak search,
/// the contour's rows, the LR axis's reference schedule), each a pass of 10^5+ steps (issue 12).
/// </summary>
internal static class CosineTable
{
    /// <summary>How many shapes are kept (the most recently built; 8 MB each at 10^6 steps).</summary>
    public const int Kept = 4;

    private static readonly Lock Gate = new();
    private static readonly (int Steps, int Warmup, double[] Table)?[] Recent = new (int, int, double[])?[Kept];
    private static int _next;

    /// <summary>The table of the shape of <paramref name="steps"/> steps with <paramref name="warmup"/> warmup steps (empty when they are equal).</summary>
    public static double[] Of(int steps, int warmup)
    {
        lock (Gate)
        {
            foreach (var entry in Recent)
                if (entry is { } e && e.Steps == steps && e.Warmup == warmup) return e.Table;
        }
        var table = new double[Math.Max(0, steps - warmup)];
        for (int j = 0; j < table.Length; j++)
        {
            int k = warmup + 1 + j;
            // WarmupSchedule.Progress(k), then CosineSchedule.MainAt's 1 + cos(pi p): the same operations.
            double p = steps == warmup ? 0 : (double)(k - warmup) / (steps - warmup);
            table[j] = 1 + Math.Cos(Math.PI * p);
        }
        lock (Gate)
        {
            Recent[_next] = (steps, warmup, table);
            _next = (_next + 1) % Kept;
        }
        return table;
    }
}
