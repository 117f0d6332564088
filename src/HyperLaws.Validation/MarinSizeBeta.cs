using HyperLaws.Laws.Joint;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 22b (<see cref="MarinSize"/>): the joint law on every finite Marin run profiled over beta, the offset's size exponent
/// (<see cref="OffsetExponentProfile"/>), and, where asked, beta pooled with protocol 17c's (<see cref="PooledSizeExponent"/>).
/// </summary>
/// <param name="Profile">The profile's points (its grid, refinement and continuation points), each beta with its lowest objective.</param>
/// <param name="Beta">The profile's minimum.</param>
/// <param name="Objective">The objective there.</param>
/// <param name="Pooled">Beta pooled over Marin and protocol 17c; null where not asked (<see cref="MarinSize.Run"/> given no source to pool with).</param>
public sealed record MarinSizeBeta(IReadOnlyList<OffsetExponentPoint> Profile, double Beta, double Objective, PooledExponentResult? Pooled)
{
    /// <summary>The declared band: grid betas whose objective is within this fraction of the minimum.</summary>
    public const double Band = 0.01;

    /// <summary>The widest span of the band for beta to count as identified (three grid steps of <see cref="OffsetExponentProfile.Grid"/>).</summary>
    public const double MaxSpan = 0.12;

    /// <summary>The grid betas (<see cref="OffsetExponentProfile.Grid"/>) whose objective is within <see cref="Band"/> of the minimum, increasing.</summary>
    public IReadOnlyList<double> BandBetas =>
        [.. Profile.Where(p => OffsetExponentProfile.Grid.Any(g => Math.Abs(g - p.Beta) < 1e-12) && p.Objective <= Objective * (1 + Band)).Select(p => p.Beta).Order()];

    /// <summary>
    /// Rule 22b: beta is identified if the band's grid betas are contiguous on the grid, exclude both of its ends, and span at most
    /// <see cref="MaxSpan"/> (docs/VALIDATION.md "Protocol 22").
    /// </summary>
    public bool Identified
    {
        get
        {
            var band = BandBetas;
            if (band.Count == 0) return false;
            var grid = OffsetExponentProfile.Grid;
            int lo = Index(grid, band[0]), hi = Index(grid, band[^1]);
            return hi - lo + 1 == band.Count && lo > 0 && hi < grid.Count - 1 && band[^1] - band[0] <= MaxSpan + 1e-9;
        }
    }

    private static int Index(IReadOnlyList<double> grid, double beta)
    {
        for (int i = 0; i < grid.Count; i++) if (Math.Abs(grid[i] - beta) < 1e-12) return i;
        return -1;
    }
}
