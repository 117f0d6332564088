namespace HyperLaws.Cli.Commands.Validate;

/// <summary>The <c>--intervals</c> options of <c>hyperlaws validate</c>, read once from the parse.</summary>
/// <param name="Requested">--intervals: calibrate intervals instead of the scoreboard.</param>
/// <param name="Replicates">--replicates, or null.</param>
/// <param name="Scheme">--scheme (the bootstrap's resampling scheme name), or null.</param>
/// <param name="Seed">--seed, or null.</param>
/// <param name="Level">--level, or null (0.9).</param>
/// <param name="BootstrapGiven">The bootstrap-only options given explicitly (their names, in help order), refused for the conformal protocols.</param>
internal sealed record IntervalSettings(bool Requested, int? Replicates, string? Scheme, int? Seed, double? Level, IReadOnlyList<string> BootstrapGiven);
