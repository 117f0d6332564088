using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Evaluation;

/// <summary>
/// Screens a schedule for divergence before a law ranks it (e.g. a divergence model fitted on runs that blew up).
/// Returns true (diverges), false (trains), or null when the screen cannot tell.
/// </summary>
public interface IDivergenceScreen
{
    bool? Diverges(ScheduleHistory history, double modelSize);
}

/// <summary>
/// The candidate grid of <see cref="SchedulePreselection"/>: families x peak LR x warmup steps x cooldown fraction x floor.
/// Cooldown fractions apply to wsd only (its decay phase as a fraction of the run); floors are fractions of the peak
/// (the final LR of cosine, linear and wsd); constant ignores both.
/// </summary>
public sealed record CandidateGrid(IReadOnlyList<string> Families, IReadOnlyList<double> Peaks, IReadOnlyList<int> Warmups,
    IReadOnlyList<double> Cooldowns, IReadOnlyList<double> Floors)
{
    /// <summary>The families the grid can build.</summary>
    public static readonly IReadOnlyList<string> KnownFamilies = ["constant", "cosine", "linear", "wsd"];

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
        if (Families.Contains("wsd") && Cooldowns.Count == 0) throw new ArgumentException("cooldowns: none given for wsd.");
        if (Families.Any(f => f is "cosine" or "linear" or "wsd") && Floors.Count == 0) throw new ArgumentException("floors: none given.");
    }

    /// <summary>
    /// A schedule of one of <see cref="KnownFamilies"/> (cooldown: wsd's decay as a fraction of the run; floor: the final LR as a
    /// fraction of the peak for cosine, linear and wsd), or null when the family refuses the combination (a cooldown
    /// overlapping the warmup).
    /// </summary>
    public static LrSchedule? TryBuild(string family, double peak, int steps, int warmup, double cooldown, double floor)
    {
        try
        {
            return family switch
            {
                "constant" => new ConstantSchedule(peak, steps, warmup),
                "cosine" => new CosineSchedule(peak, steps, warmup, floor * peak),
                "linear" => new LinearSchedule(peak, steps, warmup, floor * peak),
                "wsd" => new WsdSchedule(peak, steps, warmup, cooldown: cooldown, floor: floor * peak),
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
        foreach (var family in Families.Distinct())
            foreach (var peak in Peaks)
                foreach (var warmup in Warmups)
                {
                    // (cooldown, floor) pairs the family uses: constant neither, cosine and linear the floor, wsd both.
                    var shapes = family switch
                    {
                        "constant" => [(double.NaN, double.NaN)],
                        "wsd" => Cooldowns.SelectMany(c => Floors.Select(f => (c, f))).ToList(),
                        _ => Floors.Select(f => (double.NaN, f)).ToList(),
                    };
                    foreach (var (c, f) in shapes)
                    {
                        var s = warmup < steps ? TryBuild(family, peak, steps, warmup, c, f) : null;
                        if (s is null) skipped++;
                        else if (seen.Add(s.ToSpec())) list.Add(s);
                    }
                }
        return list;
    }
}

/// <summary>One ranked candidate: its schedule, predicted final loss, and the divergence screen's answer (null: unknown).</summary>
public sealed record RankedCandidate(LrSchedule Schedule, double PredictedLoss, bool? Diverges);

/// <summary>
/// Pre-selection of schedules: predict each candidate's final loss with a fitted law and rank them, lowest first;
/// candidates a divergence screen flags go last (in their own loss order); NaN predictions go after the finite ones.
/// Candidates are independent, so they are predicted in parallel; the order is fixed by (diverges, loss, spec).
/// </summary>
public static class SchedulePreselection
{
    public static IReadOnlyList<RankedCandidate> Rank(ILossLaw law, IReadOnlyList<double> parameters, IReadOnlyList<LrSchedule> candidates,
        double modelSize = double.NaN, IDivergenceScreen? screen = null)
    {
        var (loss, diverges) = PredictAndScreen(law, parameters, candidates, modelSize, screen);
        var result = new RankedCandidate[candidates.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = new RankedCandidate(candidates[i], loss[i], diverges[i]);
        return result
            .OrderBy(c => c.Diverges == true ? 1 : 0)
            .ThenBy(c => double.IsNaN(c.PredictedLoss) ? 1 : 0)
            .ThenBy(c => c.PredictedLoss)
            .ThenBy(c => c.Schedule.ToSpec(), StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The final loss the law predicts for each schedule (after its last step), in the order given; computed in parallel.</summary>
    public static double[] PredictFinal(ILossLaw law, IReadOnlyList<double> parameters, IReadOnlyList<LrSchedule> schedules, double modelSize = double.NaN) =>
        PredictAndScreen(law, parameters, schedules, modelSize, null).Loss;

    /// <summary>
    /// The predicted final loss of each schedule and the screen's verdict on it (null without a screen), from one
    /// evaluation of each schedule; computed in parallel.
    /// </summary>
    public static (double[] Loss, bool?[] Diverges) PredictAndScreen(ILossLaw law, IReadOnlyList<double> parameters, IReadOnlyList<LrSchedule> schedules,
        double modelSize, IDivergenceScreen? screen)
    {
        var p = parameters.ToArray();
        var loss = new double[schedules.Count];
        var diverges = new bool?[schedules.Count];
        Parallel.For(0, schedules.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var s = schedules[i];
            var history = ScheduleHistory.Of(s);
            var y = new double[1];
            law.Predict(p, history, modelSize, [s.Steps], y);
            loss[i] = y[0];
            diverges[i] = screen?.Diverges(history, modelSize);
        });
        return (loss, diverges);
    }

    /// <summary>
    /// Why <paramref name="winner"/> beats <paramref name="reference"/>: the law's terms at the final step for both,
    /// matched by name, ordered by how much the difference (winner minus reference) moves the loss; null when the
    /// law cannot explain itself. The differences sum to the gap between the two predictions.
    /// </summary>
    public static IReadOnlyList<TermDifference>? Compare(ILossLaw law, IReadOnlyList<double> parameters, LrSchedule winner, LrSchedule reference)
    {
        if (law is not IExplainableLaw explainable) return null;
        var p = parameters.ToArray();
        var a = explainable.Explain(p, ScheduleHistory.Of(winner), winner.Steps);
        var b = explainable.Explain(p, ScheduleHistory.Of(reference), reference.Steps);
        var names = a.Select(t => t.Name).Concat(b.Select(t => t.Name)).Distinct().ToList();
        return names.Select(n =>
        {
            var x = a.FirstOrDefault(t => t.Name == n);
            var y = b.FirstOrDefault(t => t.Name == n);
            return new TermDifference(n, x?.Formula ?? y!.Formula, x?.Feature ?? double.NaN, y?.Feature ?? double.NaN,
                x?.Contribution ?? 0, y?.Contribution ?? 0);
        }).OrderByDescending(d => Math.Abs(d.Difference)).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
    }
}

/// <summary>One term of two explained predictions: features and contributions of the winner and of the reference.</summary>
public sealed record TermDifference(string Name, string Formula, double WinnerFeature, double ReferenceFeature, double WinnerContribution, double ReferenceContribution)
{
    /// <summary>Winner's contribution minus the reference's: negative when this term favours the winner.</summary>
    public double Difference => WinnerContribution - ReferenceContribution;
}
