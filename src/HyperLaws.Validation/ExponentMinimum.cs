namespace HyperLaws.Validation;

/// <summary>A minimum of a profile over beta: the exponent and the objective there.</summary>
public sealed record ExponentMinimum(string Source, double Beta, double Objective)
{
    /// <summary>
    /// The profile is flat (<see cref="PooledSizeExponent.IsFlat"/>): its minimum <see cref="Beta"/> is a tie-break, not an estimate,
    /// and is reported as flat (null in JSON).
    /// </summary>
    public bool Flat { get; init; }
}
