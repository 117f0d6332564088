using HyperLaws.Runs;

namespace HyperLaws.Readers.Internal;

/// <summary>A loss as read, with where it came from (for error messages); the loss may be non-finite.</summary>
internal readonly record struct RawObservation(int Step, double Loss, LossSplit Split, string Where);
