using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Evaluation;

/// <summary>
/// The candidate grid of <see cref="SchedulePreselection"/>: families x peak LR x warmup steps x cooldown fraction x floor.
/// Cooldown fractions apply to wsd only (its decay phase as a fraction of the run); floors are fractions of the peak
/// (the final LR of cosine, linear and wsd); constant ignores both. Every candidate warms up with <see cref="WarmupShape"/> from
/// <see cref="WarmupInit"/> x its peak (default: linearly from 0).
/// </summary>
public sealed record CandidateGrid(IReadOnlyList<string> Families, IReadOnlyList<double> Peaks, IReadOnlyList<int> Warmups,
    IReadOnlyList<double> Cooldowns, IReadOnlyList<double> Floors)
{
    /// <summary>The families the grid can build, in the order <see cref="KnownFamilies"/> lists their names.</summary>
    internal static readonly IReadOnlyList<ScheduleFamily> Buildable =
        [ScheduleFamily.Constant, ScheduleFamily.Cosine, ScheduleFamily.Linear, ScheduleFamily.Wsd];

    /// <summary>The names of the families the grid can build.</summary>
    public static readonly IReadOnlyList<string> KnownFamilies = [.. Buildable.Select(f => f.Name)];

    /// <summary>The warmup's shape of every candidate (default linear; rank's ensemble-lr takes its runs' own).</summary>
    public WarmupShape WarmupShape { get; init; } = WarmupShape.Linear;

    /// <summary>The LR every candidate's warmup starts from, as a fraction of its peak, in [0, 1) (default 0; rank's ensemble-lr takes its runs' own, e.g. 0.01).</summary>
    public double WarmupInit { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad grid value.</summary>
    public void Check()
    {
        if (Families.Count == 0) throw new ArgumentException("families: none given.");
        foreach (var f in Families)
            if (!KnownFamilies.Contains(f)) throw new ArgumentException($"families: '{f}' is not one of {string.Join(", ", KnownFamilies)}.");
        if (Peaks.Count == 0 || Warmups.Count == 0) throw new ArgumentException(Peaks.Count == 0 ? "peaks: none given." : "warmups: none given.");
        foreach (var p in Peaks)
            if (!(p > 0) || !double.IsFinite(p)) throw new ArgumentException($"peaks: {p} is not a positive learning rate.");
        foreach (var w in Warmups)
            if (w < 0) throw new ArgumentException($"warmups: {w} is negative.");
        foreach (var c in Cooldowns)
            if (!(c > 0 && c <= 1)) throw new ArgumentException($"cooldowns: {c} is not a fraction of the run in (0, 1].");
        foreach (var f in Floors)
            if (!(f >= 0 && f < 1)) throw new ArgumentException($"floors: {f} is not a fraction of the peak in [0, 1).");
        if (!(WarmupInit >= 0 && WarmupInit < 1)) throw new ArgumentException($"warmup start: {WarmupInit} is not a fraction of the peak in [0, 1).");
        if (Families.Contains(ScheduleFamily.Wsd.Name) && Cooldowns.Count == 0) throw new ArgumentException("cooldowns: none given for wsd.");
        if (Families.Any(f => f != ScheduleFamily.Constant.Name) && Floors.Count == 0) throw new ArgumentException("floors: none given.");
    }

    /// <summary>
    /// A schedule of one of <see cref="KnownFamilies"/> (cooldown: wsd's decay as a fraction of the run; floor: the final LR as a
    /// fraction of the peak for cosine, linear and wsd; the warmup of <paramref name="warmupShape"/> from <paramref name="warmupInit"/>
    /// x the peak), or null when the family refuses the combination (a cooldown overlapping the warmup).
    /// </summary>
    public static LrSchedule? TryBuild(string family, double peak, int steps, int warmup, double cooldown, double floor,
        WarmupShape warmupShape = WarmupShape.Linear, double warmupInit = 0) =>
        ScheduleFamily.TryParse(family, out var f)
            ? TryBuild(f, peak, steps, warmup, cooldown, floor, warmupShape, warmupInit)
            : throw new ArgumentOutOfRangeException(nameof(family), family, "not a family of the candidate grid");

    /// <inheritdoc cref="TryBuild(string, double, int, int, double, double, WarmupShape, double)"/>
    internal static LrSchedule? TryBuild(ScheduleFamily family, double peak, int steps, int warmup, double cooldown, double floor,
        WarmupShape warmupShape = WarmupShape.Linear, double warmupInit = 0)
    {
        // The final LR (and the warmup's start) as the fraction x the peak, without the product's floating-point noise (a spec writes it as a person would).
        double final = Numerics.Significant.WithoutNoise(floor * peak);
        double init = Numerics.Significant.WithoutNoise(warmupInit * peak);
        try
        {
            return family switch
            {
                _ when family == ScheduleFamily.Constant => new ConstantSchedule(peak, steps, warmup, warmupShape, init),
                _ when family == ScheduleFamily.Cosine => new CosineSchedule(peak, steps, warmup, final, warmupShape, init),
                _ when family == ScheduleFamily.Linear => new LinearSchedule(peak, steps, warmup, final, warmupShape, init),
                _ when family == ScheduleFamily.Wsd => new WsdSchedule(peak, steps, warmup, cooldown: cooldown, floor: final, warmupShape: warmupShape, warmupInit: init),
                _ => throw new ArgumentOutOfRangeException(nameof(family), family, "not a family of the candidate grid"),
            };
        }
        catch (ArgumentException e) when (e is not ArgumentOutOfRangeException { ParamName: nameof(family) })
        {
            return null;
        }
    }

    /// <summary>
    /// Every schedule of the grid with <paramref name="steps"/> steps, duplicates removed; combinations a family
    /// refuses (a warmup as long as the run, a wsd cooldown overlapping the warmup) are counted in <paramref name="skipped"/>.
    /// </summary>
    public IReadOnlyList<LrSchedule> Schedules(int steps, out int skipped)
    {
        Check();
        var list = new List<LrSchedule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        skipped = 0;
        foreach (var family in Families.Distinct().Select(name => Buildable.Single(f => f.Name == name))) // Check: every name is buildable
            foreach (var peak in Peaks)
                foreach (var warmup in Warmups)
                {
                    // (cooldown, floor) pairs the family uses: constant neither, cosine and linear the floor, wsd both.
                    var shapes = family switch
                    {
                        _ when family == ScheduleFamily.Constant => [(double.NaN, double.NaN)],
                        _ when family == ScheduleFamily.Wsd => Cooldowns.SelectMany(c => Floors.Select(f => (c, f))).ToList(),
                        _ => Floors.Select(f => (double.NaN, f)).ToList(),
                    };
                    foreach (var (c, f) in shapes)
                    {
                        var s = warmup < steps ? TryBuild(family, peak, steps, warmup, c, f, WarmupShape, WarmupInit) : null;
                        if (s is null) skipped++;
                        else if (seen.Add(s.ToSpec())) list.Add(s);
                    }
                }
        return list;
    }
}
