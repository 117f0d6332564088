namespace HyperLaws.Validation;

/// <summary>Protocol 17p: one set's target horizon, planned from the set's shorter runs (<see cref="PlanBacktestSets"/>).</summary>
/// <param name="Set">The manifest's set (model size, data set, recipe).</param>
/// <param name="Parameters">N, the runs' parameter count.</param>
/// <param name="BatchTokens">The runs' batch (tokens per step), the plans' too.</param>
/// <param name="SequenceLength">The runs' sequence length.</param>
/// <param name="HeldOut">The held-out run of each configuration with <see cref="PlanBacktestSets.MinHorizons"/> horizons whose longest is H (or why it has none).</param>
/// <param name="Candidates">The runs at H with a final validation loss (the plans are scored against them).</param>
/// <param name="NotCandidates">The runs at H that are not candidates, and why.</param>
/// <param name="Backtest">Protocol 6's record of the horizon: what the plans learned from, the candidates' best, the baselines and the plans.</param>
public sealed record PlanBacktestSet(string Set, double Parameters, double BatchTokens, int SequenceLength, IReadOnlyList<string> HeldOut,
    IReadOnlyList<GridRun> Candidates, IReadOnlyList<string> NotCandidates, HorizonBacktest Backtest);
