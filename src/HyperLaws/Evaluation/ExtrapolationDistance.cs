using HyperLaws.Laws;

namespace HyperLaws.Evaluation;

/// <summary>
/// How far a prediction reaches beyond the runs a law was fitted on, as three ratios, each 1 inside the
/// training range and the factor beyond it outside: horizon (the target's last step over the longest
/// training curve's), size (N over the largest training N, or the smallest over N) and peak LR (likewise).
/// <see cref="Value"/> = ln H + ln S + ln L: 0 for an interpolation, ln 2 for a prediction twice as
/// long as any training curve. The three enter with the same weight (a stated assumption: a factor 2
/// beyond the data in any of them is taken as an equal step into the unknown).
/// <para><see cref="Shape"/> (the schedule-shape distance of <see cref="ScheduleShape"/>, 0 for a shape the training curves
/// have) is a fourth, separate component: it is not part of <see cref="Value"/> (its unit, a share of the LR area, is not a log
/// ratio) and widens an interval only through its own growth (<see cref="ConformalInterval.ShapeGrowth"/>).</para>
/// </summary>
public sealed record ExtrapolationDistance(double HorizonRatio, double SizeRatio, double LrRatio)
{
    /// <summary>No extrapolation: every ratio 1, value 0.</summary>
    public static ExtrapolationDistance None { get; } = new(1, 1, 1);

    // The shape distance of Of(FitTarget, ...) is measured when first read (only the shape calibration reads it): null once known.
    private Func<double>? _measure;
    private double _shape;

    /// <summary>
    /// The schedule-shape distance from the nearest training schedule (<see cref="ScheduleShape.Of(FitTarget, IReadOnlyList{FitTarget})"/>); 0 unless measured.
    /// <see cref="Of(FitTarget, IReadOnlyList{FitTarget})"/> measures it when it is first read (a pure function of the curves: the
    /// same value whichever thread reads it first), so the residuals of a calibration that ignores the shape never pay for it.
    /// </summary>
    public double Shape
    {
        get
        {
            if (Volatile.Read(ref _measure) is { } measure)
            {
                _shape = measure();
                Volatile.Write(ref _measure, null);
            }
            return _shape;
        }
        init
        {
            _shape = value;
            _measure = null;
        }
    }

    /// <summary>Equal ratios and equal shape distances (the shape measured if it was not yet).</summary>
    public bool Equals(ExtrapolationDistance? other) =>
        other is not null && (ReferenceEquals(this, other)
            || HorizonRatio.Equals(other.HorizonRatio) && SizeRatio.Equals(other.SizeRatio) && LrRatio.Equals(other.LrRatio) && Shape.Equals(other.Shape));

    /// <summary>The hash of the three ratios and the shape distance.</summary>
    public override int GetHashCode() => HashCode.Combine(HorizonRatio, SizeRatio, LrRatio, Shape);

    /// <summary>ln H + ln S + ln L (&gt;= 0).</summary>
    public double Value => Math.Log(HorizonRatio) + Math.Log(SizeRatio) + Math.Log(LrRatio);

    /// <summary>The distance of <paramref name="target"/>'s last observation from the curves of <paramref name="train"/>.</summary>
    public static ExtrapolationDistance Of(FitTarget target, IReadOnlyList<FitTarget> train)
    {
        ArgumentNullException.ThrowIfNull(target);
        var distance = Of(target.History, target.Steps[^1], target.ModelSize, train);
        distance._measure = () => ScheduleShape.Of(target, train);
        return distance;
    }

    /// <summary>
    /// The distance of a prediction at step <paramref name="step"/> of <paramref name="history"/> for a model of
    /// <paramref name="modelSize"/> parameters (NaN: no size) from the curves of <paramref name="train"/> (a plan's target, which has no loss yet).
    /// </summary>
    public static ExtrapolationDistance Of(ScheduleHistory history, int step, double modelSize, IReadOnlyList<FitTarget> train)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0) throw new ArgumentException("no training curves to measure a distance from.");
        if (step < 1 || step > history.Steps) throw new ArgumentOutOfRangeException(nameof(step), step, $"the step must be within 1..{history.Steps}.");
        double horizon = Math.Max(1, (double)step / train.Max(t => t.Steps[^1]));
        var sizes = train.Select(t => t.ModelSize).Where(double.IsFinite).ToList();
        double size = double.IsFinite(modelSize) && sizes.Count > 0 ? Outside(modelSize, sizes.Min(), sizes.Max()) : 1;
        var peaks = train.Select(t => Peak(t.History, t.Steps[^1])).ToList();
        return new ExtrapolationDistance(horizon, size, Outside(Peak(history, step), peaks.Min(), peaks.Max()));
    }

    private static double Outside(double x, double lo, double hi) => x > hi ? x / hi : x < lo ? lo / x : 1;

    /// <summary>
    /// The peak LR of a schedule up to a step, kept on the history per step asked (<see cref="PeakCache"/>): a calibration measures every
    /// training curve's peak again for each of its residuals (<see cref="Planning.ConformalIntervalProvider.Residuals"/>: residuals x
    /// curves x steps reads of eta, about 5% of the 124M grid plan's CPU samples without this cache; docs/VALIDATION.md "The
    /// grid plan's CPU after polymem"). The same value: a function of the history's LRs up to the step, which never change.
    /// </summary>
    private static double Peak(ScheduleHistory h, int last) =>
        h.Cache(static _ => new PeakCache()).GetOrAdd(last, static (step, history) => PeakOf(history, step), h);

    /// <summary>The peak LR of a schedule up to a step: max over eta_1..eta_last (0 for none).</summary>
    private static double PeakOf(ScheduleHistory h, int last)
    {
        double peak = 0;
        for (int s = 1; s <= last; s++) peak = Math.Max(peak, h.Eta(s));
        return peak;
    }

    /// <summary>A history's peaks by last step (<see cref="Peak"/>); shared by the threads of a calibration, each value computed alike.</summary>
    private sealed class PeakCache : System.Collections.Concurrent.ConcurrentDictionary<int, double>
    {
    }
}
