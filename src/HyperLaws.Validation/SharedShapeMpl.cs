using System.Globalization;
using System.Runtime.CompilerServices;
using HyperLaws.Laws;

namespace HyperLaws.Validation;

/// <summary>
/// The Multi-Power Law fitted on runs of several peak LRs at once with one drop shape (C, beta, gamma) for all of them and
/// L0, A, alpha and B per peak LR (protocol 3's <see cref="GridOptions.SharedMplShape"/>; declared in docs/VALIDATION.md,
/// "Protocol 3: MPL with its drop shape bounded"). MPL's clock x = eta_k^-gamma S_k(t) states how the relaxation of a
/// decrement depends on the LR at it, so one gamma across peak LRs is the law's own claim; runs of one peak LR (a per-LR fit
/// on one cooldown shape) leave gamma and C free to trade against each other (the run-off fits of the diagnosis there).
/// Parameters: C, beta, gamma, then L0, A, alpha, B for each peak LR of <see cref="PeakLrs"/> in order. A curve belongs to the
/// peak LR nearest (within 1%) to the largest LR of its history. With <see cref="Bounds"/> the shape is held in a box
/// (e.g. <see cref="MplShapeBox"/>), the per-LR parameters free.
/// </summary>
public sealed class SharedShapeMpl : IDifferentiableLaw, IBoundedLaw
{
    private readonly MultiPowerLaw _mpl = new();
    private readonly ConditionalWeakTable<ScheduleHistory, StrongBox<int>> _groups = [];
    private readonly string[] _names;

    /// <param name="peakLrs">The peak LRs (distinct, positive), one parameter block each.</param>
    /// <param name="shapeBox">A box on MPL's seven parameters whose C, beta and gamma ends apply to the shared shape (its other ends are ignored); null: none.</param>
    public SharedShapeMpl(IReadOnlyList<double> peakLrs, ParameterBounds? shapeBox = null)
    {
        ArgumentNullException.ThrowIfNull(peakLrs);
        if (peakLrs.Count == 0 || peakLrs.Any(lr => !(lr > 0) || !double.IsFinite(lr)) || peakLrs.Distinct().Count() != peakLrs.Count)
            throw new ArgumentException("The peak LRs must be distinct, positive and finite, at least one.");
        if (shapeBox is not null && shapeBox.Count != 7) throw new ArgumentException("The shape box must cover MPL's 7 parameters.");
        PeakLrs = [.. peakLrs];
        _names = ["C", "beta", "gamma", .. PeakLrs.SelectMany(lr => (string[])[.. new[] { "L0", "A", "alpha", "B" }.Select(n => n + "@" + lr.ToString("G4", CultureInfo.InvariantCulture))])];
        Positive = [true, true, true, .. PeakLrs.SelectMany(_ => (bool[])[false, true, true, true])];
        if (shapeBox is not null)
        {
            var lower = Enumerable.Repeat(double.NegativeInfinity, _names.Length).ToArray();
            var upper = Enumerable.Repeat(double.PositiveInfinity, _names.Length).ToArray();
            (lower[0], lower[1], lower[2]) = (shapeBox.Lower[MultiPowerLaw.C], shapeBox.Lower[MultiPowerLaw.Beta], shapeBox.Lower[MultiPowerLaw.Gamma]);
            (upper[0], upper[1], upper[2]) = (shapeBox.Upper[MultiPowerLaw.C], shapeBox.Upper[MultiPowerLaw.Beta], shapeBox.Upper[MultiPowerLaw.Gamma]);
            Bounds = new ParameterBounds(lower, upper);
        }
    }

    /// <summary>The peak LRs, in the order of their parameter blocks.</summary>
    public IReadOnlyList<double> PeakLrs { get; }

    /// <inheritdoc/>
    public ParameterBounds? Bounds { get; }

    /// <inheritdoc/>
    public string Name => Bounds is null ? "mpl-shared" : "mpl-box-shared";

    /// <inheritdoc/>
    public IReadOnlyList<string> ParameterNames => _names;

    /// <inheritdoc/>
    public IReadOnlyList<bool> Positive { get; }

