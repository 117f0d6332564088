using HyperLaws.Readers;

namespace HyperLaws.Validation;

/// <summary>Protocol 24's score of one optimizer, kind and variant (<see cref="MarinChanges"/>): over its finite rows.</summary>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="Change">The kind.</param>
/// <param name="Variant">The law's variant.</param>
/// <param name="Rows">The kind's rows (diverged ones included).</param>
public sealed record MarinChangeScore(string Optimizer, MarinChange Change, string Variant, IReadOnlyList<MarinChangeRow> Rows)
{
    /// <summary>The finite rows (scored).</summary>
    public IReadOnlyList<MarinChangeRow> Finite => [.. Rows.Where(r => !r.Diverged)];

    /// <summary>The diverged rows (reported apart).</summary>
    public IReadOnlyList<MarinChangeRow> Diverged => [.. Rows.Where(r => r.Diverged)];

    /// <summary>Mean |error| of the law over the finite rows (NaN with none).</summary>
    public double MeanError => Finite.Count == 0 ? double.NaN : Finite.Average(r => r.Error);

    /// <summary>Mean |error| of the no-change baseline over the finite rows (NaN with none).</summary>
    public double BaselineMeanError => Finite.Count == 0 ? double.NaN : Finite.Average(r => r.BaselineError);

    /// <summary>Finite rows within the rounding of their baseline (no sign).</summary>
    public int Ties => Finite.Count(r => r.IsTie);

    /// <summary>Finite rows that are not ties and whose sign the law matches.</summary>
    public int SignsAgreed => Finite.Count(r => r.SignAgrees);

    /// <summary>
    /// The declared rule (docs/VALIDATION.md "Protocol 24"): at least <see cref="MarinChanges.MinRows"/> finite rows, the law's mean error
    /// below the baseline's, and its sign agreeing in at least 2/3 of the finite rows that are not ties; null (no verdict) with fewer rows,
    /// or when every finite row is a tie (no sign to test: the sign part would pass vacuously).
    /// </summary>
    public bool? Passes
    {
        get
        {
            if (Finite.Count < MarinChanges.MinRows) return null;
            int signed = Finite.Count - Ties;
            if (signed == 0) return null;
            return MeanError < BaselineMeanError && 3 * SignsAgreed >= 2 * signed;
        }
    }
}
