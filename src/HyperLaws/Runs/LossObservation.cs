namespace HyperLaws.Runs;

/// <summary>
/// A logged loss: the value after <see cref="Step"/> optimizer updates (steps count from 1, so the
/// updates used learning rates eta_1..eta_Step).
/// </summary>
public readonly record struct LossObservation(int Step, double Loss, LossSplit Split = LossSplit.Train);
