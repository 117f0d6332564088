
namespace HyperLaws.Laws;

/// <summary>
/// Any schedule-to-loss law of one model size made into a law across sizes. With z = N / N_ref:
/// <code>
/// offset   L0(N) = L0_ref + b (z^(-beta) - 1)  =  E + b z^(-beta),   E = L0_ref - b   (Chinchilla's E + B N^(-beta), B = b N_ref^beta)
/// positive p(N)  = p_ref z^(e_p)                                       (SizeScaling.PowerLaw; p_ref for every N with Shared)
/// signed   p(N)  = p_ref                                               (shared)
/// </code>
/// then the base law with those parameters. The offset is the law's irreducible-loss parameter, taken
/// from <see cref="Offsets"/> (or a parameter named "L0"); beta is fixed by the spec or fitted. At N = N_ref
/// every parameter is the base law's own (z^x = 1 exactly), so the law reduces exactly to the base law.
/// The fit does not depend on N_ref (another N_ref reparameterises the same family); N_ref only sets
/// where the base values are read.
/// Parameters: the base law's (values at N_ref), then "{offset}_reducible" (b &gt; 0), then
/// "{offset}_exponent" (beta, only when fitted), then "{p}_exponent" (e_p) for each scaled positive parameter.
/// It uses nothing of the base law but its parameter names, <see cref="IFittableLaw.Positive"/> flags,
/// starting points and predictions, so it serves every law in <see cref="LawCatalog"/>.
/// </summary>
public class SizedLaw : IFittableLaw
{
    /// <summary>
    /// The offset (irreducible-loss) parameter of each law, by name: the one parameter that follows
    /// E + b z^(-beta). A law not listed uses its parameter "L0" if it has one, else has no offset.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Offsets { get; } = new Dictionary<string, string>
    {
        ["mpl"] = "L0",
        ["tissue"] = "L0",
        ["convex"] = "c",
    };

    /// <summary>
    /// Parameters that stay shared across sizes under power-law scaling, by law: OptLaw's feature
    /// weights. NNLS leaves a different handful of its lags active at each size, so a weight that is zero
    /// at one size has no exponent to fit; only its convergence and noise shape (A, alpha, s_w, p) scale.
    /// </summary>
    public static IReadOnlyDictionary<string, Func<string, bool>> SharedAcrossSizes { get; } = new Dictionary<string, Func<string, bool>>
    {
        ["optlaw"] = name => name.StartsWith("noise[", StringComparison.Ordinal) || name.StartsWith("escape[", StringComparison.Ordinal),
    };

    private readonly string[] _names;
    private readonly bool[] _positive;
    private readonly int _offset;                // index of the offset in the base parameters, or -1
    private readonly int _reducible;             // index of b, or -1
    private readonly int _offsetExponent;        // index of a fitted beta, or -1
    private readonly int[] _scaled;              // base indices of parameters with their own exponent
    private readonly int[] _exponents;           // their exponents' indices

    /// <summary>The law across sizes built on <paramref name="baseLaw"/> with the size law <paramref name="spec"/> (use <see cref="Create"/>).</summary>
    /// <exception cref="ArgumentException">The base law is already across sizes, or the spec is invalid or names a parameter the base law lacks.</exception>
    protected SizedLaw(IFittableLaw baseLaw, SizeLawSpec spec)
    {
        ArgumentNullException.ThrowIfNull(baseLaw);
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        if (baseLaw is SizedLaw) throw new ArgumentException($"{baseLaw.Name} is already a law across sizes.");
        Base = baseLaw;
        Spec = spec;
        var names = baseLaw.ParameterNames.ToList();
        var positive = baseLaw.Positive.ToList();
        string? offsetName = Offsets.TryGetValue(baseLaw.Name, out var o) ? o : names.Contains("L0") ? "L0" : null;
        _offset = offsetName is null ? -1 : names.IndexOf(offsetName);
        if (offsetName is not null && _offset < 0) throw new ArgumentException($"{baseLaw.Name} has no parameter '{offsetName}' (its offset in SizedLaw.Offsets).");
        _reducible = _offsetExponent = -1;
        if (_offset >= 0)
        {
            _reducible = names.Count;
            names.Add(offsetName + "_reducible");
            positive.Add(true);
            if (spec.OffsetExponent is null)
            {
                _offsetExponent = names.Count;
                names.Add(offsetName + "_exponent");
                positive.Add(true);
            }
        }
        var scaled = new List<int>();
        var exponents = new List<int>();
        if (spec.Scaling == SizeScaling.PowerLaw)
        {
            for (int j = 0; j < baseLaw.ParameterNames.Count; j++)
            {
                if (j == _offset || !baseLaw.Positive[j]) continue;
                if (SharedAcrossSizes.TryGetValue(baseLaw.Name, out var shared) && shared(baseLaw.ParameterNames[j])) continue;
                scaled.Add(j);
                exponents.Add(names.Count);
                names.Add(baseLaw.ParameterNames[j] + "_exponent");
                positive.Add(false);
            }
        }
        if (names.Distinct().Count() != names.Count) throw new ArgumentException($"{baseLaw.Name}: a size parameter's name clashes with a parameter of the law.");
        _names = [.. names];
        _positive = [.. positive];
        _scaled = [.. scaled];
        _exponents = [.. exponents];
    }

