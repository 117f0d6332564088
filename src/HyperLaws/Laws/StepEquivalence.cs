namespace HyperLaws.Laws;

/// <summary>
/// Steps at one batch counted as steps at another through the critical batch (McCandlish et al. 2018, "An Empirical Model of
/// Large-Batch Training", eq. 2.11): the steps to reach a given loss at batch B are S(B) = S_min (1 + B_noise / B), so one step at
/// batch B does the work of w(B, B_r) = (1 + B_noise / B_r) / (1 + B_noise / B) steps at batch B_r (<see cref="Factor(double, double, double)"/>): w -> B / B_r
/// far below B_noise (a token is a token), w -> 1 far above it (a step is a step). A run is counted at B_r by stretching its LR history
/// w-fold in time (<see cref="Stretch"/>): with w a whole number k, each step becomes k unit steps at its LR (protocol 17c's tokens axis).
/// </summary>
public static class StepEquivalence
{
    /// <summary>
    /// w(B, B_r) = (1 + B_noise / B_r) / (1 + B_noise / B): the steps at <paramref name="referenceBatch"/> one step at <paramref name="batch"/>
    /// is worth. B_noise = +infinity gives B / B_r (tokens), 0 gives 1 (steps).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A batch is not positive and finite, or <paramref name="bNoise"/> is negative or NaN.</exception>
    public static double Factor(double batch, double referenceBatch, double bNoise)
    {
        if (!(batch > 0) || !double.IsFinite(batch)) throw new ArgumentOutOfRangeException(nameof(batch), $"the batch must be positive and finite (got {batch}).");
        if (!(referenceBatch > 0) || !double.IsFinite(referenceBatch)) throw new ArgumentOutOfRangeException(nameof(referenceBatch), $"the reference batch must be positive and finite (got {referenceBatch}).");
        if (!(bNoise >= 0)) throw new ArgumentOutOfRangeException(nameof(bNoise), $"B_noise must be zero or positive (got {bNoise}).");
        if (batch == referenceBatch) return 1;
        if (double.IsPositiveInfinity(bNoise)) return batch / referenceBatch;
        return (1 + bNoise / referenceBatch) / (1 + bNoise / batch);
    }

    /// <summary>
    /// w for a run of <paramref name="tokens"/> tokens at <paramref name="batch"/> tokens per step, counted at <paramref name="referenceBatch"/>,
    /// with B_noise = <paramref name="law"/>'s at the run's tokens (one factor for the whole run: the loss after D tokens is the target whose
    /// steps S(B) protocol 5 counts).
    /// </summary>
    public static double Factor(double batch, double referenceBatch, double tokens, CriticalBatchLaw law)
    {
        ArgumentNullException.ThrowIfNull(law);
        return batch == referenceBatch ? 1 : Factor(batch, referenceBatch, law.BNoise(tokens));
    }

    /// <summary>round(w S) (halves up) as a number, unchecked: the count <see cref="StretchedSteps"/> makes, for comparing a horizon with a limit before it is built.</summary>
    public static double StretchedCount(int steps, double factor) => Math.Round(factor * steps, MidpointRounding.AwayFromZero);

    /// <summary>The steps of a run of <paramref name="steps"/> steps counted w-fold: round(w S) (halves up), at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is not positive and finite, or the count exceeds int.MaxValue.</exception>
    public static int StretchedSteps(int steps, double factor)
    {
        CheckFactor(factor);
        double m = StretchedCount(steps, factor);
        if (m > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(factor), $"{steps} steps x {factor} is too long a history.");
        return Math.Max(1, (int)m);
    }

    /// <summary>Where an observation at <paramref name="step"/> lands: round(w s) (halves up), within 1..<paramref name="stretchedSteps"/>.</summary>
    public static int StretchedStep(int step, double factor, int stretchedSteps) =>
        Math.Clamp((int)Math.Min(int.MaxValue, Math.Round(factor * step, MidpointRounding.AwayFromZero)), 1, stretchedSteps);

    /// <summary>
    /// The LR history counted w-fold: M = <see cref="StretchedSteps"/> unit steps, unit step j (1-based) at the LR of step ceil(j S / M) of
    /// the S <paramref name="learningRates"/> (w rounded to M / S, so the last unit step has the run's last LR). With w a whole number k
    /// every step is repeated k times, exactly; otherwise each step s is repeated w +- 1 times and the LR sum is w times the run's to within
    /// the LRs' total variation and two steps' LR.
    /// </summary>
    public static double[] Stretch(ReadOnlySpan<double> learningRates, double factor)
    {
        var lr = new double[StretchedLength(learningRates, factor)];
        Fill(learningRates, lr);
        return lr;
    }

