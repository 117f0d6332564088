namespace HyperLaws.Runs;

/// <summary>
/// One finished run of a hyperparameter sweep (a table of final losses, not a curve), e.g. one row of
/// the Step Law grid.
/// </summary>
/// <param name="N">Model size (non-embedding parameters where the source says so).</param>
/// <param name="D">Training tokens.</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="BatchSizeSequences">Batch size in sequences.</param>
/// <param name="BatchTokens">Batch size in tokens (sequences x sequence length).</param>
/// <param name="Iterations">Optimizer steps.</param>
/// <param name="Loss">Final loss.</param>
/// <param name="SmoothLoss">Final loss smoothed by the source (NaN when it gives none).</param>
/// <param name="Name">The source's run name.</param>
public sealed record SweepPoint(
    double N, double D, double LearningRate, double BatchSizeSequences, double BatchTokens, int Iterations,
    double Loss, double SmoothLoss, string Name)
{
    /// <summary>Sequence length in tokens (BatchTokens / BatchSizeSequences).</summary>
    public double SequenceLength => BatchTokens / BatchSizeSequences;

    /// <summary>Hidden size, when known.</summary>
    public int? Hidden { get; init; }

    /// <summary>Feed-forward hidden size, when known.</summary>
    public int? FfnHidden { get; init; }

    /// <summary>Attention heads, when known.</summary>
    public int? Heads { get; init; }

    /// <summary>Layers, when known.</summary>
    public int? Layers { get; init; }

    /// <summary>
    /// The model configuration when several share one N (a MoE table: experts and top-k, e.g. Step Law's <c>2in88</c>);
    /// null for a dense sweep. Points of different configurations never share a cell.
    /// </summary>
    public string? Configuration { get; init; }

    /// <summary>The run's own linear warmup in steps, when the source gives it per run (e.g. Marin's sweep tables); null: the table's assumption (<see cref="HyperLaws.Divergence.SweepScheduleAssumption.WarmupSteps"/>).</summary>
    public int? WarmupSteps { get; init; }

    /// <summary>The run's final LR as a fraction of its peak, when the source gives it per run; null: the table's assumption (<see cref="HyperLaws.Divergence.SweepScheduleAssumption.MinLrOf"/>).</summary>
    public double? MinLrRatio { get; init; }

    /// <summary>
    /// The fraction of the run's steps spent in its final decay when the source gives one (Levanter's <c>decay</c>, e.g. Marin's Muon
    /// tables' "Decay (WSD)" 0.8): warmup, then the peak held, then the decay over floor(fraction x steps) steps; null: the decay spans every
    /// step after the warmup (Levanter's <c>decay</c> None; <see cref="HyperLaws.Divergence.SweepScheduleAssumption.LrOf"/>).
    /// </summary>
    public double? DecayFraction { get; init; }

    /// <summary>Whether the run's decay is linear (Levanter's <c>lr_schedule</c> "linear", e.g. Marin's Muon tables' "Schedule"); false: cosine.</summary>
    public bool LinearDecay { get; init; }

    /// <summary>Where the point was read from (file:line), for reports.</summary>
    public string? Source { get; init; }
}
