namespace HyperLaws.Laws.Joint;

/// <summary>One (N, D) cell of a multi-LR sweep for <see cref="LrAxisPriorFitter"/>: its runs at several peak LRs (and batches).</summary>
/// <param name="N">Model size (parameters).</param>
/// <param name="D">Tokens per run.</param>
/// <param name="Points">The cell's runs.</param>
public sealed record LrAxisCell(double N, double D, IReadOnlyList<LrAxisPoint> Points);
