namespace HyperLaws.Cli.Commands.SizeLaw;

/// <summary>The settings of <c>hyperlaws size-law</c>, each parsed once; exactly one of <paramref name="Data"/>, <paramref name="Table"/>, <paramref name="LawIn"/> is given.</summary>
/// <param name="Data">Folder laid out like shared/data (the Chinchilla and Porian et al. runs), or null.</param>
/// <param name="Table">Your runs (N, D, loss), or null.</param>
/// <param name="LawIn">A size law to predict with, or null.</param>
/// <param name="HeldOut">With --table: the fraction of runs with the most compute held out.</param>
/// <param name="LawOut">With --table: where to write the fitted law, or null.</param>
/// <param name="Predict">With --law: the (N, D) points to predict at, or null.</param>
/// <param name="FullGrid">Besiroglu et al.'s full start grid.</param>
/// <param name="Resamples">Bootstrap resamples.</param>
/// <param name="Seed">Bootstrap seed.</param>
/// <param name="TrainFraction">Held-out check: the fraction of runs fitted on.</param>
/// <param name="Exclude">Highest-loss Chinchilla runs dropped before fitting.</param>
/// <param name="Json">Print one JSON object instead of the tables.</param>
/// <param name="Quiet">No progress.</param>
internal sealed record SizeLawSettings(
    string? Data, string? Table, string? LawIn, double HeldOut, string? LawOut, IReadOnlyList<(double N, double D)>? Predict,
    bool FullGrid, int Resamples, int Seed, double TrainFraction, int Exclude, bool Json, bool Quiet);