    /// <summary>
    /// The history of <see cref="Stretch"/>'s LRs: the same LRs (so the same sums and predictions bit for bit). Longer than the schedule
    /// (w above 1: a plan evaluated at a smaller batch than its runs'), it keeps the schedule's S LRs and computes each of its M steps' LR
    /// where a walk reads it (<see cref="ScheduleHistory.Stretched"/>): OptLaw's walk and the prefix sums need no array of the M steps,
    /// and a law that reads the history's array whole gets it built once (issue 12: "the law horizon bounded by memory"). Not longer
    /// (w up to 1), the M LRs are written straight into the history's own array.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Stretch"/>.</exception>
    /// <exception cref="ArgumentException">No steps, or an LR of a stretched step not finite and &gt;= 0.</exception>
    public static ScheduleHistory StretchedHistory(ReadOnlySpan<double> learningRates, double factor) => StretchedHistory(learningRates, factor, walkedOnce: true);

    /// <summary>
    /// <see cref="StretchedHistory(ReadOnlySpan{double}, double)"/>, or with <paramref name="walkedOnce"/> false (a fit's curve, walked at
    /// every evaluation: computing its LRs at each walk would cost more than their array) the M LRs always in the history's own array.
    /// </summary>
    internal static ScheduleHistory StretchedHistory(ReadOnlySpan<double> learningRates, double factor, bool walkedOnce) =>
        StretchedHistory(learningRates, null, factor, walkedOnce);

    /// <summary>
    /// <see cref="StretchedHistory(ReadOnlySpan{double}, double)"/> of an array the caller gives up: a stretched history keeps it as its
    /// source instead of a copy (the same LRs, so the same history bit for bit). The planner's reference shapes are stretched so, one
    /// schedule of 193,346 LRs each in the 400M plan (issue 12, helper coldplan3).
    /// </summary>
    internal static ScheduleHistory StretchedHistoryOwning(double[] learningRates, double factor) =>
        StretchedHistory(learningRates, learningRates, factor, walkedOnce: true);

    /// <summary>
    /// Both of the above: a stretched history (walked once, M &gt; S) keeps <paramref name="owned"/> as its source where the caller
    /// gives it up (the same array as <paramref name="learningRates"/>), else a copy of <paramref name="learningRates"/>.
    /// </summary>
    private static ScheduleHistory StretchedHistory(ReadOnlySpan<double> learningRates, double[]? owned, double factor, bool walkedOnce)
    {
        int m = StretchedLength(learningRates, factor);
        if (walkedOnce && m > learningRates.Length) return ScheduleHistory.Stretched(owned ?? learningRates.ToArray(), m);
        var lr = new double[m + 1];
        Fill(learningRates, lr.AsSpan(1));
        return ScheduleHistory.Owning(lr);
    }

    /// <summary>M, the stretched history's length, after the checks <see cref="Stretch"/> and <see cref="StretchedHistory(ReadOnlySpan{double}, double)"/> share.</summary>
    private static int StretchedLength(ReadOnlySpan<double> learningRates, double factor)
    {
        CheckFactor(factor);
        if (learningRates.Length == 0) throw new ArgumentException("The schedule has no steps.", nameof(learningRates));
        return StretchedSteps(learningRates.Length, factor);
    }

    /// <summary>Unit step j (1-based) of <paramref name="into"/> (M long) at the LR of step ceil(j S / M) of the S <paramref name="learningRates"/>.</summary>
    private static void Fill(ReadOnlySpan<double> learningRates, Span<double> into) => Fill(learningRates, into.Length, 1, into);

    /// <summary>
    /// Unit steps <paramref name="from"/>.. of a stretch of <paramref name="learningRates"/> to <paramref name="stretchedSteps"/> = M steps,
    /// as many as <paramref name="into"/> holds: each at the LR of its <see cref="SourceStep"/>.
    /// </summary>
    internal static void Fill(ReadOnlySpan<double> learningRates, int stretchedSteps, int from, Span<double> into)
    {
        int steps = learningRates.Length;
        for (int i = 0; i < into.Length; i++) into[i] = learningRates[SourceStep(from + i, steps, stretchedSteps) - 1];
    }

    /// <summary>
    /// The step (1..<paramref name="steps"/>) whose LR unit step <paramref name="j"/> of a stretch to <paramref name="stretchedSteps"/> = M
    /// steps has: ceil(j S / M), with a relative guard so j / k for a whole k (exact in floating point) is not pushed up a step.
    /// </summary>
    internal static int SourceStep(int j, int steps, int stretchedSteps)
    {
        double q = (double)j * steps / stretchedSteps;
        long s = (long)Math.Ceiling(q - 1e-12 * q);
        return (int)Math.Clamp(s, 1, steps);
    }

    private static void CheckFactor(double factor)
    {
        if (!(factor > 0) || !double.IsFinite(factor)) throw new ArgumentOutOfRangeException(nameof(factor), $"the step factor must be positive and finite (got {factor}).");
    }
}
