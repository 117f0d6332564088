using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>One run of protocol 14: its data set, its name in the manifest, and the run as read.</summary>
/// <param name="Set">The data set it belongs to (the unit the headline averages over).</param>
/// <param name="Name">The run's name in the manifest.</param>
/// <param name="Run">The run, read by <see cref="HyperLaws.Readers.RunReader"/> with the manifest's schedule.</param>
public sealed record CrossDataRun(string Set, string Name, TrainingRun Run);