    /// <summary>MPL's parameters for the curves of peak LR <see cref="PeakLrs"/>[<paramref name="group"/>].</summary>
    public double[] GroupParameters(ReadOnlySpan<double> p, int group)
    {
        int o = 3 + 4 * group;
        var q = new double[7];
        (q[MultiPowerLaw.L0], q[MultiPowerLaw.A], q[MultiPowerLaw.Alpha], q[MultiPowerLaw.B]) = (p[o], p[o + 1], p[o + 2], p[o + 3]);
        (q[MultiPowerLaw.C], q[MultiPowerLaw.Beta], q[MultiPowerLaw.Gamma]) = (p[0], p[1], p[2]);
        return q;
    }

    /// <summary>The index in <see cref="PeakLrs"/> of the peak LR within 1% of <paramref name="lr"/>.</summary>
    /// <exception cref="ArgumentException">No peak LR is that close.</exception>
    public int GroupOf(double lr)
    {
        for (int g = 0; g < PeakLrs.Count; g++)
            if (Math.Abs(lr - PeakLrs[g]) <= 0.01 * PeakLrs[g]) return g;
        throw new ArgumentException(FormattableString.Invariant($"A curve's peak LR {lr:G4} is none of {string.Join(", ", PeakLrs)}."));
    }

    private int Group(ScheduleHistory history) => _groups.GetValue(history, h =>
    {
        double peak = 0;
        for (int t = 1; t <= h.Steps; t++) peak = Math.Max(peak, h.Eta(t));
        return new StrongBox<int>(GroupOf(peak));
    }).Value!;

    /// <summary>The parameter count checked here; MPL checks the history, the steps and the output.</summary>
    private void CheckLength(ReadOnlySpan<double> parameters)
    {
        if (parameters.Length != _names.Length)
            throw new ArgumentException($"{Name} takes {_names.Length} parameters ({string.Join(", ", _names)}), got {parameters.Length}.");
    }

    /// <summary>MPL's starting points, each with its shape shared and L0, A, alpha, B from that peak LR's curves.</summary>
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets)
    {
        var byGroup = PeakLrs.Select((_, g) => targets.Where(t => Group(t.History) == g).ToList()).ToList();
        var all = _mpl.StartingPoints(targets);
        var starts = new List<double[]>();
        for (int s = 0; s < all.Count; s++)
        {
            var p = new double[_names.Length];
            (p[0], p[1], p[2]) = (all[s][MultiPowerLaw.C], all[s][MultiPowerLaw.Beta], all[s][MultiPowerLaw.Gamma]);
            for (int g = 0; g < PeakLrs.Count; g++)
            {
                var own = byGroup[g].Count > 0 ? _mpl.StartingPoints(byGroup[g])[s] : all[s];
                int o = 3 + 4 * g;
                (p[o], p[o + 1], p[o + 2], p[o + 3]) = (own[MultiPowerLaw.L0], own[MultiPowerLaw.A], own[MultiPowerLaw.Alpha], own[MultiPowerLaw.B]);
            }
            starts.Add(p);
        }
        return starts;
    }

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
    {
        CheckLength(parameters);
        _mpl.Predict(GroupParameters(parameters, Group(history)), history, steps, output);
    }

    /// <summary>MPL's derivatives placed at the shared shape and at the curve's own block (0 at the other blocks).</summary>
    public void PredictWithGradient(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient)
    {
        CheckLength(parameters);
        int n = _names.Length, g = Group(history), o = 3 + 4 * g;
        if (gradient.Length < steps.Length * n) throw new ArgumentException("The gradient is shorter than steps x parameters.");
        var inner = new double[steps.Length * 7];
        _mpl.PredictWithGradient(GroupParameters(parameters, g), history, steps, output, inner);
        gradient[..(steps.Length * n)].Clear();
        for (int i = 0; i < steps.Length; i++)
        {
            var row = gradient.Slice(i * n, n);
            var d = inner.AsSpan(i * 7, 7);
            (row[0], row[1], row[2]) = (d[MultiPowerLaw.C], d[MultiPowerLaw.Beta], d[MultiPowerLaw.Gamma]);
            (row[o], row[o + 1], row[o + 2], row[o + 3]) = (d[MultiPowerLaw.L0], d[MultiPowerLaw.A], d[MultiPowerLaw.Alpha], d[MultiPowerLaw.B]);
        }
    }
}
