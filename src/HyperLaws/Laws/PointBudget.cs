namespace HyperLaws.Laws;

/// <summary>
/// The declared per-curve point budget of <see cref="FitOptions.MaxPointsPerCurve"/> (issue 12): a curve with more observed
/// points than the budget is fitted on that many bin means. Its points, in order, are split into <c>budget</c> bins of
/// consecutive points whose sizes differ by at most one (bin j holds points floor(j n / budget) .. floor((j + 1) n / budget) - 1);
/// each bin becomes one point: its loss the mean of the bin's losses, its step the bin's mean step rounded to the nearest
/// integer (bins are disjoint and ascending, so these steps are ascending and inside the bin's range). Curves within the
/// budget are passed on as they are (the same object), so fits of such curves are unchanged bit for bit.
/// <para>
/// What it approximates: the mean of L over a bin against L at the bin's mean step differs by about L''(t) Var(t) / 2 (Taylor);
/// for the 10^6-step sweep curves (bins of 5 points over 400 steps) that is below 1e-6 relative past the first 1% of the run.
/// </para>
/// </summary>
internal static class PointBudget
{
    /// <summary>The curves with every curve over <paramref name="budget"/> points replaced by its bin means (see the type).</summary>
    public static IReadOnlyList<FitTarget> Apply(IReadOnlyList<FitTarget> targets, int budget)
    {
        if (budget < 2) throw new ArgumentOutOfRangeException(nameof(budget), budget, "FitOptions.MaxPointsPerCurve must be at least 2.");
        if (targets.All(t => t.Steps.Length <= budget)) return targets;
        return [.. targets.Select(t => t.Steps.Length <= budget ? t : Binned(t, budget))];
    }

    /// <summary><paramref name="target"/> as <paramref name="bins"/> bin means (its history, name and model size kept).</summary>
    public static FitTarget Binned(FitTarget target, int bins)
    {
        int n = target.Steps.Length;
        var steps = new int[bins];
        var loss = new double[bins];
        for (int j = 0; j < bins; j++)
        {
            int from = (int)((long)j * n / bins), to = (int)((long)(j + 1) * n / bins);
            long stepSum = 0;
            double lossSum = 0;
            for (int i = from; i < to; i++) { stepSum += target.Steps[i]; lossSum += target.Loss[i]; }
            int count = to - from;
            steps[j] = (int)Math.Round((double)stepSum / count, MidpointRounding.AwayFromZero);
            loss[j] = lossSum / count;
        }
        return target with { Steps = steps, Loss = loss };
    }
}
