using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Evaluation;

/// <summary>
/// How far a schedule's shape lies from the shapes a law was fitted on, one number for any schedule family (cooldown
/// fraction, decay type, cosine, constant), apart from its horizon and peak LR, which <see cref="ExtrapolationDistance"/>
/// measures separately.
/// <para>Profile: the schedule up to the last step a prediction (or fit) uses, T, in normalised time u = t / T and
/// normalised LR eta(t) / max eta, averaged over <see cref="Bins"/> equal bins of u (bin means from the prefix sums S1, so
/// the area under the profile is exact). Distance between two profiles: the mean absolute difference of the bins, the
/// L1 distance int_0^1 |p_a(u) - p_b(u)| du, the share of the normalised LR area moved by the change of shape (0 for the
/// same shape; 0.1 between a constant schedule and one with a 20% linear cooldown, c / 2 for a cooldown fraction c; c / 6
/// between a linear and a sqrt cooldown of fraction c; at most 1).</para>
/// <para>Why this measure: the schedule laws see a schedule through its LR sums (intrinsic time and the annealing
/// area; Tissue et al. 2024, Luo et al. 2025), and every shape change the grid makes (cooldown fraction, decay type,
/// cosine) moves LR area; the L1 distance is the amount moved, with no family-specific parameter. The distance of a target
/// from a set of training schedules is the smallest over them (<see cref="Of(FitTarget, IReadOnlyList{FitTarget})"/>), the nearest neighbour as for the other
/// ratios of <see cref="ExtrapolationDistance"/>.</para>
/// </summary>
public static class ScheduleShape
{
    /// <summary>Bins of the normalised profile (0.5% of the horizon each).</summary>
    public const int Bins = 200;

    /// <summary>
    /// Profiles closer than this count as one shape when runs are grouped by shape (<see cref="Groups"/>): above the effect of a
    /// fixed warmup across horizons (300 warmup steps at 15k against 50k steps move 0.7% of the area), below the closest
    /// two different schedules of the 124M grid (linear against sqrt cooldown 0.2: 3.3%).
    /// </summary>
    public const double SameShape = 0.02;

    /// <summary>The normalised profile of <paramref name="history"/> up to step <paramref name="last"/> (see the class remarks); all zeros for an all-zero schedule. Shared between callers (cached), hence read-only.</summary>
    public static IReadOnlyList<double> Profile(ScheduleHistory history, int last)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (last < 1 || last > history.Steps) throw new ArgumentOutOfRangeException(nameof(last), last, $"the last step must be within 1..{history.Steps}.");
        // Cached per history and last step: the calibration measures every residual against every training curve.
        var perHistory = Cache.GetOrCreateValue(history);
        lock (perHistory)
        {
            if (perHistory.TryGetValue(last, out var cached)) return cached;
        }
        var profile = Build(history, last);
        lock (perHistory) perHistory[last] = profile;
        return profile;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ScheduleHistory, Dictionary<int, double[]>> Cache = new();

    private static double[] Build(ScheduleHistory history, int last)
    {
        double peak = 0;
        for (int t = 1; t <= last; t++) peak = Math.Max(peak, history.Eta(t));
        var p = new double[Bins];
        if (!(peak > 0)) return p;
        for (int b = 0; b < Bins; b++)
        {
            // Bin b covers u in [b / Bins, (b + 1) / Bins): steps (lo, hi]; with fewer steps than bins a bin holds the step it falls in.
            int lo = (int)Math.Floor((double)b * last / Bins), hi = Math.Max(lo + 1, (int)Math.Floor((double)(b + 1) * last / Bins));
            hi = Math.Min(hi, last);
            lo = Math.Min(lo, hi - 1);
            p[b] = (history.S1(hi) - history.S1(lo)) / (hi - lo) / peak;
        }
        return p;
    }

    /// <summary>The L1 distance of two profiles: the mean absolute difference of their bins.</summary>
    public static double Distance(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count || a.Count == 0) throw new ArgumentException("the profiles must have the same, nonzero number of bins.");
        double s = 0;
        for (int i = 0; i < a.Count; i++) s += Math.Abs(a[i] - b[i]);
        return s / a.Count;
    }

    /// <summary>The shape distance of <paramref name="target"/> (up to its last observed step) from the nearest curve of <paramref name="train"/> (each up to its own last observed step).</summary>
    public static double Of(FitTarget target, IReadOnlyList<FitTarget> train)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Of(Profile(target.History, target.Steps[^1]), train);
    }

    /// <summary>
    /// The shape distance of a whole planned schedule from the nearest curve of <paramref name="train"/> (each up to its own last observed
    /// step; the runs a plan's law is fitted on): the L1 distance of the class remarks between the schedule's profile over its
    /// <see cref="LrSchedule.Steps"/> and each curve's, the smallest. Units and horizon do not enter (the profile is normalised in both), so a
    /// plan's schedule in the target's LRs and steps is compared with runs in theirs; the same shape at another horizon or peak is 0.
    /// docs/VALIDATION.md "Intervals widened by the schedule-shape distance".
    /// </summary>
    public static double OfSchedule(LrSchedule schedule, IReadOnlyList<FitTarget> train)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(train);
        return Of(Profile(ScheduleHistory.Of(schedule), schedule.Steps), train);
    }

    /// <summary>The distance of <paramref name="profile"/> from the nearest profile of the curves of <paramref name="train"/> (0 with none).</summary>
    public static double Of(IReadOnlyList<double> profile, IReadOnlyList<FitTarget> train)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(train);
        double best = double.PositiveInfinity;
        foreach (var t in train) best = Math.Min(best, Distance(profile, Profile(t.History, t.Steps[^1])));
        // Below 1e-9 is the rounding of the prefix sums (the same shape at another horizon or peak): no distance.
        return double.IsFinite(best) && best > 1e-9 ? best : 0;
    }

    /// <summary>
    /// A shape key per curve (each curve's full observed schedule): curves whose profiles lie within <see cref="SameShape"/> of a
    /// group's first curve join that group (greedy, in the given order); the key is the first curve's name. For leaving one
    /// schedule shape out (<see cref="ConformalCalibration.Residuals"/>).
    /// </summary>
    public static Func<FitTarget, string> Groups(IReadOnlyList<FitTarget> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var heads = new List<(string Name, IReadOnlyList<double> Profile)>();
        var key = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in runs)
        {
            var p = Profile(t.History, t.Steps[^1]);
            var head = heads.FirstOrDefault(h => Distance(h.Profile, p) < SameShape);
            if (head.Name is null)
            {
                head = (t.Name, p);
                heads.Add(head);
            }
            key[t.Name] = head.Name;
        }
        return t => key.TryGetValue(t.Name, out var k) ? k : t.Name;
    }
}
