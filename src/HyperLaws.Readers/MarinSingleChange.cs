using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// A row of Marin's ablation tables that changes one hyperparameter (warmup, final-LR ratio or batch) alone from its table's
/// baseline (<see cref="MarinSweepReader.ReadSingleChanges"/>).
/// </summary>
/// <param name="Change">The hyperparameter it changes.</param>
/// <param name="Baseline">The table's baseline row (as <see cref="MarinSweepReader.Read(IEnumerable{string})"/> reads it).</param>
/// <param name="Row">The row: the baseline's point with the changed value, its steps (a batch row's D / batch tokens), its loss
/// (+infinity for <c>&gt;10</c> or <c>NaN</c>), name and source.</param>
public sealed record MarinSingleChange(MarinChange Change, SweepPoint Baseline, SweepPoint Row);
