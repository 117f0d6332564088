namespace HyperLaws.Laws.Joint;

/// <summary>
/// The joint law's fit profiled over beta, the offset's size exponent in L0(N) = E + B_N ((N/N_ref)^-beta - 1) (Chinchilla's N^-beta,
/// Hoffmann et al. 2022): P(beta) = min over every other parameter of the fit's objective with beta fixed, so min_beta P(beta) is the
/// fit's minimum over all parameters (docs/VALIDATION.md, "Protocol 2's pooled beta from a converged profile"). Why not beta among the
/// Nelder-Mead parameters: under the lag prior the objective is flat in beta within 1% over 0.04-0.18 on protocol 17c's runs and the
/// fit at fixed beta has several basins, so the plain search stops wherever its path leaves it (helper p2beta). Here each P(beta) is
/// an inner fit run to convergence (<see cref="JointLawFitter"/> with its restarts: each start restarted from its end point until a
/// restart gains less than 1e-7 of the objective), started from the solutions of the nearest betas already fitted below and above (a
/// continuation, so a basin found at one beta is tried at its neighbours) and, where beta is not bracketed by two, the default seeds; the grid
/// <see cref="Grid"/> is swept upwards, then downwards again from each upper neighbour's solution, and the best grid point refined by
/// golden-section search (Kiefer 1953) within one grid step to <see cref="Tolerance"/>. Points are cached: a beta is fitted once per
/// start set, and a refit keeps the lower of its fits.
/// </summary>
public sealed class OffsetExponentProfile
{
    /// <summary>The profile's grid: 0.04, 0.08, ..., 0.48 (the fits' 0.1-0.26, Chinchilla's 0.34 and the tables' 0.41-0.46 inside).</summary>
    public static IReadOnlyList<double> Grid { get; } = [.. Enumerable.Range(1, 12).Select(i => Math.Round(i * 0.04, 10))];

    /// <summary>The golden-section refinement stops when its bracket is this narrow.</summary>
    public const double Tolerance = 1e-3;

    private readonly IReadOnlyList<JointCurve> _curves;
    private readonly JointFitOptions _options;
    private readonly JointLaw _law;
    private readonly SortedDictionary<double, (LawFit Fit, double[]? Z, int Evaluations, bool Converged)> _points = [];
    private LawFit? _minimum;

    /// <summary>
    /// The profile of <paramref name="curves"/> (three or more model sizes) under <paramref name="options"/> (their
    /// <see cref="JointFitOptions.OffsetExponent"/> and <see cref="JointFitOptions.ProfileOffsetExponent"/> are ignored: beta is set per point).
    /// </summary>
    /// <exception cref="ArgumentException">No curves.</exception>
    public OffsetExponentProfile(IReadOnlyList<JointCurve> curves, JointFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0) throw new ArgumentException("Nothing to fit: no curves.");
        _curves = curves;
        _law = new JointLaw(options ?? new JointFitOptions());
        _options = (options ?? new JointFitOptions()) with { ProfileOffsetExponent = false };
    }

    /// <summary>The betas fitted so far, in increasing order, each with the lowest objective reached there.</summary>
    public IReadOnlyList<OffsetExponentPoint> Points =>
        [.. _points.Select(kv => new OffsetExponentPoint(kv.Key, kv.Value.Fit.Objective, kv.Value.Evaluations, kv.Value.Converged))];

    /// <summary>
    /// The converged fit with beta fixed at <paramref name="beta"/> (cached): started from the solutions of the nearest betas fitted
    /// below and above, and from the default seeds too unless both exist (a beta bracketed by fitted ones is reached by continuation).
    /// </summary>
    public LawFit At(double beta)
    {
        if (!(beta > 0) || !double.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be positive and finite.");
        if (_points.TryGetValue(beta, out var known)) return known.Fit;
        var starts = Neighbours(beta).ToList();
        return Run(beta, starts, seeds: starts.Count < 2);
    }

    /// <summary>
    /// The profile's minimum: <see cref="Grid"/> swept upwards (<see cref="At"/>), then downwards from each upper neighbour's
    /// solution, then golden-section search within one grid step of the best grid point; and the plain search (beta among the
    /// Nelder-Mead parameters) as one more candidate. The lowest objective wins. The returned fit's law is the joint law under the
    /// options given to the constructor (beta in its parameters), its evaluations those of every fit made here. Searched once, then cached.
    /// </summary>
    public LawFit Minimize() => _minimum ??= Search();

    private LawFit Search()
    {
        foreach (double b in Grid) At(b);
        for (int i = Grid.Count - 2; i >= 0; i--)
            if (_points[Grid[i + 1]].Z is { } upper) Run(Grid[i], [upper], seeds: false);
        double step = Grid[1] - Grid[0];
        double g = Grid.OrderBy(b => _points[b].Fit.Objective).ThenBy(b => b).First();
        double invPhi = (Math.Sqrt(5) - 1) / 2;
        double a = Math.Max(Grid[0] / 2, g - step), c = g + step;
        double x1 = c - invPhi * (c - a), x2 = a + invPhi * (c - a);
        double f1 = At(x1).Objective, f2 = At(x2).Objective;
        while (c - a > Tolerance)
        {
            if (f1 <= f2) { c = x2; x2 = x1; f2 = f1; x1 = c - invPhi * (c - a); f1 = At(x1).Objective; }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + invPhi * (c - a); f2 = At(x2).Objective; }
        }
        var (bestBeta, best) = _points.OrderBy(kv => kv.Value.Fit.Objective).ThenBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value)).First();
        int evaluations = _points.Values.Sum(p => p.Evaluations);
        var plain = JointLawFitter.Fit(_curves, _options);
        evaluations += plain.Evaluations;
        if (plain.Objective < best.Fit.Objective)
            return plain with { Law = _law, Evaluations = evaluations, StopReason = $"the plain search, below the profile over beta ({_points.Count} betas): {plain.StopReason}" };
        return best.Fit with
        {
            Law = _law,
            Evaluations = evaluations,
            Converged = best.Converged,
            StopReason = FormattableString.Invariant($"profile over beta ({_points.Count} betas, minimum at {bestBeta:G4}{(best.Converged ? "" : ", its fit at the restart cap")}): {best.Fit.StopReason}"),
        };
    }

    /// <summary>The solutions of the nearest betas fitted below and above <paramref name="beta"/>.</summary>
    private IEnumerable<double[]> Neighbours(double beta)
    {
        var below = _points.Where(kv => kv.Key < beta && kv.Value.Z is not null).Select(kv => kv.Value.Z!).LastOrDefault();
        var above = _points.Where(kv => kv.Key > beta && kv.Value.Z is not null).Select(kv => kv.Value.Z!).FirstOrDefault();
        if (below is not null) yield return below;
        if (above is not null) yield return above;
    }

    /// <summary>A converged fit at <paramref name="beta"/> from <paramref name="starts"/> (and the default seeds); the lower of it and the point's earlier fit is kept.</summary>
    private LawFit Run(double beta, List<double[]> starts, bool seeds)
    {
        var control = new JointLawFitter.Control { Starts = starts, Seeds = seeds, Converge = true };
        var fit = JointLawFitter.FitControlled(_curves, _options with { OffsetExponent = beta }, control);
        if (_points.TryGetValue(beta, out var old))
        {
            int spent = old.Evaluations + fit.Evaluations;
            _points[beta] = fit.Objective < old.Fit.Objective ? (fit, control.Solution, spent, control.Converged) : old with { Evaluations = spent };
        }
        else
            _points[beta] = (fit, control.Solution, fit.Evaluations, control.Converged);
        return _points[beta].Fit;
    }
}
