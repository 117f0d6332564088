using HyperLaws.Readers;

namespace HyperLaws.Validation;

/// <summary>Protocol 24's result (<see cref="MarinChanges.Run"/>): every scored row, and the scores per optimizer, kind and variant.</summary>
/// <param name="Rows">Every single-change row under each variant that scores it.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record MarinChangesResult(IReadOnlyList<MarinChangeRow> Rows, double Seconds)
{
    /// <summary>
    /// The scores per optimizer, kind and variant, in the rows' order; every kind of <see cref="MarinChange"/> appears for each optimizer
    /// under the default variant (a kind without rows scores no verdict, so that its absence is reported).
    /// </summary>
    public IReadOnlyList<MarinChangeScore> Scores =>
    [
        .. Rows.Select(r => r.Optimizer).Distinct(StringComparer.Ordinal).SelectMany(o =>
            Enum.GetValues<MarinChange>().SelectMany(k => new[] { MarinChanges.Default, MarinChanges.HeldBatch }
                .Where(v => v == MarinChanges.Default || k == MarinChange.Batch)
                .Select(v => new MarinChangeScore(o, k, v, [.. Rows.Where(r => r.Optimizer == o && r.Change == k && r.Variant == v)]))
                .Where(s => s.Variant == MarinChanges.Default || s.Rows.Count > 0))),
    ];
}
