using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// One offset size exponent beta fitted jointly on several sources that vary the model size (docs/VALIDATION.md, "Protocol 2 with a
/// size exponent pooled over sources"): in L0(N) = E + b (N/Nref)^-beta (Chinchilla's N^-beta, Hoffmann et al. 2022) every source keeps
/// its own level and every other parameter, beta is shared. The pooled objective is P(beta) = sum_s O_s(beta), O_s the mean Huber loss
/// of source s's own fit with beta fixed (each source weighted equally, whatever its number of points), minimised over beta by profiling:
/// the inner minimisation (every other parameter, per source) is each source's fit, the outer one is over beta alone, on
/// <see cref="Grid"/>, then golden-section search within <see cref="Bracket"/> of the best grid point to a bracket of <see cref="Tolerance"/>.
/// min_beta P(beta) is the joint fit's minimum over (beta, theta_1, ..., theta_S) because the sources share nothing else.
/// </summary>
public static class PooledSizeExponent
{
    /// <summary>The outer search's grid: 0.05, 0.10, ..., 0.80 (the tables' 0.34-0.46 and the fits' 0.20-0.26 inside).</summary>
    public static IReadOnlyList<double> Grid { get; } = [.. Enumerable.Range(1, 16).Select(i => i * 0.05)];

    /// <summary>The golden-section search's half-width about the best grid point (one grid step).</summary>
    public const double Bracket = 0.05;

    /// <summary>The golden-section search stops when its bracket is this narrow.</summary>
    public const double Tolerance = 1e-3;

    /// <summary>The smallest beta searched (the bracket is cut there).</summary>
    public const double Floor = 0.01;

    /// <summary>A profile is flat when max - min of its evaluated objectives is at most this fraction of its level (its minimum).</summary>
    public const double FlatSpread = 1e-9;