    /// <summary>The law across sizes (differentiable when the base law is).</summary>
    public static SizedLaw Create(IFittableLaw baseLaw, SizeLawSpec spec) =>
        baseLaw is IDifferentiableLaw ? new DifferentiableSizedLaw(baseLaw, spec) : new SizedLaw(baseLaw, spec);

    /// <summary>The law of one size it is built on.</summary>
    public IFittableLaw Base { get; }

    /// <summary>The size law: reference size, scaling and offset exponent.</summary>
    public SizeLawSpec Spec { get; }

    /// <summary>The base law's name with "(N)": "mpl(N)".</summary>
    public string Name => Base.Name + "(N)";

    /// <inheritdoc/>
    public IReadOnlyList<string> ParameterNames => _names;

    /// <inheritdoc/>
    public IReadOnlyList<bool> Positive => _positive;

    /// <summary>The index of the offset among the base parameters, or -1 when the law has none.</summary>
    public int OffsetIndex => _offset;

    /// <summary>The offset's exponent beta for a parameter vector (fixed or fitted); NaN without an offset.</summary>
    public double OffsetExponent(ReadOnlySpan<double> parameters) =>
        _offset < 0 ? double.NaN : _offsetExponent >= 0 ? parameters[_offsetExponent] : Spec.OffsetExponent!.Value;

    /// <summary>E = L0_ref - b, the offset of an infinitely large model; NaN when the law has no offset.</summary>
    public double LargeModelOffset(ReadOnlySpan<double> parameters) => _offset < 0 ? double.NaN : parameters[_offset] - parameters[_reducible];

    /// <summary>The base law's parameters for a model of <paramref name="modelSize"/> parameters (formulas in the summary).</summary>
    public double[] ParametersAt(ReadOnlySpan<double> parameters, double modelSize)
    {
        CheckSize(modelSize);
        if (parameters.Length != _names.Length)
            throw new ArgumentException($"{Name} takes {_names.Length} parameters ({string.Join(", ", _names)}), got {parameters.Length}.");
        double z = modelSize / Spec.ReferenceSize;
        var q = parameters[..Base.ParameterNames.Count].ToArray();
        if (_offset >= 0) q[_offset] += parameters[_reducible] * (Math.Pow(z, -OffsetExponent(parameters)) - 1);
        for (int i = 0; i < _scaled.Length; i++) q[_scaled[i]] *= Math.Pow(z, parameters[_exponents[i]]);
        return q;
    }

