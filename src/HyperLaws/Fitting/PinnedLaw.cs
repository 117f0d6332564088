using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>
/// the inner law (<see cref="Inner"/>) with some parameters held at fixed values (<see cref="Pins"/>): its parameters are the inner law's
/// others, in their order, and it predicts what the inner law predicts at the full vector (<see cref="Expand"/>). The fitter then
/// fits the free parameters only: how <see cref="IdentifiedFitter"/> holds unidentified terms at a prior.
/// </summary>
public class PinnedLaw : IBoundedLaw
{
    private readonly int[] _free;
    private readonly double[] _template;
    private readonly IReadOnlyList<double[]> _starts;

    /// <param name="inner">The law.</param>
    /// <param name="pins">Parameter index (in the inner law's order) to its fixed value; at least one parameter must stay free.</param>
    /// <param name="starts">Starting points as full vectors of the inner law (the pinned entries are ignored); empty: the inner law's own (which must then be cheap).</param>
    /// <exception cref="ArgumentException">A pin's index is out of range, its value not finite (or not positive for a positive parameter), or nothing is left free.</exception>
    protected PinnedLaw(IFittableLaw inner, IReadOnlyDictionary<int, double> pins, IReadOnlyList<double[]> starts)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        ArgumentNullException.ThrowIfNull(pins);
        int n = inner.ParameterNames.Count;
        foreach (var (i, v) in pins)
        {
            if (i < 0 || i >= n) throw new ArgumentException($"{inner.Name}: no parameter #{i} to pin.");
            if (!double.IsFinite(v) || (inner.Positive[i] && !(v > 0))) throw new ArgumentException($"{inner.Name}: {inner.ParameterNames[i]} cannot be pinned at {v}.");
        }
        _free = [.. Enumerable.Range(0, n).Where(i => !pins.ContainsKey(i))];
        if (_free.Length == 0) throw new ArgumentException($"{inner.Name}: every parameter is pinned; nothing to fit.");
        _template = new double[n];
        foreach (var (i, v) in pins) _template[i] = v;
        Pins = new Dictionary<int, double>(pins);
        ParameterNames = [.. _free.Select(i => inner.ParameterNames[i])];
        Positive = [.. _free.Select(i => inner.Positive[i])];
        _starts = starts ?? [];
    }

    /// <summary>The law pinned; a differentiable inner law gives a differentiable pinned law (the gradient's free columns).</summary>
    /// <remarks>MPL with its whole drop pinned (its decay prior) walks the drop tree once per curve instead of at every evaluation, with the same numbers bit for bit (<see cref="HeldDropPinnedLaw"/>).</remarks>
    public static PinnedLaw Create(IFittableLaw inner, IReadOnlyDictionary<int, double> pins, IReadOnlyList<double[]>? starts = null)
    {
        ArgumentNullException.ThrowIfNull(pins);
        if (HeldDropPinnedLaw.Holds(inner, pins)) return new HeldDropPinnedLaw((MultiPowerLaw)inner, pins, starts ?? []);
        return inner is IDifferentiableLaw d ? new DifferentiablePinnedLaw(d, pins, starts ?? []) : new PinnedLaw(inner, pins, starts ?? []);
    }

    /// <summary>The law whose parameters are pinned.</summary>
    public IFittableLaw Inner { get; }

    /// <summary>
    /// The inner law's box (<see cref="IBoundedLaw"/>) on the free parameters, so a pinned fit keeps it as the inner law's own fit does
    /// (e.g. the floor held to the physical range, <see cref="PhysicalFloor"/>); null when the inner law declares none.
    /// </summary>
    public ParameterBounds? Bounds => (Inner as IBoundedLaw)?.Bounds is { } box
        ? new ParameterBounds([.. _free.Select(i => box.Lower[i])], [.. _free.Select(i => box.Upper[i])])
        : null;

    /// <summary>The pinned parameters: index in the inner law's order to value.</summary>
    public IReadOnlyDictionary<int, double> Pins { get; }

    /// <summary>The inner law's name.</summary>
    public string Name => Inner.Name;

    /// <summary>The free parameters' names.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <inheritdoc/>
    public IReadOnlyList<bool> Positive { get; }

    /// <summary>The inner law's full parameter vector: the pins and <paramref name="free"/> in their places.</summary>
    public double[] Expand(ReadOnlySpan<double> free)
    {
        if (free.Length != _free.Length) throw new ArgumentException($"{Name}: expected {_free.Length} free parameters, got {free.Length}.");
        var p = (double[])_template.Clone();
        for (int j = 0; j < _free.Length; j++) p[_free[j]] = free[j];
        return p;
    }

    /// <summary>The free entries of a full parameter vector of the inner law.</summary>
    public double[] Restrict(ReadOnlySpan<double> full)
    {
        var free = new double[_free.Length];
        for (int j = 0; j < free.Length; j++) free[j] = full[_free[j]];
        return free;
    }

    /// <summary>The given starts (or the inner law's own), restricted to the free parameters.</summary>
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets) =>
        [.. (_starts.Count > 0 ? _starts : Inner.StartingPoints(targets)).Select(s => Restrict(s))];

    /// <inheritdoc/>
    public virtual void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output) =>
        Inner.Predict(Expand(parameters), history, steps, output);

    /// <inheritdoc/>
    public virtual void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, double modelSize, ReadOnlySpan<int> steps, Span<double> output) =>
        Inner.Predict(Expand(parameters), history, modelSize, steps, output);

    /// <summary>The free columns of the inner law's row-major gradient (<paramref name="full"/>, one row per step) into <paramref name="gradient"/>.</summary>
    private protected void Columns(ReadOnlySpan<double> full, int rows, Span<double> gradient)
    {
        int n = _template.Length, m = _free.Length;
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < m; j++) gradient[r * m + j] = full[r * n + _free[j]];
    }

    private protected int FullCount => _template.Length;
}
