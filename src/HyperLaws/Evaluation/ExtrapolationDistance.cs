using HyperLaws.Fitting;

namespace HyperLaws.Evaluation;

/// <summary>
/// How far a prediction reaches beyond the runs a law was fitted on, as three ratios, each 1 inside the
/// training range and the factor beyond it outside: horizon (the target's last step over the longest
/// training curve's), size (N over the largest training N, or the smallest over N) and peak LR (likewise).
/// <see cref="Value"/> = ln H + ln S + ln L: 0 for an interpolation, ln 2 for a prediction twice as
/// long as any training curve. The three enter with the same weight (a stated assumption: a factor 2
/// beyond the data in any of them is taken as an equal step into the unknown).
/// </summary>
public sealed record ExtrapolationDistance(double HorizonRatio, double SizeRatio, double LrRatio)
{
    public static ExtrapolationDistance None { get; } = new(1, 1, 1);

    /// <summary>ln H + ln S + ln L (&gt;= 0).</summary>
    public double Value => Math.Log(HorizonRatio) + Math.Log(SizeRatio) + Math.Log(LrRatio);

    /// <summary>The distance of <paramref name="target"/>'s last observation from the curves of <paramref name="train"/>.</summary>
    public static ExtrapolationDistance Of(FitTarget target, IReadOnlyList<FitTarget> train)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0) throw new ArgumentException("no training curves to measure a distance from.");
        double horizon = Math.Max(1, (double)target.Steps[^1] / train.Max(t => t.Steps[^1]));
        var sizes = train.Select(t => t.ModelSize).Where(double.IsFinite).ToList();
        double size = double.IsFinite(target.ModelSize) && sizes.Count > 0 ? Outside(target.ModelSize, sizes.Min(), sizes.Max()) : 1;
        var peaks = train.Select(Peak).ToList();
        return new ExtrapolationDistance(horizon, size, Outside(Peak(target), peaks.Min(), peaks.Max()));
    }

    private static double Outside(double x, double lo, double hi) => x > hi ? x / hi : x < lo ? lo / x : 1;

    /// <summary>The peak LR of a curve up to its last observation.</summary>
    private static double Peak(FitTarget t)
    {
        double peak = 0;
        for (int s = 1; s <= t.Steps[^1]; s++) peak = Math.Max(peak, t.History.Eta(s));
        return peak;
    }
}
