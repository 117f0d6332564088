using HyperLaws.Laws;
namespace HyperLaws.Fitting;

/// <summary>Settings of <see cref="LawBootstrap.Run"/>.</summary>
public sealed record BootstrapOptions
{
    /// <summary>The seed used when none is given (any fixed value: it makes runs repeatable, not better).</summary>
    public const int DefaultSeed = 20250917;

    /// <summary>Number of refits (default 200).</summary>
    public int Replicates { get; init; } = 200;

    /// <summary>What to resample; null picks runs with at least 4 curves, blocks otherwise.</summary>
    public BootstrapScheme? Scheme { get; init; }

    /// <summary>Seed of the resampling; the same seed gives bit-identical samples.</summary>
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>Level of the parameters' central percentile intervals (default 0.9).</summary>
    public double Level { get; init; } = 0.9;

    /// <summary>Block length in points for the blocks and residuals schemes; null uses ceil(n^(1/3)) per curve of n points.</summary>
    public int? BlockLength { get; init; }

    /// <summary>Settings of every fit (the full fit's starts; the refits start only from the full fit's optimum).</summary>
    public FitOptions Fit { get; init; } = new();

    /// <summary>Replicates fitted at once; -1 lets the runtime choose. The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
