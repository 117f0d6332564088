namespace HyperLaws.Planning.Sweeps;

/// <summary>One small token budget of a sweep: the anchor there and the grid's values.</summary>
/// <param name="Index">1-based, in increasing order of tokens.</param>
/// <param name="Tokens">The token budget D.</param>
/// <param name="Anchor">The published rule's LR and batch at (sweep N, D), the grid's centre.</param>
/// <param name="CentreBatchSequences">The anchor's batch rounded to the batch ladder (the schedule arm's batch).</param>
/// <param name="BatchSequences">The grid's batches, increasing.</param>
/// <param name="LearningRates">The grid's peak LRs, increasing.</param>
public sealed record SweepBudget(
    int Index, double Tokens, AnchorPoint Anchor, int CentreBatchSequences,
    IReadOnlyList<int> BatchSequences, IReadOnlyList<double> LearningRates);
