namespace HyperLaws.Evaluation;

/// <summary>
/// A candidate's predicted loss anchored on what has been observed of it (docs/VALIDATION.md, "Protocol 3 and 17r: the observed level
/// plus the law's remaining drop", helper p3rank3; declared before scoring): the law supplies only the change from the end of the
/// observed part to the candidate's last step, the level there comes from the observations.
/// <code>
/// anchored = law(S) + r,   r = (1/K) sum_{j = n-K+1..n} (y_j - law(t_j))
/// </code>
/// t_1 &lt; ... &lt; t_n the observed steps at or before the end b of the candidate's observed part (its own prefix, or the prefix its
/// schedule shares with an observed run), y_j the observed losses there, law(t) the fitted law's value on the schedule that was
/// observed; law(S) + r = y-level at b + (law(S) - law(b)) up to the law's residual's change over the last K points. K =
/// <see cref="Points"/>; with fewer than K observed points r = 0 (the law's own prediction). The mean over K points averages the
/// observation noise of a small-batch evaluation (the lr-scheduling runs' 32-batch validation) instead of anchoring on one noisy point.
/// </summary>
public static class AnchoredPrediction
{
    /// <summary>K: the observed points whose mean residual sets the level.</summary>
    public const int Points = 5;

    /// <summary>
    /// The number of leading steps on which two LR schedules agree (|a_t - b_t| &lt;= 1e-9 max(|a_t|, |b_t|)): the prefix a candidate
    /// shares with an observed run, so the observed run's losses up to that step are the candidate's own.
    /// </summary>
    public static int SharedPrefix(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int n = Math.Min(a.Count, b.Count), k = 0;
        while (k < n && Same(a[k], b[k])) k++;
        return k;
    }

    /// <summary>Two values equal to 1e-9 relative: |a - b| &lt;= 1e-9 max(|a|, |b|) (LRs of a schedule, peak LRs of a candidate set).</summary>
    public static bool Same(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b));

    /// <summary>
    /// r: the mean of (observed - law) over the last <see cref="Points"/> observations at steps &lt;= <paramref name="until"/>;
    /// 0 when fewer are observed there, or when a residual among them is not finite.
    /// </summary>
    /// <param name="steps">Observed steps, ascending.</param>
    /// <param name="observed">Observed losses at <paramref name="steps"/>.</param>
    /// <param name="law">The fitted law's values at <paramref name="steps"/> (on the observed schedule).</param>
    /// <param name="until">The last step of the candidate's observed part.</param>
    /// <exception cref="ArgumentException">The three lists differ in length.</exception>
    public static double Residual(IReadOnlyList<int> steps, IReadOnlyList<double> observed, IReadOnlyList<double> law, int until)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(law);
        if (steps.Count != observed.Count || steps.Count != law.Count)
            throw new ArgumentException($"{steps.Count} steps, {observed.Count} losses and {law.Count} law values.", nameof(law));
        int last = -1;
        for (int i = 0; i < steps.Count && steps[i] <= until; i++) last = i;
        if (last + 1 < Points) return 0;
        double sum = 0;
        for (int i = last - Points + 1; i <= last; i++) sum += observed[i] - law[i];
        return double.IsFinite(sum) ? sum / Points : 0;
    }
}