    /// <summary>
    /// The pooled beta of <paramref name="sources"/> and each source's beta alone (see the type). Each source's objective is evaluated
    /// once per beta (cached), so the pooled search and the per-source searches share the grid's fits.
    /// </summary>
    public static PooledExponentResult Fit(IReadOnlyList<PooledSource> sources, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0) throw new ArgumentException("no source to pool.", nameof(sources));
        var caches = sources.Select(_ => new SortedDictionary<double, double>()).ToList();
        double Of(int s, double beta)
        {
            if (!caches[s].TryGetValue(beta, out double o))
            {
                o = sources[s].Objective(beta);
                if (!double.IsFinite(o)) o = double.PositiveInfinity;
                caches[s][beta] = o;
                progress?.Invoke(FormattableString.Invariant($"pooled beta: {sources[s].Name}: beta {beta:F4}, objective {o:G6}"));
            }
            return o;
        }
        // The grid's fits in the pooled search's order (beta, then source), so a source without any finite fit is named before the search.
        foreach (double b in Grid)
            for (int s = 0; s < sources.Count; s++) Of(s, b);
        for (int s = 0; s < sources.Count; s++)
            if (Grid.All(b => double.IsPositiveInfinity(Of(s, b))))
                throw new ValidationDataException(FormattableString.Invariant($"pooled size exponent: {sources[s].Name}: no fit is finite at any beta of the grid {Grid[0]:0.00}-{Grid[^1]:0.00}."));
        var pooled = Minimize(b => Enumerable.Range(0, sources.Count).Sum(s => Of(s, b)), "pooled over " + string.Join(" and ", sources.Select(x => x.Name)));
        var alone = Enumerable.Range(0, sources.Count).Select(s =>
        {
            var (beta, o) = Minimize(b => Of(s, b), sources[s].Name);
            return new ExponentMinimum(sources[s].Name, beta, o) { Flat = IsFlat([.. caches[s].Values]) };
        }).ToList();
        return new PooledExponentResult(new ExponentMinimum("pooled", pooled.Beta, pooled.Objective), alone,
            [.. caches.Select(c => (IReadOnlyList<(double, double)>)[.. c.Select(kv => (kv.Key, kv.Value))])]);
    }

    /// <summary>
    /// Whether a profile's evaluated <paramref name="objectives"/> are flat: all finite and max - min &lt;= <see cref="FlatSpread"/> x |min|
    /// (protocol 2's two sizes: three unknowns of the offset from two levels, a spread of 3e-20 on a level of 7.5e-7).
    /// </summary>
    public static bool IsFlat(IReadOnlyCollection<double> objectives)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        if (objectives.Count == 0 || objectives.Any(o => !double.IsFinite(o))) return false;
        double min = objectives.Min(), max = objectives.Max();
        return max - min <= FlatSpread * Math.Abs(min);
    }

    /// <summary>
    /// The minimum of <paramref name="f"/> over beta: the best point of <see cref="Grid"/> (the first on a tie), then golden-section search
    /// on [max(<see cref="Floor"/>, g - <see cref="Bracket"/>), g + <see cref="Bracket"/>]; the lowest point evaluated wins.
    /// <paramref name="what"/> names the objective in the error when it is infinite at every point of the grid.
    /// </summary>
    public static (double Beta, double Objective) Minimize(Func<double, double> f, string what = "the objective")
    {
        ArgumentNullException.ThrowIfNull(f);
        double best = Grid[0], bestF = double.PositiveInfinity;
        foreach (double b in Grid)
        {
            double v = f(b);
            if (v < bestF) (best, bestF) = (b, v);
        }
        if (double.IsPositiveInfinity(bestF)) throw new ValidationDataException(FormattableString.Invariant($"pooled size exponent: {what}: no fit is finite at any beta of the grid {Grid[0]:0.00}-{Grid[^1]:0.00}."));
        // Golden-section search (Kiefer 1953): keep the bracket [a, c] with interior points x1 < x2 at the golden ratio.
        double invPhi = (Math.Sqrt(5) - 1) / 2;
        double a = Math.Max(Floor, best - Bracket), c = best + Bracket;
        double x1 = c - invPhi * (c - a), x2 = a + invPhi * (c - a);
        double f1 = f(x1), f2 = f(x2);
        var seen = new List<(double B, double F)> { (best, bestF), (x1, f1), (x2, f2) };
        while (c - a > Tolerance)
        {
            if (f1 <= f2) { c = x2; x2 = x1; f2 = f1; x1 = c - invPhi * (c - a); f1 = f(x1); seen.Add((x1, f1)); }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + invPhi * (c - a); f2 = f(x2); seen.Add((x2, f2)); }
        }
        var min = seen.OrderBy(p => p.F).ThenBy(p => p.B).First();
        return (min.B, min.F);
    }

    /// <summary>
    /// The two sources in reach that vary the model size (docs/VALIDATION.md, "Protocol 2 with a size exponent pooled over sources"):
    /// protocol 2's training curves (the MPL runs of 25M and 100M, <see cref="CrossSize.TrainTargets"/>; the joint law in protocol 2's
    /// headline configuration, size terms + n_M, <see cref="CrossSize.JointGivenExponent"/>) and protocol 17c's (the lr-scheduling
    /// SlimPajama runs of six sizes, 33M-152M, <see cref="CrossSizeLrSchedule.TrainSets"/>; the joint law as protocol 17c's headline,
    /// size terms). No 400M curve is read; protocol 17c's test curves are read with its folder (<see cref="CrossDataLrSchedule.Load"/>) but none enters the fit.
    /// </summary>
    /// <remarks>
    /// With <paramref name="slimPajamaProfile"/> (docs/VALIDATION.md, "Protocol 2's pooled beta from a converged profile") protocol 17c's
    /// objective at each beta is that of its converged profile (<see cref="OffsetExponentProfile"/>: swept over its own grid first, then
    /// each beta fitted to convergence from its fitted neighbours), not one plain fit; protocol 2's source (two sizes: flat in beta to
    /// 3e-20) keeps its plain fit. <paramref name="profile"/>, when given, is that profile (made on protocol 17c's training curves with
    /// the default options, e.g. already swept by the caller), else one is made here.
    /// </remarks>
    public static IReadOnlyList<PooledSource> Sources(string dataRoot, IReadOnlyList<CrossDataRun> lrScheduleRuns, bool slimPajamaProfile = false,
        OffsetExponentProfile? profile = null)
    {
        var mpl = CrossSize.TrainTargets(dataRoot);
        return
        [
            new("protocol 2 (MPL 25M, 100M)", b => LawFitter.Fit(new JointLaw(CrossSize.JointGivenExponent(b)[0].Options), mpl).Objective),
            SlimPajamaSource(lrScheduleRuns, slimPajamaProfile, profile),
        ];
    }

    /// <summary>
    /// Protocol 17c's source alone (the second of <see cref="Sources"/>; <paramref name="converged"/> and <paramref name="profile"/> as
    /// <see cref="Sources"/>' slimPajamaProfile and profile), to pool with another source (protocol 22b: Marin's tables).
    /// </summary>
    public static PooledSource SlimPajamaSource(IReadOnlyList<CrossDataRun> lrScheduleRuns, bool converged = true, OffsetExponentProfile? profile = null)
    {
        var slimPajama = CrossSizeLrSchedule.Targets(lrScheduleRuns, CrossSizeLrSchedule.TrainSets);
        Func<double, double> objective = b => LawFitter.Fit(new JointLaw(new JointFitOptions { OffsetExponent = b }), slimPajama).Objective;
        if (converged)
        {
            var swept = profile ?? new OffsetExponentProfile([.. slimPajama.Select(JointCurve.Of)]);
            objective = b =>
            {
                swept.Minimize();
                return swept.At(b).Objective;
            };
        }
        return new("protocol 17c (SlimPajama 33M-152M)", objective);
    }
}
