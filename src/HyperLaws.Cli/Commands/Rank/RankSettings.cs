using HyperLaws.Divergence;
using HyperLaws.Fitting;

namespace HyperLaws.Cli.Commands.Rank;

/// <summary>The settings of <c>hyperlaws rank</c>, each parsed once; a null grid axis takes its default.</summary>
/// <param name="LawPath">LAW.json as given; null for ensemble-lr.</param>
/// <param name="Law">LAW.json, read and validated; null for ensemble-lr.</param>
/// <param name="Steps">The step budget of every candidate.</param>
/// <param name="Runs">The law's training runs, or null: the files LAW.json names; for ensemble-lr the runs its members are fitted on.</param>
/// <param name="Families">Schedule families, or null: all four.</param>
/// <param name="Peaks">Peak LRs, or null: 7 across the training runs' peaks.</param>
/// <param name="Warmups">Warmup lengths in steps, or null: 1%, 5%, 10% of the steps.</param>
/// <param name="Cooldowns">wsd cooldown fractions, or null: 0.1, 0.2, 0.4.</param>
/// <param name="Floors">Final LR fractions, or null: 0, 0.1.</param>
/// <param name="Top">How many candidates to report.</param>
/// <param name="ModelSize">The model size for a law fitted across sizes; NaN otherwise.</param>
/// <param name="Screen">The divergence screen, or null.</param>
/// <param name="Level">The intervals' level, or null: LAW.json's.</param>
/// <param name="Json">Print one JSON object instead of the table.</param>
/// <param name="Quiet">No warnings on stderr.</param>
internal sealed record RankSettings(
    string? LawPath, FittedLawDocument? Law, int Steps, string[]? Runs, List<string>? Families, List<double>? Peaks, List<double>? Warmups,
    List<double>? Cooldowns, List<double>? Floors, int Top, double ModelSize, DivergenceScreen? Screen, double? Level, bool Json, bool Quiet)
{
    /// <summary><see cref="RankCommand.LawRanker"/> (default) or <see cref="RankCommand.EnsembleRanker"/>.</summary>
    public string Ranker { get; init; } = RankCommand.LawRanker;
}
