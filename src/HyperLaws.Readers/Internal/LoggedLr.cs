namespace HyperLaws.Readers.Internal;

/// <summary>A logged learning rate: eta at <see cref="Step"/> (1-based), with where it came from.</summary>
internal readonly record struct LoggedLr(int Step, double Lr, string Where);