    /// <summary>A law across sizes needs the model size: use the overload that takes it.</summary>
    public void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output) =>
        throw new ArgumentException($"{Name} is a law across model sizes: it needs the model size N of the curve to predict.");

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, double modelSize, ReadOnlySpan<int> steps, Span<double> output) =>
        Base.Predict(ParametersAt(parameters, modelSize), history, steps, output);

    private void CheckSize(double modelSize)
    {
        if (!(modelSize > 0) || !double.IsFinite(modelSize))
            throw new ArgumentException($"{Name} is a law across model sizes: it needs the model size N of the curve (got {modelSize}).");
    }

    /// <summary>
    /// Checks that every curve has a model size and that there are enough sizes, then starts from
    /// (1) the base law fitted on each size alone (with the base law's own starts), its parameters joined
    /// across sizes by least squares in the size law's own form (ln p on ln z; the offset on z^(-beta) - 1),
    /// and, for <see cref="SizeScaling.Shared"/> or when a per-size fit fails, (2) each of the base law's
    /// own starting points (on the curves of the size nearest N_ref) with zero exponents and b from the
    /// smallest loss of each size. With <see cref="SizeScaling.PowerLaw"/> the joined start (1) is, for two
    /// sizes, already the in-sample optimum (the family splits into independent per-size fits); other
    /// starts can then only tie it or win by a hair with runaway exponents (seen on MPL: C's exponent
    /// 126 for a 2% lower training objective), so they are not tried.
    /// </summary>
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets)
    {
        var groups = GroupBySize(targets);
        double beta0 = Spec.OffsetExponent ?? SizeLawSpec.ChinchillaExponent;
        var starts = new List<double[]>();

        // (1) Per-size fits, joined.
        var perSize = groups.Select(g => (g.Size, Fit: LawFitter.Fit(Base, g.Targets))).ToList();
        if (perSize.All(x => double.IsFinite(x.Fit.Objective)))
        {
            var x = perSize.Select(s => Math.Log(s.Size / Spec.ReferenceSize)).ToArray();
            var start = new double[_names.Length];
            for (int j = 0; j < Base.ParameterNames.Count; j++)
            {
                var v = perSize.Select(s => s.Fit.Parameters[j]).ToArray();
                if (j == _offset)
                {
                    var zs = x.Select(xi => Math.Exp(-beta0 * xi) - 1).ToArray();
                    var (intercept, slope) = Line(zs, v);
                    start[j] = intercept;
                    start[_reducible] = Math.Max(slope, 1e-3 * Math.Abs(intercept) + 1e-12);
                }
                else if (Array.IndexOf(_scaled, j) is int zeroed and >= 0 && v.Any(vi => !(vi > 0)))
                {
                    // A weight that is zero at some size (an NNLS fit leaves unused features at 0) has no
                    // log-linear trend: start from its mean with no size dependence.
                    start[j] = Math.Max(v.Average(), 1e-12);
                    start[_exponents[zeroed]] = 0;
                }
                else if (Array.IndexOf(_scaled, j) is int k and >= 0)
                {
                    var (intercept, slope) = Line(x, [.. v.Select(vi => Math.Log(vi))]);
                    start[j] = Math.Exp(intercept);
                    start[_exponents[k]] = slope;
                }
                else start[j] = Base.Positive[j] ? Math.Exp(v.Average(Math.Log)) : v.Average();
            }
            if (_offsetExponent >= 0) start[_offsetExponent] = beta0;
            starts.Add(start);
        }

        // (2) The base law's starts at the size nearest N_ref, lifted.
        if (Spec.Scaling == SizeScaling.PowerLaw && starts.Count > 0) return starts;
        var nearest = groups.MinBy(g => Math.Abs(Math.Log(g.Size / Spec.ReferenceSize)))!;
        double reducible = 1e-3;
        if (_offset >= 0)
        {
            var zs = groups.Select(g => Math.Pow(g.Size / Spec.ReferenceSize, -beta0) - 1).ToArray();
            var mins = groups.Select(g => g.Targets.Min(t => t.Loss.Min())).ToArray();
            reducible = Math.Max(Line(zs, mins).Slope, 1e-3);
        }
        foreach (var s in Base.StartingPoints(nearest.Targets))
        {
            var start = new double[_names.Length];
            s.CopyTo(start, 0);
            if (_reducible >= 0) start[_reducible] = reducible;
            if (_offsetExponent >= 0) start[_offsetExponent] = beta0;
            starts.Add(start);
        }
        return starts;
    }

    /// <summary>The curves grouped by model size (ascending); a clear error when a size is missing or there are too few sizes.</summary>
    public IReadOnlyList<(double Size, IReadOnlyList<FitTarget> Targets)> GroupBySize(IReadOnlyList<FitTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        foreach (var t in targets)
            if (!(t.ModelSize > 0) || !double.IsFinite(t.ModelSize))
                throw new ArgumentException($"fitting {Name} across model sizes needs each curve's model size N; '{t.Name}' has none.");
        var groups = targets.GroupBy(t => t.ModelSize).OrderBy(g => g.Key).Select(g => (g.Key, (IReadOnlyList<FitTarget>)[.. g])).ToList();
        int needed = _offsetExponent >= 0 ? 3 : 2;
        if (groups.Count < needed)
            throw new ArgumentException($"fitting {Name} across model sizes needs curves of at least {needed} model sizes{(_offsetExponent >= 0 ? " (the offset's exponent is fitted)" : "")}; got {groups.Count} (N = {string.Join(", ", groups.Select(g => g.Key.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}).");
        return groups;
    }

    /// <summary>Least-squares line y = a + b x.</summary>
    private static (double Intercept, double Slope) Line(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxx = 0, sxy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        double slope = sxx > 0 ? sxy / sxx : 0;
        return (my - slope * mx, slope);
    }

    /// <summary>
    /// d output / d sized parameter from the base law's derivatives at the size's parameters (chain rule
    /// through the formulas in the summary); <paramref name="baseGradient"/> is row-major, one row per step.
    /// </summary>
    protected void ChainRule(ReadOnlySpan<double> parameters, double modelSize, ReadOnlySpan<double> q, ReadOnlySpan<double> baseGradient, int rows, Span<double> gradient)
    {
        int nb = Base.ParameterNames.Count, n = _names.Length;
        double lnz = Math.Log(modelSize / Spec.ReferenceSize);
        double zb = _offset >= 0 ? Math.Exp(-OffsetExponent(parameters) * lnz) : 0;
        var factor = new double[nb];
        Array.Fill(factor, 1.0);
        for (int i = 0; i < _scaled.Length; i++) factor[_scaled[i]] = Math.Exp(parameters[_exponents[i]] * lnz);   // d p(N) / d p_ref = z^e_p
        for (int r = 0; r < rows; r++)
        {
            var g = baseGradient.Slice(r * nb, nb);
            var row = gradient.Slice(r * n, n);
            row.Clear();
            for (int j = 0; j < nb; j++) row[j] = g[j] * factor[j];
            if (_offset >= 0)
            {
                row[_reducible] = g[_offset] * (zb - 1);
                if (_offsetExponent >= 0) row[_offsetExponent] = -g[_offset] * parameters[_reducible] * zb * lnz;
            }
            for (int i = 0; i < _scaled.Length; i++) row[_exponents[i]] = g[_scaled[i]] * q[_scaled[i]] * lnz;
        }
    }
}
