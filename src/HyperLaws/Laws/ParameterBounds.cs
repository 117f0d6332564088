namespace HyperLaws.Laws;

/// <summary>
/// A box on a law's parameters, in the law's parameter order: <see cref="Lower"/>[j] &lt;= p[j] &lt;= <see cref="Upper"/>[j]
/// (an infinite end leaves that side free). <see cref="LawFitter"/> keeps every start and every trial point of a law that
/// declares one (<see cref="IBoundedLaw"/>) inside it: starts and trial points are projected onto the box, and a parameter
/// at one of its ends whose descent direction points out of the box is held for that iteration (a projected
/// Levenberg-Marquardt step). For a positive parameter (searched as a logarithm) both ends must be positive.
/// </summary>
public sealed record ParameterBounds
{
    /// <param name="lower">The lower ends (negative infinity: none).</param>
    /// <param name="upper">The upper ends (positive infinity: none).</param>
    /// <exception cref="ArgumentException">The lists differ in length, an end is NaN, or a lower end exceeds its upper end.</exception>
    public ParameterBounds(IReadOnlyList<double> lower, IReadOnlyList<double> upper)
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(upper);
        if (lower.Count != upper.Count) throw new ArgumentException($"The bounds have {lower.Count} lower and {upper.Count} upper ends.");
        for (int j = 0; j < lower.Count; j++)
            if (double.IsNaN(lower[j]) || double.IsNaN(upper[j]) || lower[j] > upper[j])
                throw new ArgumentException(FormattableString.Invariant($"Parameter {j}: the bounds [{lower[j]}, {upper[j]}] are not an interval."));
        Lower = [.. lower];
        Upper = [.. upper];
    }

    /// <summary>The lower end of each parameter (negative infinity: none).</summary>
    public IReadOnlyList<double> Lower { get; }

    /// <summary>The upper end of each parameter (positive infinity: none).</summary>
    public IReadOnlyList<double> Upper { get; }

    /// <summary>How many parameters the box covers.</summary>
    public int Count => Lower.Count;

    /// <summary>True when every parameter of <paramref name="p"/> lies in the box (NaN does not).</summary>
    public bool Contains(ReadOnlySpan<double> p)
    {
        if (p.Length != Count) throw new ArgumentException($"{p.Length} parameters for a box of {Count}.");
        for (int j = 0; j < p.Length; j++)
            if (!(p[j] >= Lower[j] && p[j] <= Upper[j])) return false;
        return true;
    }

    /// <summary>The point of the box nearest to <paramref name="p"/> (each parameter clamped to its ends).</summary>
    public double[] Clamp(ReadOnlySpan<double> p)
    {
        if (p.Length != Count) throw new ArgumentException($"{p.Length} parameters for a box of {Count}.");
        var q = p.ToArray();
        for (int j = 0; j < q.Length; j++) q[j] = Math.Clamp(q[j], Lower[j], Upper[j]);
        return q;
    }

    /// <summary>Equal when every end is equal (the lists by their values, not their references).</summary>
    public bool Equals(ParameterBounds? other) => other is not null && Lower.SequenceEqual(other.Lower) && Upper.SequenceEqual(other.Upper);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (double v in Lower) hash.Add(v);
        foreach (double v in Upper) hash.Add(v);
        return hash.ToHashCode();
    }

    /// <summary>Each parameter's interval, e.g. "[-inf, inf], [0.2074, 20.74]".</summary>
    public override string ToString() =>
        string.Join(", ", Lower.Zip(Upper, (lo, hi) => FormattableString.Invariant($"[{lo:G4}, {hi:G4}]")));

    /// <summary>The indices of the parameters with at least one finite end.</summary>
    public IReadOnlyList<int> Bounded() => [.. Enumerable.Range(0, Count).Where(j => double.IsFinite(Lower[j]) || double.IsFinite(Upper[j]))];
}
