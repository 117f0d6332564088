namespace HyperLaws.Evaluation;

/// <summary>One candidate set ranked by <see cref="LrEnsemble.RankPhysical"/>.</summary>
/// <param name="Ranked">The candidates, best first (those of an LR with no member left last, with no score and no predicted loss).</param>
/// <param name="Dropped">Each member left out of an LR (<see cref="LrEnsemble.DropUnphysical"/>).</param>
/// <param name="LevelsSetAside">How many candidates had a pooled own prediction (the level J) that is not physical, set aside.</param>
/// <param name="NoMember">How many candidates are at an LR where no member is left.</param>
public sealed record LrEnsembleScreened(IReadOnlyList<LrEnsembleRanked> Ranked, IReadOnlyList<LrEnsembleDrop> Dropped, int LevelsSetAside, int NoMember);
