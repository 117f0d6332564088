using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>
/// What the fitted curves show of their schedules, as far as a law's terms need it (<see cref="Identification"/>): the fitted
/// points where the LR had already been decreased (and those where it had come down by at least half, <see cref="DeepPoints"/>),
/// the distinct peak LRs, the distinct model sizes.
/// </summary>
/// <param name="DecayPoints">Fitted points, over all curves, at a step t where eta_t &lt;= (1 - <see cref="DecayFraction"/>) max_{k&lt;=t} eta_k.</param>
/// <param name="Peaks">The distinct peak LRs of the curves up to their last fitted step (within a relative 1%), ascending.</param>
/// <param name="Sizes">The distinct known model sizes (within a relative 1%), ascending.</param>
public sealed record ScheduleEvidence(int DecayPoints, IReadOnlyList<double> Peaks, IReadOnlyList<double> Sizes)
{
    /// <summary>
    /// An LR at least this fraction below the curve's running peak counts as a decrement (10%). Stated, not tuned: a schedule
    /// that decays at all (cosine, linear, step, 1-sqrt cooldowns) passes it within its first tenth of decay, a constant LR
    /// with jitter of a few percent does not.
    /// </summary>
    public const double DecayFraction = 0.10;

    /// <summary>Fitted points after a decrement that a decay term needs to be identified (2: one point fixes a level, not a drop).</summary>
    public const int MinDecayPoints = 2;

    /// <summary>True when some fitted curve has at least <see cref="MinDecayPoints"/> points after a decrement of the LR.</summary>
    public bool ShowsDecay => DecayPoints >= MinDecayPoints;

    /// <summary>
    /// A fitted point is deep when the LR at its step is at most this fraction of the curve's running peak (one half: at least half
    /// of the decrement toward zero seen). A decay's shape (MPL's C, beta, gamma; OptLaw's p; tissue's amplitude against the
    /// convergence term) is identified only by deep points: predicting a full decay from less than half of it extrapolates the drop
    /// over more than twice the decrement seen, and the free fits on the first part of a decrement run off (docs/VALIDATION.md,
    /// "Protocol 14d", the diagnosis). Stated, not tuned: see that section.
    /// </summary>
    public const double ShapeFraction = 0.5;

    /// <summary>Fitted points, over all curves, at a step t where eta_t &lt;= <see cref="ShapeFraction"/> max_{k&lt;=t} eta_k.</summary>
    public int DeepPoints { get; init; }

    /// <summary>
    /// How far the LR came down at the fitted points: the <see cref="MinDecayPoints"/>-th lowest ratio eta_t / max_{k&lt;=t} eta_k
    /// over all fitted points (1 when there are fewer points, or the LR never fell).
    /// </summary>
    public double DeepestRatio { get; init; } = 1;

    /// <summary>True when at least <see cref="MinDecayPoints"/> fitted points are deep: the decay's shape is identified.</summary>
    public bool ShowsDecayShape => DeepPoints >= MinDecayPoints;

    /// <summary>The evidence of <paramref name="targets"/> (each curve's schedule up to its last fitted step only).</summary>
    public static ScheduleEvidence Of(IReadOnlyList<FitTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        int decay = 0, deep = 0;
        var ratios = new List<double>();
        var peaks = new List<double>();
        var sizes = new List<double>();
        foreach (var t in targets)
        {
            if (t.Steps.Length == 0) continue;
            var h = t.History;
            double runningPeak = 0;
            int next = 0;
            for (int s = 1; s <= t.Steps[^1] && next < t.Steps.Length; s++)
            {
                runningPeak = Math.Max(runningPeak, h.Eta(s));
                if (s == t.Steps[next])
                {
                    if (runningPeak > 0)
                    {
                        double ratio = h.Eta(s) / runningPeak;
                        ratios.Add(ratio);
                        if (ratio <= 1 - DecayFraction) decay++;
                        if (ratio <= ShapeFraction) deep++;
                    }
                    next++;
                }
            }
            if (runningPeak > 0) peaks.Add(runningPeak);
            if (double.IsFinite(t.ModelSize) && t.ModelSize > 0) sizes.Add(t.ModelSize);
        }
        ratios.Sort();
        return new ScheduleEvidence(decay, Distinct(peaks), Distinct(sizes))
        {
            DeepPoints = deep,
            DeepestRatio = ratios.Count >= MinDecayPoints ? Math.Min(1, ratios[MinDecayPoints - 1]) : 1,
        };
    }

    private static List<double> Distinct(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var distinct = new List<double>();
        foreach (double v in sorted)
            if (distinct.Count == 0 || v > distinct[^1] * 1.01) distinct.Add(v);
        return distinct;
    }
}
