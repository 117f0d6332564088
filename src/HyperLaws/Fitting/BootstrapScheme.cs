namespace HyperLaws.Fitting;

/// <summary>What a bootstrap replicate resamples (see <see cref="LawBootstrap"/>).</summary>
public enum BootstrapScheme
{
    /// <summary>Whole curves, with replacement (needs at least <see cref="LawBootstrap.MinimumRunsForRunsScheme"/> curves).</summary>
    Runs,

    /// <summary>Points within each curve, in circular blocks of consecutive points.</summary>
    Blocks,

    /// <summary>The full fit's relative residuals within each curve, in circular blocks, put back on its predictions.</summary>
    Residuals,
}
