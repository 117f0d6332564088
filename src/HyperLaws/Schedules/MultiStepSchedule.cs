using System.Globalization;
using static HyperLaws.Schedules.ScheduleChecks;

namespace HyperLaws.Schedules;

/// <summary>
/// <c>multistep(peak, steps, warmup, milestones=[m1;m2;...], values=[v1;v2;...] | factor=gamma)</c>:
/// piecewise constant after the warmup. With j = #{i : m_i &lt;= t}, eta_t = peak for j = 0, else v_j
/// (or peak gamma^j): at a milestone m the LR changes from step m inclusive (as the MPL wsdcon runs log it).
/// Milestones are strictly increasing in (W, S]; values in [0, peak]; gamma in (0, 1].
/// </summary>
public sealed record MultiStepSchedule : WarmupSchedule
{
    private readonly int[] _milestones;
    private readonly double[]? _values;

    /// <summary>A step schedule: <paramref name="peak"/>, then at each milestone the next of <paramref name="values"/> or the previous LR times <paramref name="factor"/> (one of the two); the warmup arguments (warmup W steps, warmupShape, warmupInit, offset) are <see cref="WarmupSchedule"/>'s.</summary>
    /// <exception cref="ArgumentException">A field out of range; the message names the family and the field.</exception>
    public MultiStepSchedule(double peak, int steps, IReadOnlyList<int> milestones, IReadOnlyList<double>? values = null, double? factor = null,
        int warmup = 0, WarmupShape warmupShape = WarmupShape.Linear, double warmupInit = 0, int offset = 0)
        : base(ScheduleFamily.MultiStep, peak, steps, warmup, warmupShape, warmupInit, offset)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        if (milestones.Count == 0) throw Fail(ScheduleFamily.MultiStep.Name, "milestones", "must list at least one step", "[]");
        int prev = warmup;
        foreach (int m in milestones)
        {
            if (m <= prev || m > steps)
                throw Fail(ScheduleFamily.MultiStep.Name, "milestones", $"must be strictly increasing steps in (warmup = {warmup}, steps = {steps}]", $"{m} after {prev}");
            prev = m;
        }
        if (values is null == factor is null)
            throw new ArgumentException("multistep: give exactly one of the fields 'values' and 'factor'", values is null ? "values" : "factor");
        if (values is not null)
        {
            if (values.Count != milestones.Count)
                throw Fail(ScheduleFamily.MultiStep.Name, "values", $"must have one value per milestone ({milestones.Count})", $"{values.Count} values");
            foreach (double v in values) InRange(ScheduleFamily.MultiStep.Name, "values", v, 0, peak, "[0, peak]");
            _values = [.. values];
        }
        else
        {
            InRange(ScheduleFamily.MultiStep.Name, "factor", factor!.Value, double.Epsilon, 1, "(0, 1]");
        }
        _milestones = [.. milestones];
        Factor = factor;
    }

    /// <summary>The steps at which the LR changes (inclusive).</summary>
    public IReadOnlyList<int> Milestones => _milestones;

    /// <summary>The LR from each milestone on, or null when <see cref="Factor"/> is given.</summary>
    public IReadOnlyList<double>? Values => _values;

    /// <summary>gamma: the LR after the j-th milestone is peak gamma^j; null when <see cref="Values"/> are given.</summary>
    public double? Factor { get; }

    /// <inheritdoc/>
    public override ScheduleFamily Family => ScheduleFamily.MultiStep;

    private protected override double MainAt(int k)
    {
        int j = 0;
        while (j < _milestones.Length && _milestones[j] <= k) j++;
        if (j == 0) return Peak;
        return _values is not null ? _values[j - 1] : Peak * Math.Pow(Factor!.Value, j);
    }

    private protected override void AddFields(List<KeyValuePair<string, SpecValue>> fields)
    {
        fields.Add(new("milestones", new SpecValue.List([.. _milestones.Select(m => m.ToString(CultureInfo.InvariantCulture))])));
        if (_values is not null) fields.Add(new("values", new SpecValue.List([.. _values.Select(Show)])));
        else fields.Add(new("factor", SpecValue.Number(Factor!.Value)));
    }

    /// <summary>Equal when the common fields, the milestones, the values and the factor are (the arrays compared element by element).</summary>
    public bool Equals(MultiStepSchedule? other) =>
        other is not null && base.Equals(other) && Factor == other.Factor && _milestones.AsSpan().SequenceEqual(other._milestones)
        && (_values is null ? other._values is null : other._values is not null && _values.AsSpan().SequenceEqual(other._values));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(base.GetHashCode());
        h.Add(Factor);
        foreach (int m in _milestones) h.Add(m);
        if (_values is not null) foreach (double v in _values) h.Add(v);
        return h.ToHashCode();
    }
}
